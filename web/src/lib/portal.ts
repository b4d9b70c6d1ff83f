// The public request portal: its address (what a machine's QR code encodes once its site opened
// the portal), the fields a report sends, what a refusal means to someone without an account,
// and how to reach the person who left a contact.
import type { i18n as I18n } from 'i18next';

import { ApiError } from '../api/errors';
import { errorMessage } from '../i18n/messages';

/** `/portal/demo/equipment/…`: the page a scanned QR code opens when the portal is open. */
export function portalPath(companySlug: string, equipmentId: string): string {
  return `/portal/${encodeURIComponent(companySlug)}/equipment/${encodeURIComponent(equipmentId)}`;
}

/** What the portal's form holds (the photo travels beside it). */
export interface PortalValues {
  title: string;
  description: string;
  production_stopped: boolean;
  reporter_name: string;
  reporter_contact: string;
}

export const PORTAL_LIMITS = {
  title: 200,
  description: 5000,
  reporter_name: 120,
  reporter_contact: 200,
} as const;

/** The multipart fields of a report: texts trimmed, empty optional ones left out. */
export function portalFields(values: PortalValues): Array<[string, string]> {
  const fields: Array<[string, string]> = [['title', values.title.trim()]];
  for (const name of ['description', 'reporter_name', 'reporter_contact'] as const) {
    const value = values[name].trim();
    if (value !== '') fields.push([name, value]);
  }
  fields.push(['production_stopped', values.production_stopped ? 'true' : 'false']);
  return fields;
}

/**
 * What went wrong, as the portal tells it: the portal closed (or the machine unknown: one
 * neutral answer, as the server gives), too many reports from this connection, the photo
 * refused, fields to correct, or anything else.
 */
export type PortalProblem =
  | { kind: 'closed' }
  | { kind: 'throttled'; minutes: number | null }
  | { kind: 'photo' }
  | { kind: 'fields' }
  | { kind: 'other' };

export function portalProblem(error: unknown): PortalProblem {
  if (!(error instanceof ApiError)) return { kind: 'other' };
  if (error.status === 404 || error.code === 'not_found') return { kind: 'closed' };
  if (error.status === 429 || error.code === 'too_many_attempts') {
    const seconds = Number(error.details.retry_after_seconds);
    return {
      kind: 'throttled',
      minutes:
        Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.ceil(seconds / 60)) : null,
    };
  }
  if (
    error.status === 413 ||
    error.status === 415 ||
    error.code === 'payload_too_large' ||
    error.code === 'unsupported_file_type'
  ) {
    return { kind: 'photo' };
  }
  if (Object.keys(error.fields).length > 0) return { kind: 'fields' };
  return { kind: 'other' };
}

/** Whether loading the machine says "no portal here": closed, unknown, or no id at all (400). */
export function machineUnavailable(error: unknown): boolean {
  return (
    portalProblem(error).kind === 'closed' || (error instanceof ApiError && error.status === 400)
  );
}

/** The sentence for a refusal that belongs to no field of the form. */
export function portalErrorMessage(i18n: I18n, error: unknown): string {
  const problem = portalProblem(error);
  switch (problem.kind) {
    case 'closed':
      return i18n.t('portal.unavailableText');
    case 'throttled':
      return problem.minutes === null
        ? i18n.t('portal.throttledSoon')
        : i18n.t('portal.throttled', { count: problem.minutes });
    case 'photo':
      // A proxy's 413 has no body the app knows: the size limit still says it best.
      return error instanceof ApiError && error.code === 'unexpected_response'
        ? i18n.t('errors.payload_too_large')
        : errorMessage(i18n, error);
    default:
      return errorMessage(i18n, error);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().\-/]+$/;

/**
 * A link that reaches the person who reported from the portal: `mailto:` for an address,
 * `tel:` for a telephone number (at least 6 digits), nothing for anything else they wrote.
 */
export function contactHref(contact: string | null | undefined): string | null {
  const value = (contact ?? '').trim();
  if (value === '') return null;
  if (EMAIL.test(value)) return `mailto:${value}`;
  if (PHONE.test(value)) {
    const digits = value.replace(/[^\d+]/g, '');
    if (digits.replace(/\D/g, '').length >= 6) return `tel:${digits}`;
  }
  return null;
}
