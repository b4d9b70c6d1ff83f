// Files people attach: photos and PDFs of up to 20 MiB (the server's default), checked before
// sending so that a phone on a weak network does not upload for nothing.
import type { Problem } from './validation';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** What the file pickers offer: photos and PDFs. */
export const ACCEPTED_FILES = 'image/*,application/pdf,.pdf,.heic,.heif';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|heic|heif|avif)$/i;

export function isImageType(contentType: string | null | undefined): boolean {
  return typeof contentType === 'string' && contentType.startsWith('image/');
}

export function isPdfType(contentType: string | null | undefined): boolean {
  return contentType === 'application/pdf';
}

/** The problem the server would answer (413/415), known before sending; null when fine. */
export function checkUpload(file: Pick<File, 'name' | 'size' | 'type'>): Problem {
  if (file.size > MAX_UPLOAD_BYTES) {
    return { code: 'payload_too_large', max_bytes: MAX_UPLOAD_BYTES };
  }
  const typeOk =
    isImageType(file.type) ||
    isPdfType(file.type) ||
    IMAGE_EXTENSIONS.test(file.name) ||
    /\.pdf$/i.test(file.name);
  return typeOk ? null : { code: 'unsupported_file_type' };
}

/** "2,4 Mo" / "2.4 MB". */
export function formatBytes(bytes: number, language: string): string {
  const units = language.startsWith('fr') ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
