import type { RegionSource } from '../../platform/db/schema.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { systemPrincipal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { findPlaceByCode, findPlaceEntry, findPlacesOnPath, listChildren, type PlaceEntry } from '../places/index.ts';
import { searchResidents } from '../people/index.ts';

/** Where a person's finding goes, and how that was found. */
export interface ResolvedRegion {
  place: PlaceEntry;
  source: RegionSource;
}

/**
 * Places the people of one run: the resident registry first (found by the blind index of the ID
 * number, so the place they live), else the extract's 6-digit area code (行政区划代码) when a
 * place carries that code, else the root of the city. Lookups are cached for the run.
 */
export class RegionResolver {
  readonly #deps: AppServices;
  readonly #regionCodes: ReadonlyMap<string, string>;
  readonly #places = new Map<number, PlaceEntry | undefined>();
  readonly #codes = new Map<string, PlaceEntry | undefined>();
  readonly #streets = new Map<number, PlaceEntry | null>();
  #root: PlaceEntry | undefined;
  // The registry is searched as the system: placing a finding is not a person reading the registry.
  readonly #principal = systemPrincipal('compare');

  /** @param regionCodes normalised ID → area code, from the run's insured roll. */
  constructor(deps: AppServices, regionCodes: ReadonlyMap<string, string>) {
    this.#deps = deps;
    this.#regionCodes = regionCodes;
  }

  /** The place of the person with this normalised ID number. */
  async resolve(idNumber: string): Promise<ResolvedRegion> {
    const registered = await searchResidents(this.#deps, this.#principal, { q: idNumber }, { limit: 1, offset: 0 });
    const resident = registered.items[0];
    if (resident) {
      const place = await this.#placeById(resident.placeId);
      if (place) return { place, source: 'resident' };
    }
    const code = this.#regionCodes.get(idNumber);
    if (code) {
      const place = await this.#placeByCode(code);
      if (place) return { place, source: 'region_code' };
    }
    return { place: await this.#cityRoot(), source: 'city' };
  }

  /** The street (街道) a place lies in, or null when the place is a district or the city. */
  async streetOf(place: PlaceEntry): Promise<PlaceEntry | null> {
    if (!this.#streets.has(place.id)) {
      const chain = await findPlacesOnPath(this.#deps.db, place.path);
      this.#streets.set(place.id, chain.find((p) => p.level === 'street') ?? null);
    }
    return this.#streets.get(place.id) ?? null;
  }

  async #placeById(id: number): Promise<PlaceEntry | undefined> {
    if (!this.#places.has(id)) this.#places.set(id, await findPlaceEntry(this.#deps.db, id));
    return this.#places.get(id);
  }

  async #placeByCode(code: string): Promise<PlaceEntry | undefined> {
    if (!this.#codes.has(code)) {
      const place = /^\d{6}$/u.test(code) ? await findPlaceByCode(this.#deps.db, code) : undefined;
      this.#codes.set(code, place ? { id: place.id, code: place.code, name: place.name, level: place.level, path: place.path } : undefined);
    }
    return this.#codes.get(code);
  }

  async #cityRoot(): Promise<PlaceEntry> {
    if (!this.#root) {
      const roots = await listChildren(this.#deps.db, { scopePath: '' });
      const city = roots.find((root) => root.level === 'city') ?? roots[0];
      const entry = city ? await findPlaceEntry(this.#deps.db, city.id) : undefined;
      if (!entry) throw new AppError('CONFLICT', 'the place tree is empty: findings need at least the city to be placed in', { reason: 'no_places' });
      this.#root = entry;
    }
    return this.#root;
  }
}
