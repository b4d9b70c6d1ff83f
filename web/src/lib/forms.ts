// Glue between Mantine forms, the shared validation rules and API errors.
import type { i18n as I18n } from 'i18next';

import { fieldMessage, formErrors } from '../i18n/messages';
import type { Problem } from './validation';

/** A Mantine validator from a check of `validation.ts`, with messages in the current language. */
export function rule<V>(i18n: I18n, check: (value: V) => Problem) {
  return (value: V): string | null => {
    const problem = check(value);
    return problem ? fieldMessage(i18n, problem) : null;
  };
}

/**
 * Shows an API error on the form: field errors under their fields, and answers the message that
 * belongs to no field (or null).
 */
export function applyServerErrors(
  form: { getValues: () => object; setErrors: (errors: Record<string, string>) => void },
  i18n: I18n,
  error: unknown,
  rename: Record<string, string> = {},
): string | null {
  const { fields, general } = formErrors(i18n, error, Object.keys(form.getValues()), rename);
  form.setErrors(fields);
  return general;
}
