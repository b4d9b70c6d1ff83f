// Checklist answers: what each kind of item expects, checked before the call (the server
// checks again), and the body of `PATCH /work-orders/{id}/checklist/{item}`.
import type { ChecklistItem, ChecklistKind, NewChecklistItem } from '../api/client';
import { formatNumber } from './format';
import type { Problem } from './validation';

export const CHECKLIST_KINDS: readonly ChecklistKind[] = [
  'checkbox',
  'pass_fail',
  'number',
  'text',
];

export type ChecklistAnswerBody = {
  checked?: boolean;
  passed?: boolean;
  number_value?: number;
  text_value?: string;
  clear?: boolean;
};

/** A number typed by a person: "12,5" as well as "12.5"; blank is null; anything else NaN. */
export function parseDecimal(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : Number.NaN;
  const text = raw.trim().replace(/\s/g, '').replace(',', '.');
  if (text === '') return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number.NaN;
  return Number(text);
}

/** An item's expected bounds in words ("180 – 220 bar", "≥ 85 %"), or null without bounds. */
export function boundsText(
  item: { unit?: string | null; min_value?: number | null; max_value?: number | null },
  language: string,
): string | null {
  const f = (n: number) => formatNumber(n, language);
  const unit = item.unit ? ` ${item.unit}` : '';
  if (item.min_value != null && item.max_value != null) {
    return `${f(item.min_value)} – ${f(item.max_value)}${unit}`;
  }
  if (item.min_value != null) return `≥ ${f(item.min_value)}${unit}`;
  if (item.max_value != null) return `≤ ${f(item.max_value)}${unit}`;
  return null;
}

/** Whether the item has an answer (`completed_at`, or a value of its kind). */
export function isAnswered(item: ChecklistItem): boolean {
  if (item.completed_at) return true;
  switch (item.kind) {
    case 'checkbox':
      return item.checked === true;
    case 'pass_fail':
      return item.passed != null;
    case 'number':
      return item.number_value != null;
    case 'text':
      return (item.text_value ?? '').trim() !== '';
  }
}

/** Whether a value lies outside the item's expected bounds (flagged, not refused). */
export function outOfRange(
  item: Pick<ChecklistItem, 'min_value' | 'max_value'>,
  value: number | null,
): boolean {
  if (value === null || Number.isNaN(value)) return false;
  if (item.min_value != null && value < item.min_value) return true;
  if (item.max_value != null && value > item.max_value) return true;
  return false;
}

/** Required items still unanswered: completion is refused while there are any. */
export function openRequired(items: readonly ChecklistItem[]): ChecklistItem[] {
  return items.filter((item) => item.required && !isAnswered(item));
}

export type RawAnswer =
  | { kind: 'checkbox'; checked: boolean }
  | { kind: 'pass_fail'; passed: boolean | null }
  | { kind: 'number'; value: string | number | null }
  | { kind: 'text'; value: string };

/**
 * The body to send for a person's answer, or the problem that keeps it from being sent. An
 * emptied answer (unchecked box, blank number or text) clears the item.
 */
export function answerBody(raw: RawAnswer): { body: ChecklistAnswerBody } | { problem: Problem } {
  switch (raw.kind) {
    case 'checkbox':
      return { body: raw.checked ? { checked: true } : { clear: true } };
    case 'pass_fail':
      return { body: raw.passed === null ? { clear: true } : { passed: raw.passed } };
    case 'number': {
      const value = parseDecimal(raw.value);
      if (value === null) return { body: { clear: true } };
      if (Number.isNaN(value)) return { problem: { code: 'invalid_number' } };
      return { body: { number_value: value } };
    }
    case 'text': {
      const text = raw.value.trim();
      if (text === '') return { body: { clear: true } };
      if ([...text].length > 2000) return { problem: { code: 'too_long', max: 2000 } };
      return { body: { text_value: text } };
    }
  }
}

/** A new item as the planner fills it in (strings from the inputs). */
export interface ChecklistDraft {
  label: string;
  kind: NewChecklistItem['kind'];
  required: boolean;
  unit: string;
  min: string | number;
  max: string | number;
}

export function emptyDraft(): ChecklistDraft {
  return { label: '', kind: 'checkbox', required: false, unit: '', min: '', max: '' };
}

/** Problems of a draft by field (`label`, `unit`, `min`, `max`), with the server's rules. */
export function checkDraft(draft: ChecklistDraft): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  const label = draft.label.trim();
  if (label === '') problems.label = { code: 'required' };
  else if ([...label].length > 300) problems.label = { code: 'too_long', max: 300 };
  if (draft.kind === 'number') {
    if ([...draft.unit.trim()].length > 20) problems.unit = { code: 'too_long', max: 20 };
    const min = parseDecimal(draft.min);
    const max = parseDecimal(draft.max);
    if (min !== null && Number.isNaN(min)) problems.min = { code: 'invalid_number' };
    if (max !== null && Number.isNaN(max)) problems.max = { code: 'invalid_number' };
    if (min !== null && max !== null && !Number.isNaN(min) && !Number.isNaN(max) && min > max) {
      problems.max = { code: 'invalid_bounds' };
    }
  }
  return problems;
}

/** The API's `NewChecklistItem` for a valid draft. */
export function draftToItem(draft: ChecklistDraft): NewChecklistItem {
  const item: NewChecklistItem = {
    label: draft.label.trim(),
    kind: draft.kind,
    required: draft.required,
  };
  if (draft.kind === 'number') {
    const unit = draft.unit.trim();
    const min = parseDecimal(draft.min);
    const max = parseDecimal(draft.max);
    if (unit) item.unit = unit;
    if (min !== null && !Number.isNaN(min)) item.min_value = min;
    if (max !== null && !Number.isNaN(max)) item.max_value = max;
  }
  return item;
}
