import { useCallback, useEffect, useState } from 'react';
import { getJson, isAbortError } from '../api/client';
import type { Endpoint } from '../api/endpoint';

/** State of one GET request. */
export interface JsonState<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  /** Fetches the same endpoint again. */
  reload: () => void;
}

interface Snapshot<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
}

/**
 * Loads a typed endpoint and re-loads whenever its URL changes; `null` loads nothing. The previous
 * answer stays on screen while the next one loads, so tables keep their rows when paging; a
 * superseded request is aborted so a slow answer never overwrites a newer one.
 */
export function useJson<T>(url: Endpoint<T> | null): JsonState<T> {
  const [snapshot, setSnapshot] = useState<Snapshot<T>>({ data: undefined, error: undefined, isLoading: url !== null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (url === null) {
      setSnapshot({ data: undefined, error: undefined, isLoading: false });
      return;
    }
    const controller = new AbortController();
    setSnapshot((previous) => ({ ...previous, error: undefined, isLoading: true }));
    getJson<T>(url, undefined, controller.signal).then(
      (data) => setSnapshot({ data, error: undefined, isLoading: false }),
      (error: unknown) => {
        if (!isAbortError(error)) setSnapshot({ data: undefined, error, isLoading: false });
      },
    );
    return () => controller.abort();
  }, [url, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...snapshot, reload };
}
