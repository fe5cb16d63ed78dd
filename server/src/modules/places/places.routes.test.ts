import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/database.ts';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS, PLACES } from '../../testing/fixtures.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaces } from './places.service.ts';

const actor = { userId: null, name: 'test', ip: null };
const YUZHONG = '500103';

function square(lon: number, lat: number, size: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
  };
}

async function insertResidents(db: Db, placeCode: string, count: number, offset: number): Promise<void> {
  const place = await db.selectFrom('places').select(['id', 'path']).where('code', '=', placeCode).executeTakeFirstOrThrow();
  for (let i = 0; i < count; i++) {
    const household = await db
      .insertInto('households')
      .values({ household_number: `${placeCode}-${offset + i}`, place_id: place.id, place_path: place.path })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('residents')
      .values({
        id_number_index: new Uint8Array([offset + i, 1]),
        id_number_enc: new Uint8Array([1]),
        id_number_masked: '500106********0000',
        name: '测试',
        gender: 'female',
        birth_date: '1980-01-01',
        household_id: household.id,
        place_id: place.id,
        place_path: place.path,
      })
      .execute();
  }
}

describe.each(testDatabaseKinds())('places API on %s', (kind) => {
  let t: TestApp;
  let ids: Awaited<ReturnType<typeof insertPlaceFixture>>;
  let admin: string;
  let districtStaff: string;
  let communityStaff: string;
  let yuzhongId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    ids = await insertPlaceFixture(t.handle.db);
    await insertPlaces(
      t.handle.db,
      [
        { code: YUZHONG, name: '渝中区', level: 'district', parentCode: PLACES.city, boundary: square(106.6, 29.5, 0.1), centerLon: 106.65, centerLat: 29.55 },
        { code: `${PLACES.gridA}001`, name: '第1-1微网格', level: 'microgrid', parentCode: PLACES.gridA, boundary: square(106.4, 29.5, 0.025) },
      ],
      actor,
    );
    yuzhongId = (await t.handle.db.selectFrom('places').select('id').where('code', '=', YUZHONG).executeTakeFirstOrThrow()).id;
    await insertResidents(t.handle.db, `${PLACES.gridA}001`, 3, 0);
    await insertResidents(t.handle.db, PLACES.gridB, 2, 10);
    await t.handle.db
      .insertInto('organisations')
      .values([
        { kind: 'community_committee', name: '西苑社区居民委员会', scope_path: PATHS.communityA },
        { kind: 'government', name: '重庆市渝中区人民政府', scope_path: `${PATHS.city}.${YUZHONG}` },
      ])
      .execute();
    admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
    districtStaff = await t.signInAs({ username: 'spb_staff', roleCodes: ['district_staff'], scopePath: PATHS.district });
    communityStaff = await t.signInAs({ username: 'xiyuan_staff', roleCodes: ['community_staff'], scopePath: PATHS.communityA });
  });
  afterAll(() => t.close());

  const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it('lists the cities as roots for an account that sees the whole installation', async () => {
    const response = await get('/api/places/children', admin);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [{ id: ids.city, code: PLACES.city, name: '重庆市', level: 'city', parentId: null, childCount: 2 }] });
  });

  it("lists only the root of the account's region when no parent is given", async () => {
    const response = await get('/api/places/children', districtStaff);
    expect(response.json<{ items: { id: number }[] }>().items.map((p) => p.id)).toEqual([ids.district]);
  });

  it('lists the children of a place ordered by code with their own child counts', async () => {
    const response = await get(`/api/places/children?parentId=${ids.city}`, admin);
    expect(response.json<{ items: unknown[] }>().items).toEqual([
      { id: yuzhongId, code: YUZHONG, name: '渝中区', level: 'district', parentId: ids.city, childCount: 0 },
      { id: ids.district, code: PLACES.district, name: '沙坪坝区', level: 'district', parentId: ids.city, childCount: 1 },
    ]);
  });

  it('refuses the children of a place outside the region with 403 OUT_OF_SCOPE', async () => {
    const response = await get(`/api/places/children?parentId=${yuzhongId}`, districtStaff);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'OUT_OF_SCOPE' } });
  });

  it('answers 404 PLACE_NOT_FOUND for an unknown place and 400 for a malformed id', async () => {
    const unknown = await get('/api/places/children?parentId=999999', admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'PLACE_NOT_FOUND' } });
    expect((await get('/api/places/999999', admin)).statusCode).toBe(404);
    expect((await get('/api/places/abc', admin)).statusCode).toBe(400);
  });

  it('shows a place with its ancestors from the root down, without itself, and its centre', async () => {
    const response = await get(`/api/places/${ids.gridA}`, communityStaff);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ code: string; childCount: number; ancestors: { code: string }[]; centerLon: number; centerLat: number }>();
    expect(body).toMatchObject({ code: PLACES.gridA, level: 'grid', parentId: ids.communityA, childCount: 1 });
    expect(body.centerLon).toBeCloseTo(106.425, 9);
    expect(body.centerLat).toBeCloseTo(29.525, 9);
    expect(body.ancestors.map((a) => a.code)).toEqual([PLACES.city, PLACES.district, PLACES.street, PLACES.communityA]);
  });

  it("maps a place's children with their resident counts", async () => {
    const response = await get(`/api/places/${ids.street}/map`, districtStaff);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ type: string; features: { type: string; geometry: { type: string }; properties: Record<string, unknown> }[] }>();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f) => f.properties)).toEqual([
      { id: ids.communityA, code: PLACES.communityA, name: '西苑社区', level: 'community', residentCount: 3 },
      { id: ids.communityB, code: PLACES.communityB, name: '东苑社区', level: 'community', residentCount: 2 },
    ]);
    expect(body.features[0]!.geometry.type).toBe('Polygon');
  });

  it('maps a place without children as itself', async () => {
    const response = await get(`/api/places/${ids.gridB}/map`, admin);
    const features = response.json<{ features: { properties: { code: string; residentCount: number } }[] }>().features;
    expect(features.map((f) => f.properties)).toMatchObject([{ code: PLACES.gridB, residentCount: 2 }]);
  });

  it('locates a point in the micro-grid holding it, with the ancestors from the root down', async () => {
    const response = await get('/api/places/locate?lon=106.41&lat=29.51', communityStaff);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ place: { code: string; level: string }; ancestors: { code: string }[] }>();
    expect(body.place).toMatchObject({ code: `${PLACES.gridA}001`, level: 'microgrid' });
    expect(body.ancestors.map((a) => a.code)).toEqual([PLACES.city, PLACES.district, PLACES.street, PLACES.communityA, PLACES.gridA]);
  });

  it('locates a point in a grid without micro-grids in that grid', async () => {
    const response = await get('/api/places/locate?lon=106.47&lat=29.52', admin);
    expect(response.json<{ place: { code: string } }>().place.code).toBe(PLACES.gridB);
  });

  it('answers 404 PLACE_NOT_FOUND for a point outside every grid, and 403 for one outside the region', async () => {
    const outside = await get('/api/places/locate?lon=100&lat=20', admin);
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ error: { code: 'PLACE_NOT_FOUND' } });
    const elsewhere = await get('/api/places/locate?lon=106.47&lat=29.52', communityStaff);
    expect(elsewhere.statusCode).toBe(403);
  });

  it('rejects coordinates outside the WGS84 range with 400 VALIDATION_FAILED', async () => {
    for (const query of ['lon=181&lat=29', 'lon=106&lat=-91', 'lon=abc&lat=29', 'lat=29']) {
      const response = await get(`/api/places/locate?${query}`, admin);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it("counts the overview within the account's region", async () => {
    const all = await get('/api/stats/overview', admin);
    expect(all.json()).toEqual({ residents: 5, households: 5, organisations: 2, grids: 2, microgrids: 1 });
    const community = await get('/api/stats/overview', communityStaff);
    expect(community.json()).toEqual({ residents: 3, households: 3, organisations: 1, grids: 1, microgrids: 1 });
  });

  it('requires a signed-in account with permission to read places', async () => {
    expect((await get('/api/places/children')).statusCode).toBe(401);
    const resident = await t.signInAs({ username: 'someone', roleCodes: ['resident'], scopePath: '' });
    const response = await get('/api/stats/overview', resident);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });
});
