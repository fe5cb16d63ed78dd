import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';

describe.each(testDatabaseKinds())('appeals API on %s', (kind) => {
  let t: TestApp;
  let agent: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertPlaceFixture(t.handle.db);
    agent = await t.signInAs({ username: 'agent', roleCodes: ['district_staff'], scopePath: PATHS.district });
  });
  afterAll(() => t.close());

  it('takes a hotline appeal located by coordinate, once per Idempotency-Key, and counts it in the KPIs', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/appeals',
        headers: { cookie: agent, 'idempotency-key': 'hotline-call-0001' },
        payload: { kind: 'complaint', door: 'hotline', categoryCode: 'event.corridor_clutter', title: '楼道堆放杂物', lon: 106.46, lat: 29.52, reporterPhone: '13700001234' },
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ scale: 'minor', handlerLevel: 'community' });
    const again = await send();
    expect(again.statusCode).toBe(200);
    expect(again.json<{ matterId: number }>().matterId).toBe(first.json<{ matterId: number }>().matterId);

    const now = Date.now();
    const kpis = await t.app.inject({
      url: `/api/appeals/kpis?dimension=place&placeDepth=5&from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}`,
      headers: { cookie: agent },
    });
    expect(kpis.json()).toEqual({ items: [expect.objectContaining({ key: PATHS.gridB, total: 1, responseRate: 0 })] });
  });

  it('lists a nearby report of the same thing as a duplicate and merges it', async () => {
    const send = (lon: number) =>
      t.app.inject({ method: 'POST', url: '/api/appeals', headers: { cookie: agent }, payload: { kind: 'complaint', door: 'snap', categoryCode: 'component.manhole', title: '井盖缺失', lon, lat: 29.53 } });
    const first = (await send(106.43)).json<{ matterId: number }>().matterId;
    const second = (await send(106.4302)).json<{ matterId: number }>().matterId;
    const candidates = await t.app.inject({ url: `/api/appeals/${second}/duplicates`, headers: { cookie: agent } });
    expect(candidates.json<{ items: Array<{ id: number; distanceMetres: number }> }>().items).toEqual([expect.objectContaining({ id: first, distanceMetres: 19 })]);
    const merged = await t.app.inject({ method: 'POST', url: `/api/appeals/${second}/merge`, headers: { cookie: agent }, payload: { primaryId: first, reason: '同一处井盖' } });
    expect(merged.statusCode, merged.body).toBe(204);
    const matter = await t.app.inject({ url: `/api/matters/${second}`, headers: { cookie: agent } });
    expect(matter.json()).toMatchObject({ state: 'merged' });
  });

  it('rejects an appeal of an unknown kind with the field named', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/appeals', headers: { cookie: agent }, payload: { kind: 'gossip', door: 'hotline', categoryCode: 'event.litter', title: '测试', lon: 106.41, lat: 29.51 } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [expect.objectContaining({ field: 'kind' })] } } });
  });
});
