import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { isAppError } from '../../platform/errors.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import * as repo from './places.repository.ts';
import { findPlaceByCode, insertPlaces, invalidatePlaceIndex, locatePoint, type PlaceInput } from './places.service.ts';

const actor = { userId: null, name: 'test', ip: null };

function square(lon: number, lat: number, size: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
  };
}

/** A city 1°×1° with one district, street, community and a grid split into two micro-grids (west, east). */
function smallCity(cityCode: string, lon: number, lat: number): PlaceInput[] {
  const district = `${cityCode.slice(0, 2)}0106`;
  const street = `${district}001000`;
  const community = `${district}001001`;
  const grid = `${community}001`;
  return [
    { code: cityCode, name: '城', level: 'city', parentCode: null, boundary: square(lon, lat, 1) },
    { code: district, name: '区', level: 'district', parentCode: cityCode, boundary: square(lon, lat, 1) },
    { code: street, name: '街道', level: 'street', parentCode: district, boundary: square(lon, lat, 1) },
    { code: community, name: '社区', level: 'community', parentCode: street, boundary: square(lon, lat, 1) },
    { code: grid, name: '网格', level: 'grid', parentCode: community, boundary: square(lon, lat, 1) },
    { code: `${grid}001`, name: '西', level: 'microgrid', parentCode: grid, boundary: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.5, lat], [lon + 0.5, lat + 1], [lon, lat + 1], [lon, lat]]] } },
    { code: `${grid}002`, name: '东', level: 'microgrid', parentCode: grid, boundary: { type: 'Polygon', coordinates: [[[lon + 0.5, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon + 0.5, lat + 1], [lon + 0.5, lat]]] } },
  ];
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isAppError(error) ? error.code : error).toBe(code);
}

describe.each(testDatabaseKinds())('places service on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    await insertPlaces(handle.db, smallCity('500000', 106, 29), actor);
  });
  afterAll(() => handle.close());

  it('derives each path from the parent path and the code', async () => {
    const microgrid = await findPlaceByCode(handle.db, '500106001001001001');
    expect(microgrid?.path).toBe('500000.500106.500106001000.500106001001.500106001001001.500106001001001001');
    expect((await findPlaceByCode(handle.db, '500000'))?.path).toBe('500000');
  });

  it('writes one audit entry per inserted batch', async () => {
    const entries = await handle.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'place.created').execute();
    expect(entries).toHaveLength(6);
    expect(entries.map((e) => e.details.level)).toEqual(['city', 'district', 'street', 'community', 'grid', 'microgrid']);
  });

  it('refuses a parent that does not exist with PLACE_NOT_FOUND and writes nothing', async () => {
    await expectAppError(insertPlaces(handle.db, [{ code: '999999', name: '无', level: 'district', parentCode: '123456' }], actor), 'PLACE_NOT_FOUND');
    expect(await findPlaceByCode(handle.db, '999999')).toBeUndefined();
  });

  it('refuses a child that is not below its parent, a code already registered and a code ltree cannot hold', async () => {
    await expectAppError(insertPlaces(handle.db, [{ code: '500199', name: '区', level: 'city', parentCode: '500106' }], actor), 'VALIDATION_FAILED');
    await expectAppError(insertPlaces(handle.db, [{ code: '500106', name: '区', level: 'district', parentCode: '500000' }], actor), 'CONFLICT');
    await expectAppError(insertPlaces(handle.db, [{ code: '5001.06', name: '区', level: 'district', parentCode: '500000' }], actor), 'VALIDATION_FAILED');
  });

  it('locates points in micro-grids, gives a shared edge to one of them, and nothing outside', async () => {
    expect((await locatePoint(handle.db, 106.25, 29.5))?.place.code).toBe('500106001001001001');
    expect((await locatePoint(handle.db, 106.75, 29.5))?.place.code).toBe('500106001001001002');
    expect((await locatePoint(handle.db, 106.5, 29.5))?.place.code).toBe('500106001001001001');
    expect(await locatePoint(handle.db, 108, 29.5)).toBeNull();
    const located = await locatePoint(handle.db, 106.25, 29.5);
    expect(located?.ancestors.map((a) => a.level)).toEqual(['city', 'district', 'street', 'community', 'grid']);
  });

  it('finds places inserted after the point index was built', async () => {
    expect(await locatePoint(handle.db, 110.5, 30.5)).toBeNull();
    await insertPlaces(handle.db, smallCity('510000', 110, 30), actor);
    expect((await locatePoint(handle.db, 110.5, 30.5))?.place.code).toBe('510106001001001001');
  });

  it('sees places inserted in a transaction once it is committed and the index invalidated', async () => {
    expect(await locatePoint(handle.db, 112.5, 30.5)).toBeNull();
    await handle.db.transaction().execute(async (trx) => {
      await insertPlaces(trx, smallCity('520000', 112, 30), actor);
      expect((await locatePoint(handle.db, 112.25, 30.5, trx))?.place.code).toBe('520106001001001001');
    });
    invalidatePlaceIndex();
    expect((await locatePoint(handle.db, 112.75, 30.5))?.place.code).toBe('520106001001001002');
  });

  it('falls back to grids for a city without micro-grids', async () => {
    const gridsOnly = smallCity('530000', 114, 30).filter((p) => p.level !== 'microgrid');
    await insertPlaces(handle.db, gridsOnly, actor);
    const located = await locatePoint(handle.db, 114.5, 30.5);
    expect(located?.place).toMatchObject({ code: '530106001001001', level: 'grid' });
  });

  it('counts residents per child of a place by cutting their paths to the child level', async () => {
    const grid = (await findPlaceByCode(handle.db, '500106001001001'))!;
    const west = (await findPlaceByCode(handle.db, '500106001001001001'))!;
    const east = (await findPlaceByCode(handle.db, '500106001001001002'))!;
    let index = 0;
    for (const place of [west, west, east]) {
      index += 1;
      await handle.db
        .insertInto('residents')
        .values({
          id_number_index: new Uint8Array([index]),
          id_number_enc: new Uint8Array([1]),
          id_number_masked: 'x',
          name: '测试',
          gender: 'male',
          birth_date: '1990-01-01',
          place_id: place.id,
          place_path: place.path,
        })
        .execute();
    }
    const byChild = await repo.countResidentsByChild(handle.db, grid.path);
    expect(Object.fromEntries(byChild)).toEqual({ [west.path]: 2, [east.path]: 1 });
    const byDistrict = await repo.countResidentsByChild(handle.db, '500000');
    expect(Object.fromEntries(byDistrict)).toEqual({ '500000.500106': 3 });
  });

  it('counts places by level within a scope', async () => {
    expect(await repo.countByLevel(handle.db, '500000')).toEqual({ city: 1, district: 1, street: 1, community: 1, grid: 1, microgrid: 2 });
    const everywhere = await repo.countByLevel(handle.db, '');
    expect(everywhere.city).toBe(4);
    expect(everywhere.microgrid).toBe(6);
  });
});
