import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../../platform/auth/index.ts';
import { SESSION_COOKIE } from '../../../platform/http/server.ts';
import { testDatabaseKinds } from '../../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS, PLACES } from '../../../testing/fixtures.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { computeKpis } from '../kpi.service.ts';

const PASSWORD = 'Resident-pass-1';
// Inside grid A of community A in the fixture city; the other point is in no grid at all.
const INSIDE = { lon: 106.42, lat: 29.52 };
const OUTSIDE = { lon: 100.0, lat: 20.0 };
// The smallest valid PNG: a 1×1 transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface Detail {
  id: number;
  reference: string;
  state: string;
  round: number;
  canRate: boolean;
  placeNames: string[];
  timeline: Array<{ kind: string; action: string | null; toState: string | null; note: string | null; isMine: boolean }>;
  photos: Array<{ id: number }>;
}

describe.each(testDatabaseKinds())("residents' 随手拍 door on %s", (kind) => {
  let t: TestApp;
  let staff: string;
  let admin: string;
  let alice: string;
  let bob: string;
  let addresses = 0;
  // Every request that is rate-limited per address comes from its own, so the limits never trip by accident.
  const nextAddress = () => {
    addresses += 1;
    return `10.9.${Math.floor(addresses / 250)}.${addresses % 250}`;
  };

  const register = (phone: string, password = PASSWORD, remoteAddress = nextAddress()) =>
    t.app.inject({ method: 'POST', url: '/api/resident/register', payload: { phone, password }, remoteAddress });

  const signIn = async (phone: string) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: phone, password: PASSWORD }, remoteAddress: nextAddress() });
    expect(response.statusCode, response.body).toBe(200);
    return `${SESSION_COOKIE}=${response.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
  };

  const file = (cookie: string, body: Record<string, unknown> = {}, key?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/resident/reports',
      headers: key ? { cookie, 'idempotency-key': key } : { cookie },
      payload: { categoryCode: 'event.corridor_clutter', description: '3 栋 2 单元楼道堆满纸箱，堵住了消防通道', ...INSIDE, ...body },
    });

  const act = (id: number, action: string, payload: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/matters/${id}/actions/${action}`, headers: { cookie: staff }, payload });

  /** Takes a report through the staff side up to 办结 (closed). */
  const closeAsStaff = async (id: number) => {
    for (const [action, payload] of [
      ['dispatch', {}],
      ['accept', {}],
      ['reply', { note: '已联系物业清理楼道，消防通道已畅通' }],
      ['close', {}],
    ] as const) {
      const response = await act(id, action, payload);
      expect(response.statusCode, `${action}: ${response.body}`).toBe(200);
    }
  };

  const rate = (cookie: string, id: number, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/resident/reports/${id}/rating`, headers: { cookie }, payload: body });

  const upload = (cookie: string, id: number, content: Buffer, fileName: string) => {
    const boundary = '----photo';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url: `/api/resident/reports/${id}/photos`, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  };

  const kpiOfCategory = async (code: string) => {
    const rows = await computeKpis(t.handle.db, systemPrincipal('test', PATHS.communityA), { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), dimension: 'category' });
    return rows.find((row) => row.key === code);
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertPlaceFixture(t.handle.db);
    staff = await t.signInAs({ username: 'community-a', roleCodes: ['community_staff'], scopePath: PATHS.communityA });
    admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
    expect((await register('13800000001')).statusCode).toBe(201);
    expect((await register('13900000002')).statusCode).toBe(201);
    alice = await signIn('13800000001');
    bob = await signIn('13900000002');
  });
  afterAll(() => t.close());

  describe('registration', () => {
    it('refuses a number that is not a mainland mobile number', async () => {
      for (const phone of ['12345678901', '1380000000', '023-6543210', 'abc']) {
        const response = await register(phone);
        expect(response.statusCode, phone).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'phone' }] } } });
      }
    });

    it('refuses a short or simple password', async () => {
      for (const password of ['Ab1!', 'abcdefghijkl']) {
        const response = await register('13700000003', password);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'password' }] } } });
      }
    });

    it('refuses a second account for the same number, however it is written', async () => {
      const response = await register('+86 138-0000-0001');
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'PHONE_ALREADY_REGISTERED' } });
    });

    it('keeps the number only encrypted, indexed and masked, and audits the registration without it', async () => {
      const response = await register('13600000004');
      expect(response.json()).toEqual({ id: expect.any(Number), phoneMasked: '136****0004' });
      const user = await t.handle.db.selectFrom('users').selectAll().where('id', '=', response.json<{ id: number }>().id).executeTakeFirstOrThrow();
      expect(user).toMatchObject({ role_codes: ['resident'], display_name: '136****0004', phone_masked: '136****0004' });
      expect(user.username).not.toContain('13600000004');
      expect(t.services.cipher.decrypt(user.phone_enc!)).toBe('13600000004');
      expect(Buffer.from(user.phone_index!).equals(Buffer.from(t.services.cipher.blindIndex('13600000004')))).toBe(true);
      const audit = await t.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.registered').where('entity_id', '=', String(user.id)).executeTakeFirstOrThrow();
      expect(JSON.stringify(audit)).not.toContain('13600000004');
    });

    it('signs the resident in with the number through the ordinary log-in, without any staff scope', async () => {
      const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: alice } });
      expect(me.json()).toMatchObject({ displayName: '138****0001', roles: [{ code: 'resident' }], scope: { placeId: null } });
      // Only their own: reports (随手拍) and social-assistance applications (救助通).
      expect(me.json<{ permissions: string[] }>().permissions.sort()).toEqual(['appeals:own_report:read', 'appeals:own_report:write', 'assistance:own_application:read', 'assistance:own_application:write']);
      const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '13800000001', password: 'Wrong-pass-1' }, remoteAddress: nextAddress() });
      expect(wrong.statusCode).toBe(401);
    });

    it('limits registrations from one address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await register('12000000000', PASSWORD, '10.99.0.1')).statusCode);
      expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(statuses[5]).toBe(429);
    });
  });

  describe('filing and following reports', () => {
    it('files a snap report located in its grid, triaged, with the resident as reporter; a retry files it once', async () => {
      const first = await file(alice, {}, 'snap-key-0001');
      expect(first.statusCode, first.body).toBe(201);
      const report = first.json<Detail>();
      expect(report).toMatchObject({ state: 'received', round: 1, canRate: false, placeNames: ['沙坪坝区', '小龙坎街道', '西苑社区'] });
      const retried = await file(alice, {}, 'snap-key-0001');
      expect(retried.statusCode).toBe(200);
      expect(retried.json<Detail>().id).toBe(report.id);
      const appeal = await t.handle.db.selectFrom('appeals').selectAll().where('matter_id', '=', report.id).executeTakeFirstOrThrow();
      expect(appeal).toMatchObject({ door: 'snap', scale: 'minor', handler_level: 'community', reporter_phone_masked: '138****0001' });
      const me = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: alice } })).json<{ id: number }>();
      expect(Number(appeal.reporter_user_id)).toBe(me.id);
    });

    it("uses another resident's key without finding their report", async () => {
      const alices = await file(alice, {}, 'shared-key-0002');
      const bobs = await file(bob, {}, 'shared-key-0002');
      expect(bobs.statusCode).toBe(201);
      expect(bobs.json<Detail>().id).not.toBe(alices.json<Detail>().id);
    });

    it('refuses a location outside the city and a category that cannot be chosen', async () => {
      const outside = await file(alice, OUTSIDE);
      expect(outside.statusCode).toBe(400);
      expect(outside.json()).toMatchObject({ error: { code: 'LOCATION_OUTSIDE_CITY' } });
      for (const categoryCode of ['event', 'no.such.category']) {
        const response = await file(alice, { categoryCode });
        expect(response.statusCode, categoryCode).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'categoryCode' }] } } });
      }
      const missing = await t.app.inject({ method: 'POST', url: '/api/resident/reports', headers: { cookie: alice }, payload: { categoryCode: 'event.litter', description: '垃圾没人清' } });
      expect(missing.statusCode).toBe(400);
    });

    it("lists only one's own reports, and another resident's report is not found", async () => {
      const id = (await file(bob, { description: '小区门口路灯不亮' })).json<Detail>().id;
      const list = await t.app.inject({ url: '/api/resident/reports?pageSize=100', headers: { cookie: alice } });
      const items = list.json<{ items: Array<{ id: number; state: string; stateName: { zh: string } }>; total: number }>();
      expect(items.total).toBe(items.items.length);
      expect(items.items.map((i) => i.id)).not.toContain(id);
      expect(items.items[0]).toMatchObject({ state: 'received', stateName: { zh: '已受理' } });
      const theirs = await t.app.inject({ url: `/api/resident/reports/${id}`, headers: { cookie: alice } });
      expect(theirs.statusCode).toBe(404);
      const rating = await rate(alice, id, { satisfied: true, solved: true });
      expect(rating.statusCode).toBe(404);
      expect((await upload(alice, id, PNG, 'x.png')).statusCode).toBe(404);
    });

    it('offers the active leaf categories and tells where a point is', async () => {
      const categories = await t.app.inject({ url: '/api/resident/categories', headers: { cookie: alice } });
      const codes = categories.json<{ items: Array<{ code: string }> }>().items.map((c) => c.code);
      expect(codes).toContain('event.corridor_clutter');
      expect(codes).not.toContain('event');
      const inside = await t.app.inject({ url: `/api/resident/locate?lon=${INSIDE.lon}&lat=${INSIDE.lat}`, headers: { cookie: alice } });
      expect(inside.json()).toEqual({ isInCity: true, district: '沙坪坝区', street: '小龙坎街道', community: '西苑社区', placeCode: PLACES.gridA });
      const outside = await t.app.inject({ url: `/api/resident/locate?lon=${OUTSIDE.lon}&lat=${OUTSIDE.lat}`, headers: { cookie: alice } });
      expect(outside.json()).toMatchObject({ isInCity: false });
      const map = await t.app.inject({ url: '/api/resident/map', headers: { cookie: alice } });
      expect(map.json<{ features: Array<{ properties: Record<string, unknown> }> }>().features.map((f) => f.properties)).toEqual([{ code: '500106', name: '沙坪坝区' }]);
    });
  });

  describe('photos', () => {
    it('stores a photo on the own report and shows it back only to its owner', async () => {
      const id = (await file(alice)).json<Detail>().id;
      const stored = await upload(alice, id, PNG, 'clutter.png');
      expect(stored.statusCode, stored.body).toBe(201);
      expect(stored.json()).toMatchObject({ contentType: 'image/png', size: PNG.length });
      const detail = (await t.app.inject({ url: `/api/resident/reports/${id}`, headers: { cookie: alice } })).json<Detail>();
      expect(detail.photos).toHaveLength(1);
      const photoUrl = `/api/resident/reports/${id}/photos/${detail.photos[0]!.id}`;
      const served = await t.app.inject({ url: photoUrl, headers: { cookie: alice } });
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.rawPayload.equals(PNG)).toBe(true);
      expect((await t.app.inject({ url: photoUrl, headers: { cookie: bob } })).statusCode).toBe(404);
      // The handlers see it on the matter like any attachment.
      const matter = await t.app.inject({ url: `/api/matters/${id}`, headers: { cookie: staff } });
      expect(matter.json<{ timeline: Array<{ kind: string }> }>().timeline.some((e) => e.kind === 'note')).toBe(true);
    });

    it('refuses a file that is not a JPEG, PNG or WebP photo', async () => {
      const id = (await file(alice)).json<Detail>().id;
      const response = await upload(alice, id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'photo.png');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'INVALID_FILE' } });
    });
  });

  describe('access', () => {
    it('refuses staff routes to a resident session', async () => {
      const id = (await file(alice)).json<Detail>().id;
      // Bodies are valid, so that only the permission can refuse them (Fastify validates before the check).
      const appeal = { kind: 'help', door: 'snap', categoryCode: 'event.litter', title: '垃圾成堆', ...INSIDE };
      for (const [method, url, payload] of [
        ['GET', '/api/matters', undefined],
        ['GET', `/api/matters/${id}`, undefined],
        ['GET', '/api/residents', undefined],
        ['GET', '/api/places/children', undefined],
        ['GET', '/api/appeals/kpis?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&dimension=category', undefined],
        ['POST', '/api/appeals', appeal],
        ['POST', `/api/matters/${id}/actions/dispatch`, {}],
        ['GET', '/api/users', undefined],
      ] as const) {
        const response = await t.app.inject({ method, url, headers: { cookie: alice }, payload });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
      }
    });

    it('refuses the resident door to staff accounts, even to an administrator without a resident account', async () => {
      expect((await t.app.inject({ url: '/api/resident/reports', headers: { cookie: staff } })).statusCode).toBe(403);
      const response = await file(admin);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });
  });

  describe('rating the result', () => {
    it('cannot rate before the report is closed', async () => {
      const id = (await file(alice)).json<Detail>().id;
      await act(id, 'dispatch');
      const response = await rate(alice, id, { satisfied: true, solved: true });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'REPORT_NOT_CLOSED', details: { state: 'dispatched' } } });
    });

    it('shows the reply but no staff names or internal notes on the public timeline', async () => {
      const id = (await file(alice)).json<Detail>().id;
      expect((await act(id, 'dispatch')).statusCode).toBe(200);
      expect((await act(id, 'return', { note: '内部：派错单位，请重新派单' })).statusCode).toBe(200);
      await closeAsStaff(id);
      const response = await t.app.inject({ url: `/api/resident/reports/${id}`, headers: { cookie: alice } });
      const detail = response.json<Detail>();
      expect(detail).toMatchObject({ state: 'closed', canRate: true });
      expect(detail.timeline.map((e) => e.action)).toEqual([null, 'dispatch', 'return', 'dispatch', 'accept', 'reply', 'close']);
      expect(detail.timeline.find((e) => e.action === 'reply')?.note).toBe('已联系物业清理楼道，消防通道已畅通');
      expect(detail.timeline.find((e) => e.action === 'return')?.note).toBeNull();
      expect(response.body).not.toContain('community-a');
      expect(response.body).not.toContain('内部');
    });

    it('rating satisfied ends the report as evaluated, and the KPIs count it as a satisfied, solved callback', async () => {
      const id = (await file(alice, { categoryCode: 'livelihood.property', description: '电梯停运三天物业不管' })).json<Detail>().id;
      await closeAsStaff(id);
      const before = await kpiOfCategory('livelihood.property');
      expect(before).toMatchObject({ total: 1, callbacks: 0, satisfied: 0, satisfactionRate: null });
      const response = await rate(alice, id, { satisfied: true, solved: true, comment: '处理很及时' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Detail>()).toMatchObject({ state: 'evaluated', canRate: false });
      expect(response.json<Detail>().timeline.at(-1)).toMatchObject({ action: 'callback_satisfied', isMine: true, note: '处理很及时' });
      const after = await kpiOfCategory('livelihood.property');
      expect(after).toMatchObject({ total: 1, callbacks: 1, satisfied: 1, solved: 1, satisfactionRate: 1, solvedRate: 1 });
      // Over HTTP too, as the dashboard reads it.
      const from = new Date(Date.now() - 86_400_000).toISOString();
      const to = new Date(Date.now() + 86_400_000).toISOString();
      const kpis = await t.app.inject({ url: `/api/appeals/kpis?from=${from}&to=${to}&dimension=category`, headers: { cookie: staff } });
      expect(kpis.json<{ items: Array<{ key: string }> }>().items.find((i) => i.key === 'livelihood.property')).toMatchObject({ satisfactionRate: 1, callbacks: 1, satisfied: 1, solved: 1 });
      expect((await rate(alice, id, { satisfied: true, solved: true })).json()).toMatchObject({ error: { code: 'REPORT_NOT_CLOSED' } });
    });

    it('rating unsatisfied or unsolved reopens the report for a second round, and needs a comment', async () => {
      const id = (await file(alice, { categoryCode: 'livelihood.neighbourhood', description: '楼上每晚装修到十二点' })).json<Detail>().id;
      await closeAsStaff(id);
      const silent = await rate(alice, id, { satisfied: true, solved: false });
      expect(silent.statusCode).toBe(400);
      expect(silent.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'comment' }] } } });
      const response = await rate(alice, id, { satisfied: true, solved: false, comment: '晚上还是有噪音' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Detail>()).toMatchObject({ state: 'handling', round: 2, canRate: false });
      expect(await kpiOfCategory('livelihood.neighbourhood')).toMatchObject({ callbacks: 1, satisfied: 0, solved: 0 });
      // The second round closes again, and this time the resident is content.
      expect((await act(id, 'reply', { note: '已与楼上住户协商，约定晚上八点后停工' })).statusCode).toBe(200);
      expect((await act(id, 'close')).statusCode).toBe(200);
      expect((await rate(alice, id, { satisfied: true, solved: true })).json<Detail>()).toMatchObject({ state: 'evaluated', round: 2 });
      expect(await kpiOfCategory('livelihood.neighbourhood')).toMatchObject({ callbacks: 1, satisfied: 1, solved: 1 });
    });
  });
});
