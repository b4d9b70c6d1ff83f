// API errors → sentences in the interface's language, chosen by the stable `code` (and
// `details.fields.<field>.code` for a 422). The server's own `message` is only a fallback for a
// code this version of the app does not know yet.
import type { i18n as I18n } from 'i18next';

import { ApiError, isRecord, type FieldProblem } from '../api/errors';
import { formatDate, formatDateTime, formatNumber } from '../lib/format';

type Params = Record<string, unknown>;

/**
 * Parameters as a sentence shows them: instants (`previous_read_at`) in the reader's date
 * format, bounds that are instants (`max` of `range_too_long`) as dates, numbers
 * (`previous_value`) with their separators; `count` stays a number for plurals.
 */
function readable(i18n: I18n, params: Params): Params {
  const out: Params = { ...params };
  for (const [key, value] of Object.entries(params)) {
    if (key === 'count') continue;
    if (typeof value === 'number') out[key] = formatNumber(value, i18n.language);
    else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
      // A bound that is an instant (`range_too_long`'s latest day) reads as a date.
      if (key.endsWith('_at')) out[key] = formatDateTime(value, i18n.language);
      else if (key === 'max' || key === 'min') out[key] = formatDate(value, i18n.language);
    }
  }
  return out;
}

/** A byte size in megabytes ("20 Mo" / "20 MB"). */
function megabytes(i18n: I18n, bytes: number): string {
  const value = formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, i18n.language);
  return i18n.language.startsWith('fr') ? `${value} Mo` : `${value} MB`;
}

function translate(i18n: I18n, key: string, params: Params = {}): string | null {
  return i18n.exists(key) ? i18n.t(key, params) : null;
}

/** The message of one rejected field (from the server's 422, or from client-side validation). */
export function fieldMessage(i18n: I18n, problem: FieldProblem): string {
  const { code, ...raw } = problem;
  const params = readable(i18n, raw);
  // Both bounds when the server gives both (`every` 1–1000, `downtime_minutes` 0–1,000,000);
  // a lower bound alone (`every_units` above 0) must not read "Entre 0 et {{max}}".
  if (code === 'out_of_range') {
    const min = raw.min !== undefined && raw.min !== null;
    const max = raw.max !== undefined && raw.max !== null;
    const key =
      min && max
        ? 'out_of_range'
        : min
          ? 'out_of_range_min'
          : max
            ? 'out_of_range_max'
            : 'out_of_range_unbounded';
    return i18n.t(`fieldErrors.${key}`, params);
  }
  if (code === 'weak_password') {
    const reason = typeof params.reason === 'string' ? params.reason : 'default';
    return (
      translate(i18n, `fieldErrors.weak_password.${reason}`, params) ??
      i18n.t('fieldErrors.weak_password.default')
    );
  }
  return (
    translate(i18n, `fieldErrors.${code}`, params) ??
    (typeof params.message === 'string' && params.message !== '' ? params.message : null) ??
    i18n.t('fieldErrors.unknown', { code })
  );
}

/** Parameters that some messages need, derived from `details`. */
function messageParams(error: ApiError): Params {
  const details = error.details;
  const params: Params = { ...details };
  const seconds = Number(details.retry_after_seconds);
  if (Number.isFinite(seconds) && seconds > 0)
    params.minutes = Math.max(1, Math.ceil(seconds / 60));
  if (typeof details.members === 'number') params.count = details.members;
  return params;
}

/** Names of a status or an action in the reader's language (`invalid_transition`). */
function vocabulary(i18n: I18n, group: string, value: unknown): string {
  if (typeof value !== 'string') return '';
  const key = `${group}.${value}`;
  return i18n.exists(key) ? i18n.t(key) : value;
}

/** Sentences that depend on the details of the error, or null for the plain one. */
function detailedMessage(i18n: I18n, error: ApiError): string | null {
  const d = error.details;
  const positive = (v: unknown): v is number => typeof v === 'number' && v > 0;
  switch (error.code) {
    case 'has_children':
      if (positive(d.plants)) return i18n.t('errors.has_children_plants', { count: d.plants });
      if (positive(d.production_lines)) {
        return i18n.t('errors.has_children_lines', { count: d.production_lines });
      }
      if (positive(d.equipment)) {
        return i18n.t('errors.has_children_equipment', { count: d.equipment });
      }
      if (positive(d.components)) {
        return i18n.t('errors.has_children_components', { count: d.components });
      }
      return null;
    case 'open_work_orders':
      return positive(d.open_work_orders)
        ? i18n.t('errors.open_work_orders_count', { count: d.open_work_orders })
        : null;
    case 'in_use':
      return positive(d.work_orders)
        ? i18n.t('errors.in_use_count', { count: d.work_orders })
        : null;
    case 'invalid_transition':
      return typeof d.from === 'string' && typeof d.action === 'string'
        ? i18n.t('errors.invalid_transition_from', {
            action: vocabulary(i18n, 'woActions', d.action),
            from: vocabulary(i18n, 'woStatus', d.from),
          })
        : null;
    case 'checklist_incomplete': {
      const labels = Array.isArray(d.items)
        ? d.items
            .map((item) => (isRecord(item) && typeof item.label === 'string' ? item.label : null))
            .filter((label): label is string => label !== null)
        : [];
      return labels.length > 0
        ? i18n.t('errors.checklist_incomplete_items', {
            count: labels.length,
            items: labels.map((text) => i18n.t('common.quoted', { text })).join(', '),
          })
        : null;
    }
    case 'payload_too_large':
      return positive(d.max_bytes)
        ? i18n.t('errors.payload_too_large_max', { size: megabytes(i18n, d.max_bytes) })
        : null;
    case 'work_order_finished':
    case 'work_order_not_in_progress':
      return typeof d.status === 'string'
        ? i18n.t(`errors.${error.code}_status`, { status: vocabulary(i18n, 'woStatus', d.status) })
        : null;
    default:
      return null;
  }
}

/** A sentence for any error the app may meet. */
export function errorMessage(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('errors.unknown');
  const params = messageParams(error);
  const detailed = detailedMessage(i18n, error);
  if (detailed !== null) return detailed;
  if (error.code === 'role_in_use' && typeof params.count === 'number') {
    return i18n.t('errors.role_in_use_count', params);
  }
  if (error.code === 'too_many_attempts' && typeof params.minutes === 'number') {
    return i18n.t('errors.too_many_attempts_minutes', { ...params, count: params.minutes });
  }
  const known = translate(i18n, `errors.${error.code}`, params);
  if (known !== null) return known;
  // A single field's code raised at the top (`invalid_slug`, `weak_password`…).
  const first = Object.values(error.fields)[0];
  if (first) return fieldMessage(i18n, first);
  if (error.message !== '' && error.message !== error.code) return error.message;
  return i18n.t('errors.unknown');
}

export interface FormErrors {
  /** Messages by form field. */
  fields: Record<string, string>;
  /** What cannot be shown next to a field of the form. */
  general: string | null;
}

/**
 * Spreads an API error over a form: each rejected field (422 `details.fields`, or the
 * `details.field` of a conflict such as `slug_taken`) gets its message under the field; the
 * rest becomes a general message. `rename` maps API field names to form field names.
 */
export function formErrors(
  i18n: I18n,
  error: unknown,
  formFields: readonly string[],
  rename: Record<string, string> = {},
): FormErrors {
  const fields: Record<string, string> = {};
  if (!(error instanceof ApiError)) return { fields, general: errorMessage(i18n, error) };
  const target = (name: string): string | null => {
    const mapped = rename[name] ?? name;
    return formFields.includes(mapped) ? mapped : null;
  };
  const problems = error.fields;
  let unplaced = false;
  for (const [name, problem] of Object.entries(problems)) {
    const field = target(name);
    if (field) fields[field] = fieldMessage(i18n, problem);
    else unplaced = true;
  }
  if (Object.keys(problems).length > 0) {
    return { fields, general: unplaced ? errorMessage(i18n, error) : null };
  }
  const conflictField = error.field ? target(error.field) : null;
  if (conflictField) {
    fields[conflictField] = errorMessage(i18n, error);
    return { fields, general: null };
  }
  return { fields, general: errorMessage(i18n, error) };
}
