import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/** Page sizes offered by every list. */
export const PAGE_SIZES = [10, 20, 50, 100];
const DEFAULT_PAGE_SIZE = 20;

function readPositiveInt(raw: string | null, fallback: number, max: number): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

/** Filters and paging of a list page, as read from and written to the URL. */
export interface ListState<K extends string> {
  filters: Record<K, string>;
  page: number;
  pageSize: number;
  /** Changes some filters and goes back to the first page. */
  setFilters: (patch: Partial<Record<K, string>>) => void;
  setPage: (page: number, pageSize: number) => void;
  /** Clears every filter. */
  resetFilters: () => void;
}

/**
 * Keeps a list's filters and page in the query string, so the back button, a reload or a shared
 * link shows the same rows.
 */
export function useListState<K extends string>(keys: readonly K[]): ListState<K> {
  const [params, setParams] = useSearchParams();
  const keyList = keys.join(',');

  const filters = useMemo(() => {
    const entries = keyList.split(',').map((key) => [key, params.get(key) ?? '']);
    return Object.fromEntries(entries) as Record<K, string>;
  }, [params, keyList]);
  const page = readPositiveInt(params.get('page'), 1, 100_000);
  const pageSize = readPositiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE, 100);

  const setFilters = useCallback(
    (patch: Partial<Record<K, string>>) => {
      setParams((previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(patch)) {
          if (typeof value === 'string' && value.trim() !== '') next.set(key, value.trim());
          else next.delete(key);
        }
        next.delete('page');
        return next;
      });
    },
    [setParams],
  );

  const setPage = useCallback(
    (nextPage: number, nextPageSize: number) => {
      setParams((previous) => {
        const next = new URLSearchParams(previous);
        if (nextPage > 1) next.set('page', String(nextPage));
        else next.delete('page');
        if (nextPageSize !== DEFAULT_PAGE_SIZE) next.set('pageSize', String(nextPageSize));
        else next.delete('pageSize');
        return next;
      });
    },
    [setParams],
  );

  const resetFilters = useCallback(() => {
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      for (const key of keyList.split(',')) next.delete(key);
      next.delete('page');
      return next;
    });
  }, [setParams, keyList]);

  return { filters, page, pageSize, setFilters, setPage, resetFilters };
}
