import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';

describe.each(testDatabaseKinds())('matters API on %s', (kind) => {
  let t: TestApp;
  let staff: string;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    staff = await t.signInAs({ username: 'street', roleCodes: ['street_staff'], scopePath: PATHS.street });
  });
  afterAll(() => t.close());

  const open = (key: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/matters',
      headers: { cookie: staff, 'idempotency-key': key },
      payload: { typeCode: 'appeal', title: '楼道堆放杂物', placeId: places.gridA },
    });

  it('opens one matter for a retried POST with the same Idempotency-Key', async () => {
    const first = await open('key-0000-0001');
    expect(first.statusCode, first.body).toBe(201);
    const retried = await open('key-0000-0001');
    expect(retried.statusCode).toBe(200);
    expect(retried.json<{ id: number }>().id).toBe(first.json<{ id: number }>().id);
    expect(first.json()).toMatchObject({ state: 'received', round: 1, reference: expect.stringMatching(/^MS\d{14}$/) });
  });

  it('takes actions and shows them on the timeline', async () => {
    const id = (await open('key-0000-0002')).json<{ id: number }>().id;
    await t.app.inject({ method: 'POST', url: `/api/matters/${id}/actions/dispatch`, headers: { cookie: staff }, payload: {} });
    const accepted = await t.app.inject({ method: 'POST', url: `/api/matters/${id}/actions/accept`, headers: { cookie: staff }, payload: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<{ state: string; timeline: Array<{ action: string | null }> }>()).toMatchObject({
      state: 'handling',
      timeline: [{ action: null }, { action: 'dispatch' }, { action: 'accept' }],
    });
  });

  it('answers 409 for an action the state does not allow and 400 for a malformed body', async () => {
    const id = (await open('key-0000-0003')).json<{ id: number }>().id;
    const refused = await t.app.inject({ method: 'POST', url: `/api/matters/${id}/actions/close`, headers: { cookie: staff }, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'CONFLICT', details: { allowed: ['dispatch', 'answer_directly', 'merge'] } } });
    const malformed = await t.app.inject({ method: 'POST', url: '/api/matters', headers: { cookie: staff }, payload: { typeCode: 'appeal', placeId: places.gridA } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'title' }] } } });
  });
});
