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

describe.each(testDatabaseKinds())('matter attachments on %s', (kind) => {
  let t: TestApp;
  let staff: string;
  let outsider: string;
  let matterId: number;
  // The smallest valid PNG: a 1×1 transparent pixel.
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

  const upload = (cookie: string, content: Buffer, fileName: string) => {
    const boundary = '----attachment';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url: `/api/matters/${matterId}/attachments`, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const places = await insertPlaceFixture(t.handle.db);
    staff = await t.signInAs({ username: 'street', roleCodes: ['street_staff'], scopePath: PATHS.street });
    outsider = await t.signInAs({ username: 'other', roleCodes: ['community_staff'], scopePath: PATHS.communityB });
    const created = await t.app.inject({ method: 'POST', url: '/api/matters', headers: { cookie: staff }, payload: { typeCode: 'appeal', title: '路面塌陷', placeId: places.gridA } });
    matterId = created.json<{ id: number }>().id;
  });
  afterAll(() => t.close());

  it('stores a photo once by its content, notes it on the timeline, and serves it back', async () => {
    const first = await upload(staff, PNG, 'pothole.png');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ contentType: 'image/png', size: PNG.length });
    const second = await upload(staff, PNG, 'same-photo-again.png');
    expect(second.json<{ sha256: string }>().sha256).toBe(first.json<{ sha256: string }>().sha256);
    const served = await t.app.inject({ url: `/api/attachments/${first.json<{ id: number }>().id}`, headers: { cookie: staff } });
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.equals(PNG)).toBe(true);
    const matter = await t.app.inject({ url: `/api/matters/${matterId}`, headers: { cookie: staff } });
    expect(matter.json<{ timeline: Array<{ kind: string }> }>().timeline.filter((e) => e.kind === 'note')).toHaveLength(2);
  });

  it('refuses a file that is not a photo, whatever its name says', async () => {
    const response = await upload(staff, Buffer.from('<script>alert(1)</script>'), 'photo.png');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'INVALID_FILE' } });
  });

  it("does not serve another region's attachment", async () => {
    const id = (await upload(staff, PNG, 'pothole.png')).json<{ id: number }>().id;
    const response = await t.app.inject({ url: `/api/attachments/${id}`, headers: { cookie: outsider } });
    expect(response.statusCode).toBe(404);
  });
});
