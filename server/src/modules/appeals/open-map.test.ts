import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../platform/auth/index.ts';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { applyAction } from '../matters/index.ts';
import { submitAppeal } from './appeals.service.ts';

interface OpenByPlace {
  parent: { id: number; level: string };
  depth: number;
  items: Array<{ placeId: number; code: string; level: string; open: number; overdue: number }>;
  unplaced: { open: number; overdue: number };
}

const DAY = 86_400_000;

describe.each(testDatabaseKinds())('open appeals by place (map of grids) on %s', (kind) => {
  let t: TestApp;
  let street: string;
  let communityB: string;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    street = await t.signInAs({ username: 'street', roleCodes: ['street_staff'], scopePath: PATHS.street });
    communityB = await t.signInAs({ username: 'community_b', roleCodes: ['community_staff'], scopePath: PATHS.communityB });
    const admin = systemPrincipal('test');
    const deps = (now: Date) => ({ db: t.services.db, jobs: t.services.jobs, cipher: t.services.cipher, now: () => now });
    const file = (placeId: number, now = new Date()) =>
      submitAppeal(deps(now), admin, { kind: 'complaint', door: 'hotline', categoryCode: 'event.litter', title: '垃圾未清运', placeId }).then((r) => r.matterId);
    // Grid A: two open (one received ten days ago, long past its 2-hour limit), one evaluated (final).
    await file(places.gridA);
    await file(places.gridA, new Date(Date.now() - 10 * DAY));
    const done = await file(places.gridA);
    for (const action of ['answer_directly', 'callback_satisfied']) await applyAction(deps(new Date()), admin, done, action, { note: '已答复' });
    // Grid B: one open; the street itself: one open that no community can be credited with.
    await file(places.gridB);
    await file(places.street);
  });
  afterAll(() => t.close());

  const get = (cookie: string, query: string) => t.app.inject({ url: `/api/appeals/open-by-place?${query}`, headers: { cookie } });

  it('counts open and overdue appeals per community below a street, with the unplaced ones apart', async () => {
    const response = await get(street, `parent=${places.street}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<OpenByPlace>();
    expect(body.depth).toBe(1);
    expect(body.items).toEqual([
      expect.objectContaining({ placeId: places.communityA, level: 'community', open: 2, overdue: 1 }),
      expect.objectContaining({ placeId: places.communityB, level: 'community', open: 1, overdue: 0 }),
    ]);
    expect(body.unplaced).toEqual({ open: 1, overdue: 0 });
  });

  it('drills two levels down to the grids, and shows a place without children as itself', async () => {
    const grids = (await get(street, `parent=${places.street}&depth=2`)).json<OpenByPlace>();
    expect(grids.items.map((i) => [i.placeId, i.level, i.open])).toEqual([
      [places.gridA, 'grid', 2],
      [places.gridB, 'grid', 1],
    ]);
    const leaf = (await get(street, `parent=${places.gridA}`)).json<OpenByPlace>();
    expect(leaf.depth).toBe(0);
    expect(leaf.items).toEqual([expect.objectContaining({ placeId: places.gridA, open: 2, overdue: 1 })]);
  });

  it("refuses a parent outside the account's region", async () => {
    expect((await get(communityB, `parent=${places.communityA}`)).statusCode).toBe(403);
    expect((await get(communityB, `parent=${places.communityB}`)).json<OpenByPlace>().items).toEqual([expect.objectContaining({ placeId: places.gridB, open: 1 })]);
    expect((await get(street, 'parent=999999')).statusCode).toBe(404);
  });
});
