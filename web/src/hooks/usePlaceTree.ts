import { useCallback, useRef, useState } from 'react';
import { fetchPlaceChildren } from '../api/places';
import type { Place, PlaceDetail } from '../api/types';

/** Key of the top of the tree: the account's scope root(s). */
export const ROOT_KEY = '';

/** The lazily loaded part of the administrative tree, shared by the tree and tree-select pickers. */
export interface PlaceTree {
  /** Bumps whenever a level arrives, for `useMemo` dependencies. */
  version: number;
  /** Loaded children of a place (`ROOT_KEY` for the top); undefined while not loaded. */
  childrenOf: (key: string) => Place[] | undefined;
  /** Loads (once) the children of a place. */
  loadChildren: (key: string) => Promise<Place[]>;
  /**
   * Loads every level from the scope root down to `place`, and returns the keys from the scope root
   * to the place itself (expand all but the last to show it); empty when it lies outside the tree.
   */
  revealPlace: (place: PlaceDetail) => Promise<string[]>;
  /** Keys whose children are loaded, for antd's `loadedKeys`. */
  loadedKeys: () => string[];
  /** A place already in the cache, by id. */
  findPlace: (id: string) => Place | undefined;
}

/**
 * One cache of the administrative tree. Levels load on demand (a district has thousands of grids),
 * each level once; concurrent requests for the same level share one fetch.
 */
export function usePlaceTree(): PlaceTree {
  const cache = useRef(new Map<string, Place[]>());
  const pending = useRef(new Map<string, Promise<Place[]>>());
  const [version, setVersion] = useState(0);

  const childrenOf = useCallback((key: string) => cache.current.get(key), []);

  const loadChildren = useCallback((key: string): Promise<Place[]> => {
    const cached = cache.current.get(key);
    if (cached) return Promise.resolve(cached);
    const inFlight = pending.current.get(key);
    if (inFlight) return inFlight;
    const request = fetchPlaceChildren(key === ROOT_KEY ? null : key)
      .then((places) => {
        cache.current.set(key, places);
        setVersion((value) => value + 1);
        return places;
      })
      .finally(() => pending.current.delete(key));
    pending.current.set(key, request);
    return request;
  }, []);

  const revealPlace = useCallback(
    async (place: PlaceDetail): Promise<string[]> => {
      const roots = await loadChildren(ROOT_KEY);
      const rootIds = new Set(roots.map((root) => String(root.id)));
      const chain = [...place.ancestors, place];
      const start = chain.findIndex((step) => rootIds.has(String(step.id)));
      if (start < 0) return [];
      for (const step of chain.slice(start, -1)) await loadChildren(String(step.id));
      return chain.slice(start).map((step) => String(step.id));
    },
    [loadChildren],
  );

  const loadedKeys = useCallback(() => [...cache.current.keys()].filter((key) => key !== ROOT_KEY), []);

  const findPlace = useCallback((id: string) => {
    for (const places of cache.current.values()) {
      const found = places.find((place) => String(place.id) === id);
      if (found) return found;
    }
    return undefined;
  }, []);

  return { version, childrenOf, loadChildren, revealPlace, loadedKeys, findPlace };
}
