// API errors → sentences in the interface's language, chosen by the stable `code` (and
// `details.fields.<field>.code` for a 422). The server's own `message` is only a fallback for a
// code this version of the app does not know yet.
import type { i18n as I18n } from 'i18next';

import { ApiError, type FieldProblem } from '../api/errors';

type Params = Record<string, unknown>;

function translate(i18n: I18n, key: string, params: Params = {}): string | null {
  return i18n.exists(key) ? i18n.t(key, params) : null;
}

/** The message of one rejected field (from the server's 422, or from client-side validation). */
export function fieldMessage(i18n: I18n, problem: FieldProblem): string {
  const { code, ...params } = problem;
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

/** A sentence for any error the app may meet. */
export function errorMessage(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('errors.unknown');
  const params = messageParams(error);
  if (error.code === 'has_children') {
    if (typeof error.details.plants === 'number') {
      return i18n.t('errors.has_children_plants', { count: error.details.plants });
    }
    if (typeof error.details.production_lines === 'number') {
      return i18n.t('errors.has_children_lines', { count: error.details.production_lines });
    }
  }
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
