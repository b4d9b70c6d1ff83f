// TanStack Query hooks over the typed client. Keys start with the resource name so that a
// mutation invalidates everything that may show it.
import { keepPreviousData, useInfiniteQuery, useQuery, type QueryKey } from '@tanstack/react-query';

import {
  api,
  call,
  type Criticality,
  type Schemas,
  type EquipmentStatus,
  type FailureCodeKind,
  type JobStatus,
  type Priority,
  type WorkOrderOrigin,
  type WorkOrderStatus,
  type WorkOrderType,
  type WorkRequestStatus,
} from './client';
import type { KpiQuery } from '../lib/kpis';

export const PAGE_SIZE = 50;
export const MAX_PAGE = 200;

/** Which page of a list to fetch. */
export interface Paging {
  page: number;
  /** PAGE_SIZE unless said. */
  perPage?: number;
}

function paging({ page, perPage = PAGE_SIZE }: Paging) {
  return { page, per_page: perPage };
}

/** A list, paged or searched: what is on screen stays there while the next answer loads. */
function useListQuery<T>(queryKey: QueryKey, queryFn: () => Promise<T>, enabled = true) {
  return useQuery({ queryKey, queryFn, placeholderData: keepPreviousData, enabled });
}

/** One record of `resource` by id; nothing is asked while there is no id. */
function useOneQuery<T>(
  resource: string,
  id: string | null,
  fetch: (path: { id: string }) => Promise<T>,
) {
  return useQuery({
    queryKey: [resource, 'one', id],
    queryFn: () => fetch({ id: id ?? '' }),
    enabled: id !== null,
  });
}

export function useTenant(enabled = true) {
  return useQuery({
    queryKey: ['tenant'],
    queryFn: () => call(api.GET('/tenant')),
    enabled,
  });
}

/**
 * The company's hourly rate, weekly hours and currency (`GET /tenant/labour`), for members
 * without their own; only for those who manage members.
 */
export function useLabour(enabled = true) {
  return useQuery({
    queryKey: ['tenant', 'labour'],
    queryFn: () => call(api.GET('/tenant/labour')),
    enabled,
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
  return useListQuery(['sites', 'list', q], () =>
    call(
      api.GET('/sites', {
        params: { query: { per_page: MAX_PAGE, sort: 'name', ...(q ? { q } : {}) } },
      }),
    ),
  );
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

export interface MemberFilters extends Paging {
  q: string;
  roleId: string | null;
  active: boolean | null;
}

export function useMembers(filters: MemberFilters, enabled = true) {
  return useListQuery(
    ['users', 'list', filters],
    () =>
      call(
        api.GET('/users', {
          params: {
            query: {
              ...paging(filters),
              sort: 'full_name',
              ...(filters.q ? { q: filters.q } : {}),
              ...(filters.roleId ? { role_id: filters.roleId } : {}),
              ...(filters.active !== null ? { active: filters.active } : {}),
            },
          },
        }),
      ),
    enabled,
  );
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

/** Invitations in one state (`pending`, `expired`…), newest first. */
export function useInvitations(status: Schemas['InvitationStatus'], enabled = true) {
  return useQuery({
    queryKey: ['invitations', status],
    queryFn: () =>
      call(api.GET('/invitations', { params: { query: { status, per_page: MAX_PAGE } } })),
    enabled,
  });
}

/** How many invitations are in one state (`per_page=1`: only the total is read). */
export function useInvitationCount(status: Schemas['InvitationStatus'], enabled = true) {
  return useQuery({
    queryKey: ['invitations', status, 'count'],
    queryFn: () => call(api.GET('/invitations', { params: { query: { status, per_page: 1 } } })),
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

export interface AuditFilters extends Paging {
  entity: string | null;
  action: string | null;
  actorId: string | null;
  from: string | null;
  to: string | null;
}

export function useAuditLog(filters: AuditFilters) {
  return useListQuery(['audit', filters], () =>
    call(
      api.GET('/audit-log', {
        params: {
          query: {
            ...paging(filters),
            ...(filters.entity ? { entity: filters.entity } : {}),
            ...(filters.action ? { action: filters.action } : {}),
            ...(filters.actorId ? { actor_id: filters.actorId } : {}),
            ...(filters.from ? { from: filters.from } : {}),
            ...(filters.to ? { to: filters.to } : {}),
          },
        },
      }),
    ),
  );
}

/** Every (entity, action) pair the company's log holds, for the audit log's filters. */
export function useAuditKinds(enabled = true) {
  return useQuery({
    queryKey: ['audit-kinds'],
    queryFn: () => call(api.GET('/audit-log/kinds')),
    staleTime: 60_000,
    enabled,
  });
}

// ---- The maintenance cycle: equipment, meters, requests, work orders, failure codes.

/** Drops empty values so that the query string carries only the filters in use. */
function present<T extends Record<string, unknown>>(
  query: T,
): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '' || value === false) continue;
    out[key] = value;
  }
  return out as { [K in keyof T]?: Exclude<T[K], null> };
}

export interface EquipmentFilters extends Paging {
  q: string;
  siteId: string | null;
  plantId: string | null;
  lineId: string | null;
  status: EquipmentStatus | null;
  criticality: Criticality | null;
  category: string | null;
  includeArchived: boolean;
  sort: string;
}

export function useEquipmentList(filters: EquipmentFilters, enabled = true) {
  return useListQuery(
    ['equipment', 'list', filters],
    () =>
      call(
        api.GET('/equipment', {
          params: {
            query: {
              ...paging(filters),
              sort: filters.sort,
              ...present({
                q: filters.q,
                site_id: filters.siteId,
                plant_id: filters.plantId,
                production_line_id: filters.lineId,
                status: filters.status,
                criticality: filters.criticality,
                category: filters.category,
                include_archived: filters.includeArchived,
              }),
            },
          },
        }),
      ),
    enabled,
  );
}

/** Equipment matching a search, for pickers (archived equipment is left out). */
export function useEquipmentSearch(q: string, siteId: string | null = null, enabled = true) {
  return useListQuery(
    ['equipment', 'search', q, siteId],
    () =>
      call(
        api.GET('/equipment', {
          params: { query: { per_page: 30, sort: 'code', ...present({ q, site_id: siteId }) } },
        }),
      ),
    enabled,
  );
}

export function useComponents(parentId: string | null) {
  return useQuery({
    queryKey: ['equipment', 'components', parentId],
    queryFn: () =>
      call(
        api.GET('/equipment', {
          params: { query: { parent_id: parentId ?? '', per_page: MAX_PAGE, sort: 'code' } },
        }),
      ),
    enabled: parentId !== null,
  });
}

export function useEquipment(id: string | null) {
  return useOneQuery('equipment', id, (path) =>
    call(api.GET('/equipment/{id}', { params: { path } })),
  );
}

export const NO_EQUIPMENT_FILTERS: EquipmentFilters = {
  q: '',
  siteId: null,
  plantId: null,
  lineId: null,
  status: null,
  criticality: null,
  category: null,
  includeArchived: false,
  sort: 'code',
  page: 1,
};

export function useEquipmentCategories() {
  return useQuery({
    queryKey: ['equipment', 'categories'],
    queryFn: () => call(api.GET('/equipment/categories')),
    staleTime: 5 * 60_000,
  });
}

export function useStatusHistory(id: string) {
  return useQuery({
    queryKey: ['equipment', 'status-history', id],
    queryFn: () => call(api.GET('/equipment/{id}/status-history', { params: { path: { id } } })),
  });
}

export function useMeters(equipmentId: string, enabled = true) {
  return useQuery({
    queryKey: ['meters', 'of', equipmentId],
    queryFn: () =>
      call(api.GET('/equipment/{id}/meters', { params: { path: { id: equipmentId } } })),
    enabled: enabled && equipmentId !== '',
  });
}

export function useReadings(meterId: string | null, page: number) {
  return useListQuery(
    ['meters', 'readings', meterId, page],
    () =>
      call(
        api.GET('/meters/{id}/readings', {
          params: { path: { id: meterId ?? '' }, query: paging({ page }) },
        }),
      ),
    meterId !== null,
  );
}

/** The readings a chart shows: the latest ones, up to 200. */
export function useReadingSeries(meterId: string | null) {
  return useQuery({
    queryKey: ['meters', 'series', meterId],
    queryFn: () =>
      call(
        api.GET('/meters/{id}/readings', {
          params: { path: { id: meterId ?? '' }, query: { per_page: MAX_PAGE } },
        }),
      ),
    enabled: meterId !== null,
  });
}

/** Where attachments live: `/equipment/{id}`, `/requests/{id}` or `/work-orders/{id}`. */
export type AttachmentOwner =
  | { kind: 'equipment'; id: string }
  | { kind: 'requests'; id: string }
  | { kind: 'work-orders'; id: string };

export function attachmentsPath(owner: AttachmentOwner): string {
  return `/${owner.kind}/${owner.id}/attachments`;
}

export function useAttachments(owner: AttachmentOwner, enabled = true) {
  return useQuery({
    queryKey: ['attachments', owner.kind, owner.id],
    queryFn: () => {
      const path = { params: { path: { id: owner.id } } };
      if (owner.kind === 'equipment') return call(api.GET('/equipment/{id}/attachments', path));
      if (owner.kind === 'requests') return call(api.GET('/requests/{id}/attachments', path));
      return call(api.GET('/work-orders/{id}/attachments', path));
    },
    enabled,
  });
}

export interface RequestFilters extends Paging {
  status: WorkRequestStatus | null;
  mine: boolean;
  equipmentId: string | null;
  sort: string;
}

export function useRequests(filters: RequestFilters, enabled = true) {
  return useListQuery(
    ['requests', 'list', filters],
    () =>
      call(
        api.GET('/requests', {
          params: {
            query: {
              ...paging(filters),
              sort: filters.sort,
              ...present({
                status: filters.status,
                mine: filters.mine,
                equipment_id: filters.equipmentId,
              }),
            },
          },
        }),
      ),
    enabled,
  );
}

export function useRequest(id: string | null) {
  return useOneQuery('requests', id, (path) =>
    call(api.GET('/requests/{id}', { params: { path } })),
  );
}

export interface WorkOrderFilters extends Paging {
  statuses: WorkOrderStatus[];
  type: WorkOrderType | null;
  priority: Priority | null;
  origin: WorkOrderOrigin | null;
  siteId: string | null;
  equipmentId: string | null;
  assigneeId: string | null;
  pmPlanId?: string | null;
  mine: boolean;
  overdue: boolean;
  dueFrom: string | null;
  dueTo: string | null;
  createdFrom: string | null;
  createdTo: string | null;
  q: string;
  sort: string;
}

export const NO_WORK_ORDER_FILTERS: WorkOrderFilters = {
  statuses: [],
  type: null,
  priority: null,
  origin: null,
  siteId: null,
  equipmentId: null,
  assigneeId: null,
  mine: false,
  overdue: false,
  dueFrom: null,
  dueTo: null,
  createdFrom: null,
  createdTo: null,
  q: '',
  sort: '-created_at',
  page: 1,
};

/** The query string of a list of work orders. */
function workOrderQuery(filters: WorkOrderFilters) {
  return {
    ...paging(filters),
    sort: filters.sort,
    ...present({
      status: filters.statuses.join(','),
      type: filters.type,
      priority: filters.priority,
      origin: filters.origin,
      site_id: filters.siteId,
      equipment_id: filters.equipmentId,
      assignee_id: filters.assigneeId,
      pm_plan_id: filters.pmPlanId ?? null,
      mine: filters.mine,
      overdue: filters.overdue,
      due_from: filters.dueFrom,
      due_to: filters.dueTo,
      created_from: filters.createdFrom,
      created_to: filters.createdTo,
      q: filters.q,
    }),
  };
}

export function useWorkOrders(filters: WorkOrderFilters, enabled = true) {
  return useListQuery(
    ['work-orders', 'list', filters],
    () => call(api.GET('/work-orders', { params: { query: workOrderQuery(filters) } })),
    enabled,
  );
}

/**
 * Work orders page after page, as a board's column scrolls (`page` is ignored): the pages loaded
 * so far and the true total. Refreshing refetches every loaded page.
 */
export function useWorkOrderPages(filters: WorkOrderFilters) {
  return useInfiniteQuery({
    queryKey: ['work-orders', 'pages', { ...filters, page: 0 }],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/work-orders', {
          params: { query: workOrderQuery({ ...filters, page: pageParam }) },
        }),
      ),
    initialPageParam: 1,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, p) => sum + p.items.length, 0);
      return last.items.length > 0 && loaded < last.total ? pages.length + 1 : undefined;
    },
    placeholderData: keepPreviousData,
  });
}

export function useWorkOrder(id: string | null) {
  return useOneQuery('work-orders', id, (path) =>
    call(api.GET('/work-orders/{id}', { params: { path } })),
  );
}

export interface MyWorkFilters {
  q: string;
  /** `today` (overdue and today), `week` (and this week), or null for all, on hold included. */
  within: Schemas['Within'] | null;
  /** Orders per group. */
  perGroup: number;
}

/** The caller's open work in its groups (overdue, today, this week, later, on hold), with totals. */
export function useMyWork(filters: MyWorkFilters, enabled = true) {
  return useListQuery(
    ['work-orders', 'my-work', filters],
    () =>
      call(
        api.GET('/my-work', {
          params: {
            query: {
              per_group: filters.perGroup,
              ...present({ q: filters.q, within: filters.within }),
            },
          },
        }),
      ),
    enabled,
  );
}

/**
 * The rest of one group of my work, page after page of `perPage`, from the second page: the
 * first is what `useMyWork` brought with the same `perGroup`. Asks nothing until enabled.
 */
export function useMyWorkBucket(
  bucket: Schemas['WorkBucket'],
  filters: { q: string; perPage: number },
  enabled: boolean,
) {
  return useInfiniteQuery({
    queryKey: ['work-orders', 'my-work', bucket, filters],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/my-work/{bucket}', {
          params: {
            path: { bucket },
            query: { page: pageParam, per_page: filters.perPage, ...present({ q: filters.q }) },
          },
        }),
      ),
    initialPageParam: 2,
    getNextPageParam: (last) =>
      last.items.length > 0 && last.page * last.per_page < last.total ? last.page + 1 : undefined,
    enabled,
  });
}

/**
 * The follow-up the server proposes for an order (findings of its checklist, a title and a
 * description written from them), in the interface's language (`Accept-Language`).
 */
export function useFollowUpDraft(id: string, language: string, enabled = true) {
  return useQuery({
    queryKey: ['work-orders', 'follow-up', id, language],
    queryFn: () => call(api.GET('/work-orders/{id}/follow-up', { params: { path: { id } } })),
    enabled,
  });
}

export function useChecklist(id: string) {
  return useQuery({
    queryKey: ['work-orders', 'checklist', id],
    queryFn: () => call(api.GET('/work-orders/{id}/checklist', { params: { path: { id } } })),
  });
}

export function useTimeEntries(id: string) {
  return useQuery({
    queryKey: ['work-orders', 'time', id],
    queryFn: () => call(api.GET('/work-orders/{id}/time-entries', { params: { path: { id } } })),
  });
}

export function useComments(id: string) {
  return useQuery({
    queryKey: ['work-orders', 'comments', id],
    queryFn: () => call(api.GET('/work-orders/{id}/comments', { params: { path: { id } } })),
  });
}

export function useEvents(id: string) {
  return useQuery({
    queryKey: ['work-orders', 'events', id],
    queryFn: () => call(api.GET('/work-orders/{id}/events', { params: { path: { id } } })),
  });
}

export function useFailureCodes(
  kind: FailureCodeKind | null,
  includeInactive = false,
  enabled = true,
) {
  return useQuery({
    queryKey: ['failure-codes', kind, includeInactive],
    queryFn: () =>
      call(
        api.GET('/failure-codes', {
          params: {
            query: present({ kind, include_inactive: includeInactive }),
          },
        }),
      ),
    enabled,
  });
}

/** Templates of a kind (`checklist`, `work_order`): the planners' page and the pickers. */
export function useTemplates(
  filters: {
    kind: Schemas['TemplateKind'];
    q?: string;
    includeInactive?: boolean;
    page?: number;
    perPage?: number;
  },
  enabled = true,
) {
  const { kind, q = '', includeInactive = false, page = 1, perPage = PAGE_SIZE } = filters;
  return useQuery({
    queryKey: ['templates', kind, q, includeInactive, page, perPage],
    queryFn: () =>
      call(
        api.GET('/templates', {
          params: {
            query: present({ kind, q, include_inactive: includeInactive, page, per_page: perPage }),
          },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Who can be given work on a site (`work_orders:manage` or `users:read`). */
export function useAssignable(siteId: string | null, enabled = true) {
  return useQuery({
    queryKey: ['users', 'assignable', siteId],
    queryFn: () =>
      call(api.GET('/users/assignable', { params: { query: { site_id: siteId ?? '' } } })),
    enabled: enabled && siteId !== null,
  });
}

// ---- Preventive maintenance: plans, their forecasts, the calendar, background jobs.

export interface PlanFilters extends Paging {
  q: string;
  siteId: string | null;
  equipmentId: string | null;
  /** Active or paused only; null for both. */
  active: boolean | null;
  includeArchived: boolean;
  sort: string;
}

export function usePmPlans(filters: PlanFilters, enabled = true) {
  return useListQuery(
    ['pm-plans', 'list', filters],
    () =>
      call(
        api.GET('/pm-plans', {
          params: {
            query: {
              ...paging(filters),
              sort: filters.sort,
              ...present({
                q: filters.q,
                site_id: filters.siteId,
                equipment_id: filters.equipmentId,
                include_archived: filters.includeArchived,
              }),
              ...(filters.active !== null ? { active: filters.active } : {}),
            },
          },
        }),
      ),
    enabled,
  );
}

export function usePmPlan(id: string | null) {
  return useOneQuery('pm-plans', id, (path) =>
    call(api.GET('/pm-plans/{id}', { params: { path } })),
  );
}

/** A plan's coming occurrences up to a day (YYYY-MM-DD). */
export function usePlanForecast(id: string, until: string, enabled = true) {
  return useQuery({
    queryKey: ['pm-plans', 'forecast', id, until],
    queryFn: () =>
      call(api.GET('/pm-plans/{id}/forecast', { params: { path: { id }, query: { until } } })),
    enabled,
  });
}

/**
 * The coming occurrences of a plan being edited (`POST /pm-plans/preview`), for a body that
 * already passes the client's checks (null: nothing to ask). A refusal (422) is not retried.
 */
export function usePlanPreview(body: Schemas['PreviewRequest'] | null) {
  return useQuery({
    queryKey: ['pm-plans', 'preview', body],
    queryFn: () => call(api.POST('/pm-plans/preview', { body: body as Schemas['PreviewRequest'] })),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export interface CalendarFilters {
  from: string;
  to: string;
  siteId: string | null;
  assigneeId: string | null;
}

export function calendarKey(filters: CalendarFilters) {
  return ['calendar', filters] as const;
}

export function useCalendar(filters: CalendarFilters) {
  return useListQuery(calendarKey(filters), () =>
    call(
      api.GET('/calendar', {
        params: {
          query: {
            from: filters.from,
            to: filters.to,
            ...present({ site_id: filters.siteId, assignee_id: filters.assigneeId }),
          },
        },
      }),
    ),
  );
}

/** The company's background jobs in one state (`failed`, `pending`…), or in any (null). */
export function useJobs(status: JobStatus | null, page: number) {
  return useListQuery(['jobs', status, page], () =>
    call(
      api.GET('/jobs', {
        params: {
          query: { ...paging({ page }), ...(status ? { status } : {}) },
        },
      }),
    ),
  );
}

/**
 * The maintenance indicators over a window (`GET /kpis`): the figures on screen stay while
 * those of new filters load.
 */
export function useKpis(query: KpiQuery, enabled = true) {
  return useQuery({
    queryKey: ['kpis', query],
    queryFn: () => call(api.GET('/kpis', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** One equipment's indicators over a window (`GET /kpis/equipment/{id}`). */
export function useEquipmentKpis(id: string, from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: ['kpis', 'equipment', id, from, to],
    queryFn: () =>
      call(api.GET('/kpis/equipment/{id}', { params: { path: { id }, query: { from, to } } })),
    enabled,
  });
}

/**
 * The hours logged over a window by technician and by type of work (`GET /kpis/technicians`):
 * everyone's for those who read the indicators, one's own for a technician.
 */
export function useKpiTechnicians(query: { from: string; to: string; site_id?: string }) {
  return useQuery({
    queryKey: ['kpis', 'technicians', query],
    queryFn: () => call(api.GET('/kpis/technicians', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}
