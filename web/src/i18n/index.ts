// i18next with French by default and English. Pages read everything through `t`; the language
// is the user's (`locale` from the API) once logged in, and the last one chosen on this device
// before that.
import dayjs from 'dayjs';
import 'dayjs/locale/en';
import 'dayjs/locale/fr';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import en from './en';
import fr from './fr';

export const LANGUAGES = ['fr', 'en'] as const;
export type AppLanguage = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: AppLanguage = 'fr';
const STORAGE_KEY = 'gmao.locale';

export function isLanguage(value: unknown): value is AppLanguage {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): AppLanguage {
  try {
    const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export const resources = {
  fr: { translation: fr },
  en: { translation: en },
} as const;

const initial = storedLanguage();

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  missingKeyHandler: (_lngs, _ns, key) => {
    console.error(`i18n: missing key "${key}"`);
  },
  saveMissing: import.meta.env.DEV,
});
applyDocumentLanguage(initial);

function applyDocumentLanguage(language: AppLanguage): void {
  dayjs.locale(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** Switches the interface's language and remembers it on this device. */
export async function setLanguage(language: AppLanguage): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing: the choice lasts for the page only.
  }
  applyDocumentLanguage(language);
  if (i18n.language !== language) await i18n.changeLanguage(language);
}

/** Whether someone chose a language on this device (otherwise French, the default, applies). */
export function hasRememberedLanguage(): boolean {
  try {
    return isLanguage(
      typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY),
    );
  } catch {
    return false;
  }
}

export function currentLanguage(): AppLanguage {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

export default i18n;
