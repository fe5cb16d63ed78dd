import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckCharacter } from '../../platform/identity/index.ts';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS, PLACES } from '../../testing/fixtures.ts';

const id18 = (first17: string) => first17 + residentIdCheckCharacter(first17);
const MOTHER = id18('50010619880315024');
const DAUGHTER = id18('50010620150610022');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a8a50000000049454e44ae426082', 'hex');

interface Summary {
  id: number;
  reference: string;
}

function multipart(material: string) {
  const boundary = '----minsheng-lookup-test';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="material"\r\n\r\n${material}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

// The generic matter page shows no decision buttons for a bundle's matters: it links to the
// application instead, found by the matter's id through the application list.
describe.each(testDatabaseKinds())('finding an application by one of its matters on %s', (kind) => {
  let t: TestApp;
  let resident: string;
  let adviser: string;
  let adviserB: string;
  let application: { id: number; bundle: { matterId: number }; items: Array<{ matterId: number }> };

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertPlaceFixture(t.handle.db);
    resident = await t.signInAs({ username: 'applicant', roleCodes: ['resident'], scopePath: 'resident' });
    adviser = await t.signInAs({ username: 'adviser', roleCodes: ['social_worker'], scopePath: PATHS.communityA });
    adviserB = await t.signInAs({ username: 'adviser-b', roleCodes: ['social_worker'], scopePath: PATHS.communityB });

    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/assistance/applications',
      headers: { cookie: resident },
      payload: {
        placeCode: PLACES.gridA,
        applicant: { name: '李梅', idNumber: MOTHER, phone: '13900001234' },
        members: [
          { name: '李梅', idNumber: MOTHER, relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
          { name: '王小雨', idNumber: DAUGHTER, relation: 'child', schoolStage: 'primary' },
        ],
        household: { housing: 'private_rental', benefits: ['subsistence_allowance'], hardships: ['serious_illness', 'caregiver_ill'], hospitalCostsLast12Months: 1_200_000 },
        situation: '母亲重病住院，无力工作；女儿11岁，在读小学。',
        consentDataCheck: true,
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const { id } = draft.json<{ id: number }>();
    // Without any department extract nothing is proven: every item goes to review and asks for its materials.
    const incomplete = await t.app.inject({ method: 'POST', url: `/api/assistance/applications/${id}/submit`, headers: { cookie: resident } });
    expect(incomplete.statusCode, incomplete.body).toBe(422);
    const missing = incomplete.json<{ error: { details: { missing: Array<{ field: string }> } } }>().error.details.missing;
    for (const { field } of missing) {
      const { payload, contentType } = multipart(field.slice('materials.'.length));
      const stored = await t.app.inject({ method: 'POST', url: `/api/assistance/applications/${id}/materials`, headers: { cookie: resident, 'content-type': contentType }, payload });
      expect(stored.statusCode, stored.body).toBe(201);
    }
    const submitted = await t.app.inject({ method: 'POST', url: `/api/assistance/applications/${id}/submit`, headers: { cookie: resident } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    application = submitted.json();
    expect(application.items.length).toBeGreaterThan(0);
  });
  afterAll(() => t.close());

  const list = async (cookie: string, matterId: number) => {
    const response = await t.app.inject({ url: `/api/assistance/applications?matterId=${matterId}`, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Summary[]; total: number }>();
  };

  it('finds the application by its bundle’s matter and by each item’s matter', async () => {
    for (const matterId of [application.bundle.matterId, ...application.items.map((item) => item.matterId)]) {
      const found = await list(adviser, matterId);
      expect(found.total).toBe(1);
      expect(found.items[0]!.id).toBe(application.id);
    }
    // Its author finds it the same way.
    expect((await list(resident, application.items[0]!.matterId)).items.map((a) => a.id)).toEqual([application.id]);
  });

  it('finds nothing for a matter of no application, or outside the reader’s region', async () => {
    const unrelated = Math.max(application.bundle.matterId, ...application.items.map((item) => item.matterId)) + 1000;
    expect((await list(adviser, unrelated)).total).toBe(0);
    expect((await list(adviserB, application.bundle.matterId)).total).toBe(0);
    const bad = await t.app.inject({ url: '/api/assistance/applications?matterId=0', headers: { cookie: adviser } });
    expect(bad.statusCode).toBe(400);
  });
});
