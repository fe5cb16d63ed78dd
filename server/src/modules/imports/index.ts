export { importsRoutes } from './imports.routes.ts';
export { startImport, describeFile, getImportJob, IMPORT_KINDS } from './imports.service.ts';
