// "My work": the groups of a technician's day as the API sorts them (`GET /my-work`), how the
// page's filter reads from the address, and which orders are new to their assignee.
import type { Schemas } from '../api/client';

export type WorkBucket = Schemas['WorkBucket'];
export type Within = Schemas['Within'];

/** The groups, in the order the page shows them (the API's order). */
export const WORK_BUCKETS: readonly WorkBucket[] = [
  'overdue',
  'today',
  'this_week',
  'later',
  'on_hold',
];

export const WORK_BUCKET_COLOR: Record<WorkBucket, string> = {
  overdue: 'red',
  today: 'blue',
  this_week: 'indigo',
  later: 'gray',
  on_hold: 'orange',
};

/** The page's filter: today (overdue and today), this week (and this week), or everything. */
export type MyWorkRange = Within | 'all';

export const MY_WORK_RANGES: readonly MyWorkRange[] = ['today', 'week', 'all'];

/** The `within` of `GET /my-work` for a filter (null: no filter). */
export function withinOf(range: MyWorkRange): Within | null {
  return range === 'all' ? null : range;
}

/** How long an assignment counts as new: a day, so that a shift sees what came in since the last. */
export const NEW_FOR_MS = 24 * 60 * 60 * 1000;

/**
 * Whether an order was given to its assignee less than a day ago (a clock slightly ahead of the
 * browser's still counts as new; an unreadable date never does).
 */
export function isNewAssignment(assignedAt: string | null | undefined, now = Date.now()): boolean {
  if (!assignedAt) return false;
  const at = new Date(assignedAt).getTime();
  if (Number.isNaN(at)) return false;
  return now - at < NEW_FOR_MS;
}

/**
 * Orders of a group as shown: its first ones, then the pages loaded since, each order once (an
 * order that moved between pages while they loaded is not shown twice).
 */
export function mergePages<T extends { id: string }>(first: readonly T[], more: readonly T[][]) {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of [first, ...more].flat()) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
  }
  return out;
}
