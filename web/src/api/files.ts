// Attachments: uploads with progress (XMLHttpRequest, since fetch reports none), downloads with
// the bearer token (fetched as a blob, shown through an object URL).
import { useEffect, useState } from 'react';

import i18n from '../i18n';
import { fileNameFromDisposition } from '../lib/download';
import { API_BASE, apiFetch, session, type AttachmentInfo } from './client';
import { ApiError, networkError, toApiError } from './errors';
import { endReasonOf } from './session';

export interface XhrAnswer {
  status: number;
  body: unknown;
}

export interface SendFormOptions {
  /** The bearer token; none for the public portal. */
  token?: string | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * POSTs a `multipart/form-data` body to `path` (under `/api/v1`) with its upload progress, and
 * answers the status and parsed body whatever they are.
 */
export function sendForm(
  path: string,
  form: FormData,
  { token = null, onProgress, signal }: SendFormOptions = {},
): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}${path}`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept-Language', i18n.language);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(networkError(new Error('upload failed')));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', ''));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

function send(
  path: string,
  file: File,
  token: string | null,
  onProgress: ((fraction: number) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<XhrAnswer> {
  const form = new FormData();
  form.append('file', file, file.name);
  return sendForm(path, form, { token, onProgress, signal });
}

function codeOf(body: unknown): string | null {
  return typeof body === 'object' &&
    body !== null &&
    'code' in body &&
    typeof body.code === 'string'
    ? body.code
    : null;
}

/**
 * Uploads one file as `multipart/form-data` (one `file` part) to `path` (under `/api/v1`),
 * reporting progress from 0 to 1. Refreshes an expired access token once, like every call.
 */
export async function uploadFile(
  path: string,
  file: File,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AttachmentInfo> {
  let token = session.accessToken;
  if (token === null && session.resumable) {
    token = await session.refresh(null).catch(() => null);
  }
  let answer = await send(path, file, token, onProgress, signal);
  if (answer.status === 401 && codeOf(answer.body) === 'token_expired' && token !== null) {
    const fresh = await session.refresh(token).catch(() => null);
    if (fresh !== null) answer = await send(path, file, fresh, onProgress, signal);
  }
  if (answer.status >= 200 && answer.status < 300) {
    onProgress?.(1);
    return answer.body as AttachmentInfo;
  }
  const reason = endReasonOf(codeOf(answer.body));
  if (reason !== undefined) session.end(reason);
  throw toApiError(answer.status, answer.body);
}

/** The content of an API address (`/api/v1/...`) as a blob, or an [`ApiError`]. */
export async function fetchBlob(url: string): Promise<Blob> {
  const response = await apiFetch(url);
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw toApiError(response.status, body);
  }
  return await response.blob();
}

/** A generated file (an export, a report) with the name the server gives it, if any. */
export interface FetchedFile {
  blob: Blob;
  fileName: string | null;
}

/** Like `fetchBlob`, with the file name of the answer's `Content-Disposition`. */
export async function fetchFile(url: string): Promise<FetchedFile> {
  const response = await apiFetch(url);
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw toApiError(response.status, body);
  }
  const fileName = fileNameFromDisposition(response.headers.get('content-disposition'));
  return { blob: await response.blob(), fileName };
}

/** Saves a blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export async function downloadFile(url: string, fileName: string): Promise<void> {
  saveBlob(await fetchBlob(url), fileName);
}

/** Opens a document (PDF, photo) in a new tab, fetched with the session. */
export async function openFile(url: string): Promise<void> {
  // Opened before the download so that the browser does not block it as a pop-up.
  const opened = window.open('', '_blank');
  try {
    const blob = await fetchBlob(url);
    const href = URL.createObjectURL(blob);
    if (opened) opened.location.href = href;
    else window.location.assign(href);
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  } catch (error) {
    opened?.close();
    throw error;
  }
}

export interface ObjectUrlState {
  url: string | null;
  error: unknown;
}

/** An object URL for an API address (thumbnails, QR codes), revoked when no longer shown. */
export function useObjectUrl(apiUrl: string | null): ObjectUrlState {
  const [state, setState] = useState<ObjectUrlState & { for: string | null }>({
    url: null,
    error: null,
    for: null,
  });
  useEffect(() => {
    if (apiUrl === null) return;
    let cancelled = false;
    let created: string | null = null;
    fetchBlob(apiUrl)
      .then((blob) => {
        if (cancelled) return;
        created = URL.createObjectURL(blob);
        setState({ url: created, error: null, for: apiUrl });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ url: null, error, for: apiUrl });
      });
    return () => {
      cancelled = true;
      if (created) URL.revokeObjectURL(created);
    };
  }, [apiUrl]);
  return state.for === apiUrl ? { url: state.url, error: state.error } : { url: null, error: null };
}
