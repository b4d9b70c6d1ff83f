// For tests: an i18next of their own, in one language, with the app's messages.
import i18next, { type i18n as I18n } from 'i18next';

import en from './en';
import fr from './fr';

export async function testI18n(lng: 'fr' | 'en'): Promise<I18n> {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    fallbackLng: 'fr',
    resources: { fr: { translation: fr }, en: { translation: en } },
    interpolation: { escapeValue: false },
  });
  return i18n;
}
