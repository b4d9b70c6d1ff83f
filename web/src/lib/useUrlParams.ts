import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
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

/**
 * `useUrlParams` with the list's search box (`q`): the box shows what is typed at once, the
 * address (and so the query) follows after a pause. Resetting the filters empties the box and
 * keeps the order.
 */
export function useListParams() {
  const { params, update, reset, page } = useUrlParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const applySearch = useDebouncedCallback((value: string) => update({ q: value.trim() }), 300);
  const onSearch = (value: string) => {
    setSearch(value);
    applySearch(value);
  };
  const resetFilters = () => {
    setSearch('');
    reset(['sort']);
  };
  return { params, update, page, q, search, onSearch, resetFilters };
}

/** A value of `allowed`, or null. */
export function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}
