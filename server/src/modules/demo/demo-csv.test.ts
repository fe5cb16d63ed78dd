import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTabularFile, type TabularRow } from '../../platform/imports/index.ts';
import { generateCity } from './city-generator.ts';
import { DEMO_FILES, HOUSEHOLD_CSV_HEADER, ORGANISATION_CSV_HEADER, PLACE_CSV_HEADER, RESIDENT_CSV_HEADER, writeDemoCsvFiles } from './demo-csv.ts';
import { generateOrganisations } from './organisation-generator.ts';
import { generateResidents } from './population-generator.ts';

async function readAll(file: string): Promise<{ headers: string[]; encoding: string | null; rows: TabularRow[] }> {
  const table = await openTabularFile({ path: file }, path.basename(file));
  const rows: TabularRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { headers: table.headers, encoding: table.encoding, rows };
}

describe('writeDemoCsvFiles', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-demo-csv-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));
  const city = generateCity({ seed: 4, districts: 2, streets: 3, communities: 6, grids: 12, microgrids: 30 });
  const organisations = generateOrganisations({ seed: 4, places: city.places, enterprises: 20, socialOrganisations: 3, charities: 1, volunteerTeams: 2 });
  const households = [...generateResidents({ seed: 4, persons: 500, places: city.places })];

  it('writes every file with a BOM and the import headers, and the files read back row for row', async () => {
    const result = await writeDemoCsvFiles(directory, { places: city.places, organisations, households });
    const residents = households.flatMap((h) => h.members);
    expect(result).toMatchObject({ places: city.places.length, organisations: organisations.length, households: households.length, residents: 500 });

    for (const name of [DEMO_FILES.places, DEMO_FILES.organisations, DEMO_FILES.households, DEMO_FILES.residents]) {
      expect([...fs.readFileSync(path.join(directory, name)).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    }
    const residentFile = await readAll(path.join(directory, DEMO_FILES.residents));
    expect(residentFile.encoding).toBe('utf-8');
    expect(residentFile.headers).toEqual([...RESIDENT_CSV_HEADER]);
    expect(residentFile.rows).toHaveLength(500);
    const first = residents[0]!;
    expect(residentFile.rows[0]!.values).toEqual({
      id_number: first.idNumber,
      name: first.name,
      phone: first.phone ?? '',
      address: first.address,
      place_code: first.placeCode,
      household_number: first.householdNumber,
      relation_to_head: first.relationToHead,
      ethnicity: first.ethnicity,
      tags: first.tags.join('|'),
    });
    const tagged = residents.findIndex((r) => r.tags.length > 1);
    if (tagged >= 0) expect(residentFile.rows[tagged]!.values.tags!.split('|')).toEqual(residents[tagged]!.tags);

    const householdFile = await readAll(path.join(directory, DEMO_FILES.households));
    expect(householdFile.headers).toEqual([...HOUSEHOLD_CSV_HEADER]);
    expect(householdFile.rows.map((r) => r.values.household_number)).toEqual(households.map((h) => h.householdNumber));

    const organisationFile = await readAll(path.join(directory, DEMO_FILES.organisations));
    expect(organisationFile.headers).toEqual([...ORGANISATION_CSV_HEADER]);
    expect(organisationFile.rows.map((r) => r.values.credit_code)).toEqual(organisations.map((o) => o.creditCode));

    const placeFile = await readAll(path.join(directory, DEMO_FILES.places));
    expect(placeFile.headers).toEqual([...PLACE_CSV_HEADER]);
    expect(placeFile.rows[1]!.values).toMatchObject({ code: city.places[1]!.code, parent_code: '500000', level: 'district' });

    const geojson = JSON.parse(fs.readFileSync(path.join(directory, DEMO_FILES.boundaries), 'utf8')) as { features: { properties: { code: string } }[] };
    expect(geojson.features.map((f) => f.properties.code)).toEqual(city.places.map((p) => p.code));
  });
});
