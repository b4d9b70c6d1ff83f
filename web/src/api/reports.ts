// Scheduled KPI reports: the schedules (few, read at once), one schedule, its delivery log
// (polled while a report is being prepared or mailed) and the mail a recipient would read.
// Every key starts with 'report-schedules', so that a change invalidates all of it.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';

import { deliveryInProgress, type ReportSchedule } from '../lib/reports';
import { api, call } from './client';
import { MAX_PAGE } from './queries';

export const REPORTS_KEY = 'report-schedules';
/** Deliveries a page of the log shows. */
export const DELIVERIES_PAGE = 10;
/** How often the log is read again while the worker is busy with a delivery. */
const POLL_MS = 2000;

export function useReportSchedules(enabled = true) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'list'],
    queryFn: () =>
      call(api.GET('/report-schedules', { params: { query: { per_page: MAX_PAGE } } })),
    enabled,
  });
}

export function useReportSchedule(id: string) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'one', id],
    queryFn: () => call(api.GET('/report-schedules/{id}', { params: { path: { id } } })),
  });
}

export function useDeliveries(id: string, page: number, enabled = true) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'deliveries', id, page],
    queryFn: () =>
      call(
        api.GET('/report-schedules/{id}/deliveries', {
          params: { path: { id }, query: { page, per_page: DELIVERIES_PAGE } },
        }),
      ),
    placeholderData: keepPreviousData,
    // A report being prepared or mailed changes on its own: follow it until it settles.
    refetchInterval: (query) =>
      query.state.data?.items.some(deliveryInProgress) ? POLL_MS : false,
    enabled,
  });
}

/** The mail a member would receive for the last complete period, as HTML. */
export function useMailPreview(id: string | null) {
  return useQuery({
    queryKey: [REPORTS_KEY, 'mail', id],
    queryFn: () =>
      call(
        api.GET('/report-schedules/{id}/preview/mail', {
          params: { path: { id: id ?? '' } },
          parseAs: 'text',
        }),
      ),
    enabled: id !== null,
    // Computed from today's figures: asked again each time it is opened.
    gcTime: 0,
    staleTime: 0,
  });
}

/** Refreshes everything that may show the schedules after a change. */
export function useReportsRefresh() {
  const queryClient = useQueryClient();
  return (saved?: ReportSchedule) => {
    if (saved) queryClient.setQueryData([REPORTS_KEY, 'one', saved.id], saved);
    return queryClient.invalidateQueries({ queryKey: [REPORTS_KEY] });
  };
}
