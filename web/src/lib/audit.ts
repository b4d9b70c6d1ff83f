// Reading an audit entry's `changes`: `{"name": {"before": "Lyon", "after": "Lyon Est"}}` for
// recorded writes, or plain facts (`{"other_sessions_ended": 2}`) for domain actions.
import { isRecord } from '../api/errors';

export interface ChangeRow {
  field: string;
  before: unknown;
  after: unknown;
  /** A plain fact rather than a before/after pair. */
  plain: boolean;
}

export function changeRows(changes: unknown): ChangeRow[] {
  if (!isRecord(changes)) return [];
  return Object.entries(changes).map(([field, value]) => {
    if (isRecord(value) && ('before' in value || 'after' in value)) {
      return { field, before: value.before ?? null, after: value.after ?? null, plain: false };
    }
    return { field, before: null, after: value, plain: true };
  });
}

/** A name for the entry's object, from what it recorded (`name`, `full_name`, `code`…). */
export function entityLabel(changes: unknown): string | null {
  const rows = changeRows(changes);
  for (const field of ['name', 'full_name', 'email', 'slug', 'code']) {
    const row = rows.find((r) => r.field === field);
    const value = row ? (row.after ?? row.before) : null;
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Local calendar days (YYYY-MM-DD, inclusive) → the API's instants (`from` inclusive, `to` exclusive). */
export function dayRangeToInstants(
  from: string | null,
  to: string | null,
): { from: string | null; to: string | null } {
  const startOf = (day: string, plusDays = 0): string | null => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!match) return null;
    const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
    return date.toISOString();
  };
  return { from: from ? startOf(from) : null, to: to ? startOf(to, 1) : null };
}
