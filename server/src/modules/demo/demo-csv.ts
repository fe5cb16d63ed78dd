import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { csvLine } from '../../platform/imports/index.ts';
import type { DemoPlace } from './city-generator.ts';
import type { DemoOrganisation } from './organisation-generator.ts';
import type { DemoHousehold, DemoResident } from './population-generator.ts';

/** Columns of residents.csv, in the import's canonical names. */
export const RESIDENT_CSV_HEADER = ['id_number', 'name', 'phone', 'address', 'place_code', 'household_number', 'relation_to_head', 'ethnicity', 'tags'] as const;
/** Columns of households.csv. */
export const HOUSEHOLD_CSV_HEADER = ['household_number', 'place_code', 'address'] as const;
/** Columns of organisations.csv. */
export const ORGANISATION_CSV_HEADER = ['kind', 'name', 'credit_code', 'place_code', 'legal_representative', 'phone', 'address'] as const;
/** Columns of places.csv (boundaries go to places.geojson). */
export const PLACE_CSV_HEADER = ['code', 'name', 'level', 'parent_code', 'center_lon', 'center_lat'] as const;

/** File names the demo writes into its directory. */
export const DEMO_FILES = {
  places: 'places.csv',
  boundaries: 'places.geojson',
  organisations: 'organisations.csv',
  households: 'households.csv',
  residents: 'residents.csv',
} as const;

/** What the demo CSV writer produced. */
export interface DemoCsvResult {
  directory: string;
  places: number;
  organisations: number;
  households: number;
  residents: number;
}

/** The cells of one residents.csv row. */
export function residentCsvCells(resident: DemoResident): string[] {
  return [
    resident.idNumber,
    resident.name,
    resident.phone ?? '',
    resident.address,
    resident.placeCode,
    resident.householdNumber,
    resident.relationToHead,
    resident.ethnicity,
    resident.tags.join('|'),
  ];
}

/** The cells of one households.csv row. */
export function householdCsvCells(household: DemoHousehold): string[] {
  return [household.householdNumber, household.placeCode, household.address];
}

/** The cells of one organisations.csv row. */
export function organisationCsvCells(organisation: DemoOrganisation): string[] {
  return [organisation.kind, organisation.name, organisation.creditCode, organisation.placeCode, organisation.legalRepresentative, organisation.phone, organisation.address];
}

/** The cells of one places.csv row. */
export function placeCsvCells(place: DemoPlace): string[] {
  return [place.code, place.name, place.level, place.parentCode ?? '', String(place.centerLon), String(place.centerLat)];
}

/**
 * Writes the demo city as import files (UTF-8 with BOM, CRLF, the import's canonical headers) into
 * `directory`: places.csv and places.geojson for reference, organisations.csv, and households.csv
 * with residents.csv streamed from one pass over the households so a million residents fit in memory.
 */
export async function writeDemoCsvFiles(
  directory: string,
  data: { places: readonly DemoPlace[]; organisations: readonly DemoOrganisation[]; households: Iterable<DemoHousehold> },
): Promise<DemoCsvResult> {
  await fs.promises.mkdir(directory, { recursive: true });
  const places = new CsvFile(path.join(directory, DEMO_FILES.places), PLACE_CSV_HEADER);
  for (const place of data.places) await places.write(placeCsvCells(place));
  await places.close();
  await fs.promises.writeFile(path.join(directory, DEMO_FILES.boundaries), placesGeoJson(data.places));

  const organisations = new CsvFile(path.join(directory, DEMO_FILES.organisations), ORGANISATION_CSV_HEADER);
  for (const organisation of data.organisations) await organisations.write(organisationCsvCells(organisation));
  await organisations.close();

  const households = new CsvFile(path.join(directory, DEMO_FILES.households), HOUSEHOLD_CSV_HEADER);
  const residents = new CsvFile(path.join(directory, DEMO_FILES.residents), RESIDENT_CSV_HEADER);
  let householdCount = 0;
  let residentCount = 0;
  for (const household of data.households) {
    await households.write(householdCsvCells(household));
    householdCount += 1;
    for (const member of household.members) {
      await residents.write(residentCsvCells(member));
      residentCount += 1;
    }
  }
  await households.close();
  await residents.close();
  return { directory, places: data.places.length, organisations: data.organisations.length, households: householdCount, residents: residentCount };
}

/** The places with their boundaries as a GeoJSON FeatureCollection (properties: code, name, level, parent_code). */
export function placesGeoJson(places: readonly DemoPlace[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: places.map((place) => ({
      type: 'Feature',
      geometry: place.boundary,
      properties: { code: place.code, name: place.name, level: place.level, parent_code: place.parentCode },
    })),
  });
}

// Lines are gathered into chunks: one write call per line would dominate the cost of a million rows.
const CHUNK_CHARACTERS = 64 * 1024;

/** A CSV file written line by line with back-pressure; starts with the BOM and the header. */
class CsvFile {
  readonly #stream: fs.WriteStream;
  #pending = '';

  constructor(file: string, header: readonly string[]) {
    this.#stream = fs.createWriteStream(file, { encoding: 'utf8' });
    this.#pending = `\uFEFF${csvLine(header)}`;
  }

  async write(cells: readonly string[]): Promise<void> {
    this.#pending += csvLine(cells);
    if (this.#pending.length >= CHUNK_CHARACTERS) await this.#flush();
  }

  async close(): Promise<void> {
    await this.#flush();
    this.#stream.end();
    await once(this.#stream, 'finish');
  }

  async #flush(): Promise<void> {
    if (this.#pending === '') return;
    const chunk = this.#pending;
    this.#pending = '';
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }
}
