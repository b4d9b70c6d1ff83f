// Glue between Mantine forms, the shared validation rules and API errors.
import type { i18n as I18n } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { fieldMessage, formErrors } from '../i18n/messages';
import { checkPassword, type PersonalWords, type Problem } from './validation';

interface ErrorTarget {
  getValues: () => object;
  setErrors: (errors: Record<string, string>) => void;
}

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
  form: ErrorTarget,
  i18n: I18n,
  error: unknown,
  rename: Record<string, string> = {},
): string | null {
  const { fields, general } = formErrors(i18n, error, Object.keys(form.getValues()), rename);
  form.setErrors(fields);
  return general;
}

/**
 * Submits a form through `send`: `busy` while it runs; a refusal is shown on the form (see
 * `applyServerErrors`), its message for no field in `general`, and then handed to `onError`.
 */
export function useFormSubmit<V>(
  form: ErrorTarget,
  send: (values: V) => Promise<void>,
  onError?: (error: unknown) => void,
) {
  const { i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const submit = async (values: V) => {
    setBusy(true);
    setGeneral(null);
    try {
      await send(values);
    } catch (error) {
      setGeneral(applyServerErrors(form, i18n, error));
      onError?.(error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, general, submit };
}

/** For `onError` on a long page: its refusal shows at the top, maybe out of sight. */
export function scrollToTop() {
  window.scrollTo({ top: 0, behavior: 'smooth' });
}

/** A new password and its confirmation (`NewPasswordFields`). */
export interface NewPasswordValues {
  password: string;
  confirm: string;
}

/** Validators of `password` (the server's rules) and `confirm` (the same again). */
export function newPasswordRules(i18n: I18n, personal: PersonalWords = {}) {
  return {
    password: rule(i18n, (v: string) => checkPassword(v, personal)),
    confirm: (value: string, values: NewPasswordValues) =>
      value !== values.password ? i18n.t('account.passwordsDiffer') : null,
  };
}
