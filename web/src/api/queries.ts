// TanStack Query hooks over the typed client. Keys start with the resource name so that a
// mutation invalidates everything that may show it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api, call } from './client';

export const PAGE_SIZE = 50;
export const MAX_PAGE = 200;

export function useTenant() {
  return useQuery({
    queryKey: ['tenant'],
    queryFn: () => call(api.GET('/tenant')),
  });
}

/** Every site the caller can see (for pickers and names). */
export function useAllSites(enabled = true) {
  return useQuery({
    queryKey: ['sites', 'all'],
    queryFn: () =>
      call(api.GET('/sites', { params: { query: { per_page: MAX_PAGE, sort: 'name' } } })),
    enabled,
  });
}

export function useSites(q: string) {
  return useQuery({
    queryKey: ['sites', 'list', q],
    queryFn: () =>
      call(
        api.GET('/sites', {
          params: { query: { per_page: MAX_PAGE, sort: 'name', ...(q ? { q } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function usePlants(siteId: string | null, enabled = true) {
  return useQuery({
    queryKey: ['plants', siteId],
    queryFn: () =>
      call(
        api.GET('/plants', {
          params: {
            query: { per_page: MAX_PAGE, sort: 'name', ...(siteId ? { site_id: siteId } : {}) },
          },
        }),
      ),
    enabled,
  });
}

export function useLines(plantId: string | null, enabled = true) {
  return useQuery({
    queryKey: ['production-lines', plantId],
    queryFn: () =>
      call(
        api.GET('/production-lines', {
          params: {
            query: { per_page: MAX_PAGE, sort: 'name', ...(plantId ? { plant_id: plantId } : {}) },
          },
        }),
      ),
    enabled,
  });
}

export interface MemberFilters {
  q: string;
  roleId: string | null;
  active: boolean | null;
  page: number;
}

export function useMembers(filters: MemberFilters, enabled = true) {
  return useQuery({
    queryKey: ['users', 'list', filters],
    queryFn: () =>
      call(
        api.GET('/users', {
          params: {
            query: {
              page: filters.page,
              per_page: PAGE_SIZE,
              sort: 'full_name',
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.roleId ? { role_id: filters.roleId } : {}),
              ...(filters.active !== null ? { active: filters.active } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Every member, for pickers (the audit log's actor filter). */
export function useAllMembers(enabled = true) {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: () =>
      call(api.GET('/users', { params: { query: { per_page: MAX_PAGE, sort: 'full_name' } } })),
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: () => call(api.GET('/roles', { params: { query: { per_page: MAX_PAGE } } })),
    enabled,
  });
}

export function useRole(id: string | null) {
  return useQuery({
    queryKey: ['roles', id],
    queryFn: () => call(api.GET('/roles/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
}

export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => call(api.GET('/permissions')),
    staleTime: 10 * 60_000,
  });
}

export interface AuditFilters {
  entity: string | null;
  action: string | null;
  actorId: string | null;
  from: string | null;
  to: string | null;
  page: number;
}

export function useAuditLog(filters: AuditFilters) {
  return useQuery({
    queryKey: ['audit', filters],
    queryFn: () =>
      call(
        api.GET('/audit-log', {
          params: {
            query: {
              page: filters.page,
              per_page: PAGE_SIZE,
              ...(filters.entity ? { entity: filters.entity } : {}),
              ...(filters.action ? { action: filters.action } : {}),
              ...(filters.actorId ? { actor_id: filters.actorId } : {}),
              ...(filters.from ? { from: filters.from } : {}),
              ...(filters.to ? { to: filters.to } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
