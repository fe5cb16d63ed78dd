import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, makeResidentId, PATHS, PLACES } from '../../testing/fixtures.ts';

const CALLER = '13912345678';
const OTHER = '13700009999';

interface Profile {
  phoneMasked: string;
  appeals: Array<{ matterId: number; reference: string; state: string; categoryCode: string; phoneMasked: string | null; createdAt: string }>;
  residents: Array<{ id: number; name: string; phoneMasked: string | null; idNumberMasked: string }>;
  isRegistrySearched: boolean;
}

describe.each(testDatabaseKinds())('caller lookup (来电查询) on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let streetAgent: string;
  let communityAgent: string;
  let gridWorker: string;
  let auditor: string;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  const matterIds: Record<'a1' | 'a2' | 'b' | 'other' | 'hidden', number> = { a1: 0, a2: 0, b: 0, other: 0, hidden: 0 };

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
    streetAgent = await t.signInAs({ username: 'street', roleCodes: ['street_staff'], scopePath: PATHS.street });
    communityAgent = await t.signInAs({ username: 'community_a', roleCodes: ['community_staff'], scopePath: PATHS.communityA });
    gridWorker = await t.signInAs({ username: 'grid_a', roleCodes: ['grid_worker'], scopePath: PATHS.gridA });
    auditor = await t.signInAs({ username: 'auditor', roleCodes: ['auditor'], scopePath: PATHS.street });
    const appeal = async (placeId: number, phone: string, door = 'hotline') => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/appeals',
        headers: { cookie: streetAgent },
        payload: { kind: 'complaint', door, categoryCode: 'event.noise', title: '夜间噪声扰民', placeId, reporterPhone: phone },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ matterId: number }>().matterId;
    };
    matterIds.a1 = await appeal(places.gridA, CALLER);
    matterIds.a2 = await appeal(places.gridA, '139 1234 5678');
    matterIds.b = await appeal(places.gridB, CALLER);
    matterIds.other = await appeal(places.gridA, OTHER);
    matterIds.hidden = await appeal(places.gridA, CALLER, 'work_safety');
    const resident = await t.app.inject({
      method: 'POST',
      url: '/api/residents',
      headers: { cookie: admin },
      payload: { idNumber: makeResidentId('500106', '19700304', 21), name: '王建国', phone: CALLER, placeCode: PLACES.gridA },
    });
    expect(resident.statusCode, resident.body).toBe(201);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/residents',
      headers: { cookie: admin },
      payload: { idNumber: makeResidentId('500106', '19820709', 42), name: '王小红', phone: CALLER, placeCode: PLACES.gridB },
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(201);
  });
  afterAll(() => t.close());

  const lookUp = (cookie: string, phone: string) => t.app.inject({ url: `/api/appeals/callers?phone=${encodeURIComponent(phone)}`, headers: { cookie } });

  it("lists the caller's earlier appeals and registered residents, masked, newest first", async () => {
    const response = await lookUp(streetAgent, CALLER);
    expect(response.statusCode, response.body).toBe(200);
    const profile = response.json<Profile>();
    expect(profile.phoneMasked).toBe('139****5678');
    // The number typed with spaces was normalised before its blind index was computed.
    expect(profile.appeals.map((a) => a.matterId)).toEqual([matterIds.hidden, matterIds.b, matterIds.a2, matterIds.a1]);
    expect(profile.appeals[0]).toMatchObject({ state: 'received', categoryCode: 'event.noise', phoneMasked: '139****5678', reference: expect.stringMatching(/^MS\d{14}$/) });
    expect(profile.residents.map((r) => r.name).sort()).toEqual(['王小红', '王建国']);
    expect(profile.residents[0]?.idNumberMasked).toMatch(/^500106\*{8}\d{3}[\dX]$/);
    expect(profile.isRegistrySearched).toBe(true);
    expect(response.body).not.toContain(CALLER);
  });

  it("keeps to the agent's region and hides 12350 reporters from those who cannot dispatch", async () => {
    const community = (await lookUp(communityAgent, CALLER)).json<Profile>();
    expect(community.appeals.map((a) => a.matterId).sort()).toEqual([matterIds.a1, matterIds.a2, matterIds.hidden].sort());
    expect(community.residents.map((r) => r.name)).toEqual(['王建国']);
    const grid = (await lookUp(gridWorker, CALLER)).json<Profile>();
    expect(grid.appeals.map((a) => a.matterId).sort()).toEqual([matterIds.a1, matterIds.a2].sort());
  });

  it('audits the lookup as a read of personal data, without the number in clear', async () => {
    await lookUp(communityAgent, CALLER);
    const entry = await t.handle.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'details', 'actor_name'])
      .where('action', '=', 'appeal.caller_looked_up')
      .where('actor_name', '=', 'community_a')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity_id: '139****5678', details: { appeals: 3, residents: 1, phoneIndex: expect.stringMatching(/^[0-9a-f]{16,}$/) } });
    expect(JSON.stringify(entry)).not.toContain(CALLER);
  });

  it('answers 400 for a malformed number and 403 without the right to take appeals', async () => {
    const malformed = await lookUp(streetAgent, '12345');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'phone' }] } } });
    expect((await lookUp(auditor, CALLER)).statusCode).toBe(403);
    const unknown = (await lookUp(streetAgent, '13000000000')).json<Profile>();
    expect(unknown).toMatchObject({ appeals: [], residents: [] });
  });
});
