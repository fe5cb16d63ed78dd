import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { locatePoint } from '../places/index.ts';
import { generateCity } from './city-generator.ts';
import { DEMO_FILES, writeDemoCsvFiles } from './demo-csv.ts';
import { generateOrganisations } from './organisation-generator.ts';
import { generateResidents } from './population-generator.ts';
import { seedOrganisations, seedPlaces } from './seed.ts';

describe.each(testDatabaseKinds())('demo seed on %s', (kind) => {
  let t: TestApp;
  const city = generateCity({ seed: 6, districts: 2, streets: 3, communities: 6, grids: 14, microgrids: 40 });
  const organisations = generateOrganisations({ seed: 6, places: city.places, enterprises: 30, socialOrganisations: 4, charities: 1, volunteerTeams: 3 });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-demo-seed-'));

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('inserts every place with its path, boundary and centre, one audit entry per batch, and skips a second run', async () => {
    const first = await seedPlaces(t.handle.db, city.places);
    expect(first).toEqual({ inserted: city.places.length, isSkipped: false });
    const microgrid = city.places.find((p) => p.level === 'microgrid')!;
    const row = await t.handle.db.selectFrom('places').selectAll().where('code', '=', microgrid.code).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ path: microgrid.path, level: 'microgrid', center_lon: microgrid.centerLon, center_lat: microgrid.centerLat });
    expect(row.boundary).toEqual(microgrid.boundary);
    const audits = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'place.created').execute();
    expect(audits).toHaveLength(6);

    expect(await seedPlaces(t.handle.db, city.places)).toEqual({ inserted: 0, isSkipped: true });
    const count = await t.handle.db.selectFrom('places').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(city.places.length);
  });

  it('locates the centre of each seeded micro-grid in that micro-grid', async () => {
    for (const microgrid of city.places.filter((p) => p.level === 'microgrid')) {
      const located = await locatePoint(t.handle.db, microgrid.centerLon, microgrid.centerLat);
      expect(located?.place.code).toBe(microgrid.code);
    }
  });

  it('inserts organisations with parent links, encrypted phones and their place scope, and skips a second run', async () => {
    expect(await seedOrganisations(t.handle.db, organisations, t.services.cipher)).toEqual({ inserted: organisations.length, isSkipped: false });
    const committee = organisations.find((o) => o.kind === 'community_committee')!;
    const row = await t.handle.db
      .selectFrom('organisations as o')
      .innerJoin('organisations as parent', 'parent.id', 'o.parent_id')
      .select(['o.phone_enc', 'o.phone_masked', 'o.scope_path', 'parent.credit_code as parent_code'])
      .where('o.credit_code', '=', committee.creditCode)
      .executeTakeFirstOrThrow();
    expect(row.parent_code).toBe(committee.parentCreditCode);
    expect(row.scope_path).toBe(city.places.find((p) => p.code === committee.placeCode)!.path);
    const phone = committee.phone.replace(/-/g, '');
    expect(t.services.cipher.decrypt(row.phone_enc!)).toBe(phone);
    expect(row.phone_masked).toBe(`${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`);
    expect(await seedOrganisations(t.handle.db, organisations, t.services.cipher)).toEqual({ inserted: 0, isSkipped: true });
  });

  it('writes CSV files that the import pipeline takes without a single rejected row', async () => {
    const households = generateResidents({ seed: 6, persons: 400, places: city.places });
    await writeDemoCsvFiles(directory, { places: city.places, organisations, households });
    const admin = await t.signInAs({ username: 'importer', roleCodes: ['administrator'], scopePath: '' });
    const upload = async (importKind: string, file: string) => {
      const boundary = '----minsheng-demo';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${importKind}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file}"\r\nContent-Type: text/csv\r\n\r\n`),
        fs.readFileSync(path.join(directory, file)),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/imports?wait=true',
        headers: { cookie: admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ status: string; totalRows: number; failed: number; message: string | null }>();
    };
    const householdJob = await upload('households', DEMO_FILES.households);
    expect(householdJob).toMatchObject({ status: 'completed', failed: 0 });
    expect(await upload('residents', DEMO_FILES.residents)).toMatchObject({ status: 'completed', totalRows: 400, failed: 0 });
    expect(await upload('organisations', DEMO_FILES.organisations)).toMatchObject({ status: 'completed', totalRows: organisations.length, failed: 0 });
    const residents = await t.handle.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(residents.n)).toBe(400);
  });
});
