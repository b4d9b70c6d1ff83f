// The rules of a work order's fields that every form writing one shares, with the server's limits.
import type { i18n as I18n } from 'i18next';

import { rule } from './forms';
import { checkName, checkOptionalText } from './validation';

/** The server's limits. */
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const ESTIMATE_MAX = 100_000;

/** The checks of the title and description, with the server's rules. */
export function orderTextRules(i18n: I18n) {
  return {
    title: rule(i18n, (v: string) => checkName(v, TITLE_MAX)),
    description: rule(i18n, (v: string) => checkOptionalText(v, DESCRIPTION_MAX)),
  };
}
