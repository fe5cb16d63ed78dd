import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppServices } from './platform/http/context.ts';
import { systemPrincipal } from './platform/auth/index.ts';
import { DEMO_FILES, generateAppeals, generateCity, generateOrganisations, generateResidents, seedAppeals, seedOrganisations, seedPlaces, writeDemoCsvFiles, type DemoCsvResult } from './modules/demo/index.ts';
import { loadCalendar } from './platform/calendar/index.ts';
import { refreshKpiFacts } from './modules/appeals/index.ts';
import { loadPlaceDirectory } from './modules/places/index.ts';
import { describeFile, startImport } from './modules/imports/index.ts';

/** Options of the demo city. */
export interface DemoOptions {
  persons: number;
  /** Appeals over the year before today (or before the calendar's last month); 0 for none. */
  appeals?: number | undefined;
  seed?: number | undefined;
  log: (message: string) => void;
}

const DEFAULT_SEED = 2024;

/** Writes the demo city as the files `minsheng import` reads (plus places.csv and places.geojson). */
export async function writeDemoCsv(directory: string, options: DemoOptions): Promise<DemoCsvResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const city = generateCity({ seed });
  const result = await writeDemoCsvFiles(directory, {
    places: city.places,
    organisations: generateOrganisations({ seed, places: city.places }),
    households: generateResidents({ seed, persons: options.persons, places: city.places }),
  });
  options.log(`wrote ${result.places} places, ${result.organisations} organisations, ${result.households} households and ${result.residents} residents to ${directory}`);
  return result;
}

/** Inserts the demo city's places (for benchmarks that bring their own residents). */
export async function seedDemoPlaces(services: AppServices, options: { seed?: number }): Promise<number> {
  const city = generateCity({ seed: options.seed ?? DEFAULT_SEED });
  return (await seedPlaces(services.db, city.places)).inserted;
}

/**
 * Builds the demo city in the database: places and organisations directly, households and
 * residents through the same import pipeline (validation, encryption, audit) a user's file takes.
 * With `skipIfPresent`, a database that already has the city is left alone.
 */
export async function seedDemoCity(services: AppServices, options: DemoOptions & { skipIfPresent: boolean }): Promise<void> {
  const seed = options.seed ?? DEFAULT_SEED;
  const city = generateCity({ seed });
  const places = await seedPlaces(services.db, city.places);
  if (places.isSkipped && options.skipIfPresent) return;
  options.log(`demo city: ${places.inserted} places`);
  const organisations = generateOrganisations({ seed, places: city.places });
  const orgs = await seedOrganisations(services.db, organisations, services.cipher);
  options.log(`demo city: ${orgs.inserted} organisations`);

  options.log(`demo city: generating and importing ${options.persons.toLocaleString('en-US')} residents…`);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-demo-'));
  try {
    await writeDemoCsvFiles(directory, { places: [], organisations: [], households: generateResidents({ seed, persons: options.persons, places: city.places }) });
    const principal = systemPrincipal('demo');
    for (const kind of ['households', 'residents'] as const) {
      const started = Date.now();
      const { completion } = await startImport(services, principal, kind, await describeFile(path.join(directory, DEMO_FILES[kind])));
      const result = await completion;
      if (result.status !== 'completed' || result.failed > 0) throw new Error(`demo ${kind} import did not complete cleanly: ${JSON.stringify(result)}`);
      options.log(`demo city: ${result.inserted} ${kind} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  if (options.appeals) {
    const started = Date.now();
    const calendar = await loadCalendar(services.db);
    // Deadlines need calendar data: stop a month before the last year on file runs out.
    const lastYear = Math.max(...calendar.years);
    const asOf = new Date(Math.min(Date.now(), Date.parse(`${lastYear}-12-01T00:00:00+08:00`)));
    const directory = await loadPlaceDirectory(services.db, '');
    const microgrids = city.places.filter((p) => p.level === 'microgrid');
    const count = await seedAppeals(services.db, generateAppeals({ seed, count: options.appeals, asOf, microgrids, calendar }), directory);
    options.log(`demo city: ${count} appeals over the year to ${asOf.toISOString().slice(0, 10)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const folding = Date.now();
    await refreshKpiFacts(services.db);
    options.log(`demo city: KPI facts and monthly rollups built (${((Date.now() - folding) / 1000).toFixed(1)} s)`);
  }
}
