export { organisationsRoutes } from './organisations.routes.ts';
export { searchOrganisations, getOrganisation, organisationImporter, parseOrganisationKind, ORGANISATION_KINDS, ORGANISATION_COLUMNS } from './organisations.service.ts';
export { countOrganisations } from './organisations.repository.ts';
