import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';

// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe.each(testDatabaseKinds())('grid patrol reports (网格员巡查) on %s', (kind) => {
  let t: TestApp;
  let gridWorker: string;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    gridWorker = await t.signInAs({ username: 'grid_a', roleCodes: ['grid_worker'], scopePath: PATHS.gridA });
  });
  afterAll(() => t.close());

  const report = (location: Record<string, number>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/appeals',
      headers: { cookie: gridWorker },
      payload: { kind: 'report', door: 'grid_patrol', categoryCode: 'event.corridor_clutter', title: '楼道堆放杂物堵塞通道', ...location },
    });

  it("files a report located in the worker's own grid and attaches a photo to it", async () => {
    // Grid A is the square 106.40–106.45 × 29.50–29.55.
    const filed = await report({ lon: 106.42, lat: 29.52 });
    expect(filed.statusCode, filed.body).toBe(201);
    const matterId = filed.json<{ matterId: number }>().matterId;
    const boundary = '----patrol';
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/matters/${matterId}/attachments`,
      headers: { cookie: gridWorker, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clutter.png"\r\nContent-Type: image/png\r\n\r\n`),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const appeal = await t.handle.db.selectFrom('appeals').select('door').where('matter_id', '=', matterId).executeTakeFirstOrThrow();
    expect(appeal.door).toBe('grid_patrol');
  });

  it("refuses a location outside the worker's grids with OUT_OF_SCOPE, by coordinate and by place", async () => {
    // Grid B (106.45–106.50) belongs to the neighbouring community.
    const byPoint = await report({ lon: 106.47, lat: 29.52 });
    expect(byPoint.statusCode).toBe(403);
    expect(byPoint.json()).toMatchObject({ error: { code: 'OUT_OF_SCOPE' } });
    const byPlace = await report({ placeId: places.gridB });
    expect(byPlace.statusCode).toBe(403);
    expect(byPlace.json()).toMatchObject({ error: { code: 'OUT_OF_SCOPE' } });
    const count = await t.handle.db.selectFrom('matters').select((eb) => eb.fn.countAll<number>().as('n')).where('place_path', '=', PATHS.gridB).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
