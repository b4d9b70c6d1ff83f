import { describe, expect, it } from 'vitest';

import { ApiError, networkError } from '../api/errors';
import { testI18n } from '../i18n/testing';
import {
  contactHref,
  machineUnavailable,
  portalErrorMessage,
  portalFields,
  portalPath,
  portalProblem,
} from './portal';

const fr = await testI18n('fr');
const en = await testI18n('en');

describe('portal', () => {
  it('writes the address a QR code encodes', () => {
    expect(portalPath('demo', '0b9c')).toBe('/portal/demo/equipment/0b9c');
  });

  it('sends trimmed texts and leaves empty optional fields out', () => {
    expect(
      portalFields({
        title: '  Fuite d’huile ',
        description: '   ',
        production_stopped: true,
        reporter_name: ' Léa Martin ',
        reporter_contact: '',
      }),
    ).toEqual([
      ['title', 'Fuite d’huile'],
      ['reporter_name', 'Léa Martin'],
      ['production_stopped', 'true'],
    ]);
    expect(
      portalFields({
        title: 'Bruit',
        description: 'Depuis ce matin',
        production_stopped: false,
        reporter_name: '',
        reporter_contact: '06 12 34 56 78',
      }),
    ).toEqual([
      ['title', 'Bruit'],
      ['description', 'Depuis ce matin'],
      ['reporter_contact', '06 12 34 56 78'],
      ['production_stopped', 'false'],
    ]);
  });

  it('tells a closed portal, a throttle, a refused photo and field errors apart', () => {
    expect(portalProblem(new ApiError(404, 'not_found', ''))).toEqual({ kind: 'closed' });
    expect(
      portalProblem(new ApiError(429, 'too_many_attempts', '', { retry_after_seconds: 1500 })),
    ).toEqual({ kind: 'throttled', minutes: 25 });
    expect(
      portalProblem(new ApiError(429, 'too_many_attempts', '', { retry_after_seconds: 4 })),
    ).toEqual({ kind: 'throttled', minutes: 1 });
    expect(portalProblem(new ApiError(429, 'too_many_attempts', ''))).toEqual({
      kind: 'throttled',
      minutes: null,
    });
    expect(portalProblem(new ApiError(413, 'payload_too_large', ''))).toEqual({ kind: 'photo' });
    expect(portalProblem(new ApiError(415, 'unsupported_file_type', ''))).toEqual({
      kind: 'photo',
    });
    expect(
      portalProblem(
        new ApiError(422, 'validation_failed', '', { fields: { title: { code: 'required' } } }),
      ),
    ).toEqual({ kind: 'fields' });
    expect(portalProblem(networkError())).toEqual({ kind: 'other' });
    expect(portalProblem(new Error('boom'))).toEqual({ kind: 'other' });
  });

  it('treats a machine that is not there, or no id at all, as no portal', () => {
    expect(machineUnavailable(new ApiError(404, 'not_found', ''))).toBe(true);
    expect(machineUnavailable(new ApiError(400, 'invalid_parameter', ''))).toBe(true);
    expect(machineUnavailable(networkError())).toBe(false);
    expect(machineUnavailable(new ApiError(500, 'internal_error', ''))).toBe(false);
  });

  it('says how long to wait, and why a photo is refused, in both languages', () => {
    const throttled = new ApiError(429, 'too_many_attempts', '', { retry_after_seconds: 1500 });
    expect(portalErrorMessage(fr, throttled)).toBe(
      'Trop de signalements depuis cette connexion. Réessayez dans 25 minutes.',
    );
    expect(portalErrorMessage(en, throttled)).toBe(
      'Too many reports from this connection. Try again in 25 minutes.',
    );
    expect(
      portalErrorMessage(
        en,
        new ApiError(429, 'too_many_attempts', '', { retry_after_seconds: 30 }),
      ),
    ).toBe('Too many reports from this connection. Try again in 1 minute.');
    expect(
      portalErrorMessage(
        fr,
        new ApiError(413, 'payload_too_large', '', { max_bytes: 20 * 1024 * 1024 }),
      ),
    ).toBe('Le fichier dépasse la taille maximale acceptée (20 Mo).');
    // A proxy's 413 with a body the app does not know.
    expect(portalErrorMessage(en, new ApiError(413, 'unexpected_response', ''))).toBe(
      en.t('errors.payload_too_large'),
    );
    expect(portalErrorMessage(fr, new ApiError(415, 'unsupported_file_type', ''))).toBe(
      fr.t('errors.unsupported_file_type'),
    );
    expect(portalErrorMessage(fr, new ApiError(404, 'not_found', ''))).toBe(
      fr.t('portal.unavailableText'),
    );
  });

  it('links a contact to a mail or a call, and nothing else', () => {
    expect(contactHref('lea.martin@interim.test')).toBe('mailto:lea.martin@interim.test');
    expect(contactHref(' 06 12 34 56 78 ')).toBe('tel:0612345678');
    expect(contactHref('+33 (0)6.12.34.56.78')).toBe('tel:+330612345678');
    expect(contactHref('poste 42')).toBeNull();
    expect(contactHref('12-34')).toBeNull();
    expect(contactHref('')).toBeNull();
    expect(contactHref(null)).toBeNull();
  });
});
