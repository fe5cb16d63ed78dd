import type { RoutesPlugin } from '../../platform/http/context.ts';
import { datasetRoutes } from './datasets.routes.ts';
import { findingRoutes } from './findings.routes.ts';
import { runRoutes } from './runs.routes.ts';

/** 大数据比对 over HTTP: the dataset catalogue, comparison runs, 疑点核查 findings and the lists rules feed. */
export const compareRoutes: RoutesPlugin = async (app, services) => {
  await datasetRoutes(app, services);
  await runRoutes(app, services);
  await findingRoutes(app, services);
};
