export { peopleRoutes } from './people.routes.ts';
export { searchResidents, getResident, unmaskResident, exportResidents, saveResident, searchHouseholds, getHousehold, ageOn } from './people.service.ts';
export { residentImporter, householdImporter, RESIDENT_COLUMNS, HOUSEHOLD_COLUMNS } from './people.import.ts';
export { parseDate } from './people.preparer.ts';
export { prepareResident, type ResidentInput } from './resident.prepare.ts';
export { countPeople, findResidentIdentities, type IdentityFilter } from './people.repository.ts';
