export { generateCity, DEFAULT_CITY_OPTIONS, DEMO_CITY, DEMO_DISTRICTS, type CityOptions, type DemoCity, type DemoPlace } from './city-generator.ts';
export {
  generateOrganisations,
  DEFAULT_ORGANISATION_COUNTS,
  DISTRICT_DEPARTMENTS,
  type DemoOrganisation,
  type OrganisationOptions,
} from './organisation-generator.ts';
export {
  generateResidents,
  ageOn,
  DEFAULT_AS_OF,
  DEFAULT_PERSONS,
  type DemoHousehold,
  type DemoResident,
  type PopulationOptions,
} from './population-generator.ts';
export {
  writeDemoCsvFiles,
  placesGeoJson,
  residentCsvCells,
  householdCsvCells,
  organisationCsvCells,
  placeCsvCells,
  DEMO_FILES,
  HOUSEHOLD_CSV_HEADER,
  ORGANISATION_CSV_HEADER,
  PLACE_CSV_HEADER,
  RESIDENT_CSV_HEADER,
  type DemoCsvResult,
} from './demo-csv.ts';
export { seedOrganisations, seedPlaces, DEMO_ACTOR, type SeedResult } from './seed.ts';
export { Random, apportion, weightedTable, type WeightedTable } from './random.ts';
export { generateAppeals, type DemoAppeal } from './appeals-generator.ts';
export { seedAppeals } from './seed-appeals.ts';
