import { useSearchParams } from 'react-router';

/**
 * A list's filters, sort and page live in the address (shareable, kept on reload). Changing a
 * filter goes back to the first page.
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  const reset = (keep: readonly string[] = []) => {
    const next = new URLSearchParams();
    for (const key of keep) {
      const value = params.get(key);
      if (value !== null) next.set(key, value);
    }
    setParams(next, { replace: true });
  };
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  return { params, update, reset, page };
}

/** A value of `allowed`, or null. */
export function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}
