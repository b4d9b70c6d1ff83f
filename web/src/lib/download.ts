// Downloads of generated files: the name the server gives (`Content-Disposition`), and the
// address of an API call with its query.

/**
 * The file name a `Content-Disposition` header gives: the UTF-8 `filename*=` first (RFC 6266,
 * what gmao writes), then a plain `filename=`; null without one. Folders are cut off.
 */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      name = decodeURIComponent(extended[2].trim());
    } catch {
      name = null;
    }
  }
  if (name === null) {
    const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
    if (plain) name = (plain[2] ?? plain[1] ?? '').replace(/\\(.)/g, '$1').trim();
  }
  const base = name?.split(/[/\\]/).pop()?.trim() ?? '';
  return base === '' ? null : base;
}

type QueryValue = string | number | boolean | null | undefined;

/** `/api/v1<path>?<query>`, leaving out what is null, undefined or empty. */
export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}
