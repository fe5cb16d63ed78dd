import { getJson } from './client';
import { endpoint } from './endpoint';
import type { Id, Place, PlaceDetail, PlaceMap } from './types';

/** Children of a place; without a parent, the account's scope root alone. */
export async function fetchPlaceChildren(parentId: Id | null, signal?: AbortSignal): Promise<Place[]> {
  const answer = await getJson<{ items: Place[] }>('/api/places/children', { parentId: parentId ?? undefined }, signal);
  return answer.items;
}

/** One place with its ancestors. */
export function fetchPlace(id: Id, signal?: AbortSignal): Promise<PlaceDetail> {
  return getJson<PlaceDetail>(`/api/places/${encodeURIComponent(String(id))}`, undefined, signal);
}

/** One place with its ancestors, for `useJson`. */
export function placeEndpoint(id: Id) {
  return endpoint<PlaceDetail>(`/api/places/${encodeURIComponent(String(id))}`);
}

/** The children of a place as GeoJSON with resident counts. */
export function placeMapEndpoint(id: Id) {
  return endpoint<PlaceMap>(`/api/places/${encodeURIComponent(String(id))}/map`);
}
