import type { Executor } from '../platform/db/database.ts';
import type { PlaceLevel } from '../platform/db/schema.ts';
import { residentIdCheckCharacter } from '../platform/identity/index.ts';

/** Codes of the small place tree every integration test can rely on. */
export const PLACES = {
  city: '500000',
  district: '500106',
  street: '500106001000',
  communityA: '500106001001',
  communityB: '500106001002',
  gridA: '500106001001001',
  gridB: '500106001002001',
} as const;

/** The ltree path of a fixture place. */
export const PATHS = {
  city: '500000',
  district: '500000.500106',
  street: '500000.500106.500106001000',
  communityA: '500000.500106.500106001000.500106001001',
  communityB: '500000.500106.500106001000.500106001002',
  gridA: '500000.500106.500106001000.500106001001.500106001001001',
  gridB: '500000.500106.500106001000.500106001002.500106001002001',
} as const;

function square(lon: number, lat: number, size: number) {
  return JSON.stringify({
    type: 'Polygon',
    coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
  });
}

/**
 * Inserts city → district → street → two communities → one grid each, with square boundaries
 * (community A west of community B).
 */
export async function insertPlaceFixture(db: Executor): Promise<Record<keyof typeof PLACES, number>> {
  const rows: Array<[keyof typeof PLACES, string, PlaceLevel, string | null, number, number, number]> = [
    ['city', '重庆市', 'city', null, 106.0, 29.0, 1.0],
    ['district', '沙坪坝区', 'district', 'city', 106.4, 29.5, 0.2],
    ['street', '小龙坎街道', 'street', 'district', 106.4, 29.5, 0.1],
    ['communityA', '西苑社区', 'community', 'street', 106.4, 29.5, 0.05],
    ['communityB', '东苑社区', 'community', 'street', 106.45, 29.5, 0.05],
    ['gridA', '西苑社区第一网格', 'grid', 'communityA', 106.4, 29.5, 0.05],
    ['gridB', '东苑社区第一网格', 'grid', 'communityB', 106.45, 29.5, 0.05],
  ];
  const ids = {} as Record<keyof typeof PLACES, number>;
  for (const [key, name, level, parent, lon, lat, size] of rows) {
    const row = await db
      .insertInto('places')
      .values({
        code: PLACES[key],
        name,
        level,
        parent_id: parent ? ids[parent as keyof typeof PLACES] : null,
        path: PATHS[key],
        boundary: square(lon, lat, size),
        center_lon: lon + size / 2,
        center_lat: lat + size / 2,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = row.id;
  }
  return ids;
}

/** A valid 18-digit resident ID for an area, birth date (YYYYMMDD) and sequence (odd = male). */
export function makeResidentId(area: string, birth: string, sequence: number): string {
  const first17 = `${area}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}
