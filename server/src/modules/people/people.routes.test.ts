import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, makeResidentId, PATHS, PLACES } from '../../testing/fixtures.ts';

const ALICE_ID = makeResidentId('500106', '19800101', 11);
const BOB_ID = makeResidentId('510212', '19551231', 22);

describe.each(testDatabaseKinds())('residents API on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let workerA: string;
  let aliceId: number;
  let bobId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertPlaceFixture(t.handle.db);
    admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
    workerA = await t.signInAs({ username: 'worker_a', roleCodes: ['community_staff'], scopePath: PATHS.communityA });
    const create = async (cookie: string, payload: Record<string, unknown>) => {
      const response = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie }, payload });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: number }>().id;
    };
    aliceId = await create(admin, { idNumber: ALICE_ID, name: '张丽', phone: '13800001234', address: '重庆市沙坪坝区小龙坎街道西苑路1号', placeCode: PLACES.gridA, householdNumber: 'H-A-0001', relationToHead: '户主', tags: ['低保'] });
    bobId = await create(admin, { idNumber: BOB_ID, name: '李强', phone: '13900005678', placeCode: PLACES.gridB });
  });
  afterAll(() => t.close());

  it('shows ID number and phone masked in lists', async () => {
    const response = await t.app.inject({ url: '/api/residents?q=张', headers: { cookie: workerA } });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ items: Array<Record<string, unknown>>; total: number }>();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({ name: '张丽', idNumberMasked: `500106********${ALICE_ID.slice(-4)}`, phoneMasked: '138****1234', gender: 'male', birthDate: '1980-01-01' });
    expect(response.body).not.toContain(ALICE_ID);
  });

  it('finds a resident by full ID number and by phone through the blind index', async () => {
    const byId = await t.app.inject({ url: `/api/residents?q=${ALICE_ID}`, headers: { cookie: admin } });
    expect(byId.json<{ items: Array<{ id: number }> }>().items.map((r) => r.id)).toEqual([aliceId]);
    const byPhone = await t.app.inject({ url: '/api/residents?q=13900005678', headers: { cookie: admin } });
    expect(byPhone.json<{ items: Array<{ id: number }> }>().items.map((r) => r.id)).toEqual([bobId]);
  });

  it('stores ID number, phone and address encrypted, never in clear text', async () => {
    const row = await t.handle.db.selectFrom('residents').selectAll().where('id', '=', aliceId).executeTakeFirstOrThrow();
    for (const value of [row.id_number_enc, row.phone_enc, row.address_enc]) {
      expect(Buffer.from(value!).toString('latin1')).not.toContain('13800001234');
      expect(Buffer.from(value!).toString('latin1')).not.toContain(ALICE_ID);
    }
    expect(row.id_number_masked).toBe(`500106********${ALICE_ID.slice(-4)}`);
  });

  it("gives a community worker nothing of another community's resident by id, search or export", async () => {
    const byId = await t.app.inject({ url: `/api/residents/${bobId}`, headers: { cookie: workerA } });
    expect([403, 404]).toContain(byId.statusCode);
    expect(byId.body).not.toContain('李强');

    const search = await t.app.inject({ url: `/api/residents?q=${BOB_ID}`, headers: { cookie: workerA } });
    expect(search.json<{ total: number }>().total).toBe(0);
    const byName = await t.app.inject({ url: '/api/residents?q=李', headers: { cookie: workerA } });
    expect(byName.json<{ total: number }>().total).toBe(0);

    const byPlace = await t.app.inject({ url: `/api/residents?placeId=${(await placeId(PLACES.gridB))}`, headers: { cookie: workerA } });
    expect(byPlace.statusCode).toBe(403);

    const exported = await t.app.inject({ url: '/api/residents/export.csv', headers: { cookie: workerA } });
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('张丽');
    expect(exported.body).not.toContain('李强');
    expect(exported.body).not.toContain(ALICE_ID);

    const unmask = await t.app.inject({ method: 'POST', url: `/api/residents/${bobId}/unmask`, headers: { cookie: workerA }, payload: { reason: '核实身份' } });
    expect([403, 404]).toContain(unmask.statusCode);
  });

  it('reveals personal fields only with a reason, and records the unmasked read in the audit trail', async () => {
    const missingReason = await t.app.inject({ method: 'POST', url: `/api/residents/${aliceId}/unmask`, headers: { cookie: workerA }, payload: {} });
    expect(missingReason.statusCode).toBe(400);
    expect(missingReason.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');

    const response = await t.app.inject({ method: 'POST', url: `/api/residents/${aliceId}/unmask`, headers: { cookie: workerA }, payload: { reason: '入户走访核实' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ idNumber: ALICE_ID, phone: '13800001234', address: '重庆市沙坪坝区小龙坎街道西苑路1号' });

    const entries = await t.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.unmasked').execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_name: 'worker_a', entity_type: 'resident', entity_id: String(aliceId) });
    expect(entries[0]!.details).toMatchObject({ reason: '入户走访核实' });
  });

  it('refuses to unmask for a role without the unmask permission', async () => {
    const grid = await t.signInAs({ username: 'grid_a', roleCodes: ['grid_worker'], scopePath: PATHS.gridA });
    const response = await t.app.inject({ method: 'POST', url: `/api/residents/${aliceId}/unmask`, headers: { cookie: grid }, payload: { reason: '核实' } });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
  });

  it('rejects a resident with an invalid ID number with the field and the reason', async () => {
    const bad = ALICE_ID.slice(0, 17) + (ALICE_ID.endsWith('1') ? '2' : '1');
    const response = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: admin }, payload: { idNumber: bad, name: '王五', placeCode: PLACES.gridA } });
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: { code: string; details: { fields: Array<{ field: string; message: string }> } } }>();
    expect(body.error.details.fields[0]).toMatchObject({ field: 'id_number' });
    expect(body.error.details.fields[0]!.message).toMatch(/check character/);
  });

  it('lists a household with its members in scope', async () => {
    const list = await t.app.inject({ url: '/api/households', headers: { cookie: workerA } });
    const households = list.json<{ items: Array<{ id: number; householdNumber: string; memberCount: number; headName: string }> }>().items;
    expect(households).toEqual([expect.objectContaining({ householdNumber: 'H-A-0001', memberCount: 1, headName: '张丽' })]);
    const detail = await t.app.inject({ url: `/api/households/${households[0]!.id}`, headers: { cookie: workerA } });
    expect(detail.json<{ members: Array<{ name: string }> }>().members.map((m) => m.name)).toEqual(['张丽']);
  });

  it("refuses to overwrite or move a resident registered in another community", async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: workerA }, payload: { idNumber: BOB_ID, name: '李强', placeCode: PLACES.gridA } });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('OUT_OF_SCOPE');
    const bob = await t.handle.db.selectFrom('residents').select('place_path').where('id', '=', bobId).executeTakeFirstOrThrow();
    expect(bob.place_path).toBe(PATHS.gridB);
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ url: '/api/residents' });
    expect(response.statusCode).toBe(401);
  });

  async function placeId(code: string): Promise<number> {
    const row = await t.handle.db.selectFrom('places').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    return row.id;
  }
});
