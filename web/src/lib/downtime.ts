// Production downtime in the completion report: what the dialog proposes from what the order
// knows (a stop reported with the request runs until now), and the start, end and minutes kept
// in step while the technician corrects one of them.
import type { WorkOrder } from '../api/client';
import { formatMinutes, minutesBetween } from './maintenance';

export type DowntimeMode = 'none' | 'minutes' | 'period';

export interface ProposedDowntime {
  mode: DowntimeMode;
  /** Instants (RFC 3339), or null. */
  start: string | null;
  end: string | null;
  minutes: number | null;
}

/**
 * What the completion dialog starts from: a stop still running (started, not ended) ends now,
 * its minutes counted; an earlier report (the order was reopened) is shown again; else none.
 */
export function proposedDowntime(
  order: Pick<WorkOrder, 'downtime_start' | 'downtime_end' | 'downtime_minutes'>,
  now: Date,
): ProposedDowntime {
  const start = order.downtime_start ?? null;
  if (start) {
    let end = order.downtime_end ?? null;
    if (!end) {
      // Never before the start, even with a clock behind the server's.
      const from = new Date(start).getTime();
      end = new Date(Math.max(now.getTime(), Number.isNaN(from) ? 0 : from)).toISOString();
    }
    const between = minutesBetween(start, end);
    const minutes =
      order.downtime_end && order.downtime_minutes != null ? order.downtime_minutes : between;
    return { mode: 'period', start, end, minutes: minutes === null ? null : Math.max(0, minutes) };
  }
  if (order.downtime_minutes != null) {
    return { mode: 'minutes', start: null, end: null, minutes: order.downtime_minutes };
  }
  return { mode: 'none', start: null, end: null, minutes: null };
}

/** The end of a stop of `minutes` from `start`, or null when either is missing or invalid. */
export function endAfter(start: string | null, minutes: number | string | null): string | null {
  if (!start || minutes === null || minutes === '') return null;
  const n = Number(minutes);
  const from = new Date(start).getTime();
  if (!Number.isFinite(n) || n < 0 || Number.isNaN(from)) return null;
  return new Date(from + Math.round(n) * 60_000).toISOString();
}

/**
 * How long production has been stopped, for a banner: "moins d’une minute" below one,
 * "45 min", "2 h 05", then days ("3 j 4 h") past a day.
 */
export function formatElapsed(
  minutes: number,
  words: { lessThanAMinute: string; dayUnit: string },
): string {
  if (!Number.isFinite(minutes) || minutes < 1) return words.lessThanAMinute;
  const total = Math.floor(minutes);
  if (total < 24 * 60) return formatMinutes(total);
  const days = Math.floor(total / (24 * 60));
  const hours = Math.floor((total % (24 * 60)) / 60);
  return hours === 0 ? `${days} ${words.dayUnit}` : `${days} ${words.dayUnit} ${hours} h`;
}
