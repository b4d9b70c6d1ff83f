// The public request portal's calls. Whoever scans a QR code has no account: these calls carry
// no token and no cookie, never refresh a session and never end one, whatever session this
// browser may hold for the rest of the app.
import { useQuery } from '@tanstack/react-query';
import createClient from 'openapi-fetch';

import i18n from '../i18n';
import { portalFields, type PortalValues } from '../lib/portal';
import { API_BASE, call, type Schemas } from './client';
import { toApiError } from './errors';
import { sendForm } from './files';
import type { paths } from './schema';

export type PortalEquipment = Schemas['PortalEquipment'];
export type PortalReceipt = Schemas['PortalReceipt'];

function anonymousFetch(request: Request): Promise<Response> {
  request.headers.set('Accept-Language', i18n.language);
  return globalThis.fetch(request, { credentials: 'omit' });
}

const portal = createClient<paths>({ baseUrl: API_BASE, fetch: anonymousFetch });

/** The machine behind a QR code, with its site and company (404 when the portal is closed). */
export function usePortalEquipment(company: string, equipmentId: string) {
  return useQuery({
    queryKey: ['portal', company, equipmentId],
    queryFn: () =>
      call(
        portal.GET('/portal/{company}/equipment/{id}', {
          params: { path: { company, id: equipmentId } },
        }),
      ),
    staleTime: 5 * 60_000,
  });
}

export interface PortalReport {
  company: string;
  equipmentId: string;
  values: PortalValues;
  photo: File | null;
  onProgress?: (fraction: number) => void;
}

/**
 * Sends a report (multipart: the fields and the photo in one request, with its upload progress)
 * and answers its receipt, or throws the [`ApiError`] of the refusal.
 */
export async function sendPortalReport({
  company,
  equipmentId,
  values,
  photo,
  onProgress,
}: PortalReport): Promise<PortalReceipt> {
  const form = new FormData();
  for (const [name, value] of portalFields(values)) form.append(name, value);
  if (photo) form.append('photo', photo, photo.name);
  const path = `/portal/${encodeURIComponent(company)}/equipment/${encodeURIComponent(equipmentId)}/requests`;
  const answer = await sendForm(path, form, { onProgress });
  if (answer.status === 201 || answer.status === 200) return answer.body as PortalReceipt;
  throw toApiError(answer.status, answer.body);
}
