// Specification templates: few (one per equipment category), so the app reads them all at once
// and matches categories itself (`templateFor`), for the equipment pages and the editor alike.
import { useQuery } from '@tanstack/react-query';

import { api, call } from './client';
import { MAX_PAGE } from './queries';

export function useSpecTemplates(enabled = true) {
  return useQuery({
    queryKey: ['spec-templates', 'all'],
    queryFn: () => call(api.GET('/spec-templates', { params: { query: { per_page: MAX_PAGE } } })),
    staleTime: 60_000,
    enabled,
  });
}

/** How many (unarchived) pieces of equipment a category has, for the editor's list. */
export function useCategoryCount(category: string) {
  return useQuery({
    queryKey: ['equipment', 'category-count', category.toLowerCase()],
    queryFn: () => call(api.GET('/equipment', { params: { query: { category, per_page: 1 } } })),
    select: (page) => page.total,
    staleTime: 60_000,
  });
}
