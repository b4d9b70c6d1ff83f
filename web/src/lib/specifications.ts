// Free specifications of equipment (`{"puissance_kw": 22, "tension": "400 V"}`) as rows of an
// editor, and back. The server accepts at most 50 keys of up to 80 characters, with scalar values
// (strings of up to 500 characters, numbers, booleans).
import type { Problem } from './validation';

export interface SpecRow {
  key: string;
  value: string;
}

export const SPEC_MAX_KEYS = 50;

/** Rows for the editor; numbers and booleans become their text. */
export function specsToRows(value: unknown): SpecRow[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? v
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : v == null
            ? ''
            : JSON.stringify(v),
  }));
}

/** A value as typed: plain numbers ("22", "7.5", "7,5") become numbers, the rest stays text. */
export function specValue(raw: string): string | number | boolean {
  const text = raw.trim();
  if (/^-?\d+([.,]\d+)?$/.test(text) && !/^-?0\d/.test(text)) return Number(text.replace(',', '.'));
  return text;
}

/** The object to send; blank rows are dropped. */
export function rowsToSpecs(rows: readonly SpecRow[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    out[key] = specValue(row.value);
  }
  return out;
}

/** The first problem of the rows: a value without a name, a name twice, too long, too many. */
export function checkSpecRows(rows: readonly SpecRow[]): Problem {
  const used = rows.filter((r) => r.key.trim() !== '' || r.value.trim() !== '');
  if (used.length > SPEC_MAX_KEYS) return { code: 'too_many_specifications', max: SPEC_MAX_KEYS };
  const seen = new Set<string>();
  for (const row of used) {
    const key = row.key.trim();
    if (key === '') return { code: 'specification_key_required' };
    if ([...key].length > 80) return { code: 'too_long', max: 80 };
    if ([...row.value.trim()].length > 500) return { code: 'too_long', max: 500 };
    const folded = key.toLowerCase();
    if (seen.has(folded)) return { code: 'specification_key_twice', key };
    seen.add(folded);
  }
  return null;
}

/**
 * Whether two specification objects say the same (to leave them out of a PATCH), whatever the
 * order of their keys (a template's order may differ from the order they were recorded in).
 */
export function sameSpecs(a: unknown, b: unknown): boolean {
  const sorted = (value: unknown) =>
    JSON.stringify(
      Object.entries(rowsToSpecs(specsToRows(value))).sort(([x], [y]) => (x < y ? -1 : 1)),
    );
  return sorted(a) === sorted(b);
}
