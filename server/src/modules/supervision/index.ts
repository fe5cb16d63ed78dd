export { getOverdueBoard, overdueBy, type OverdueBoard, type Overdue, type SupervisionDeps } from './supervision.service.ts';
export { supervisionRoutes } from './supervision.routes.ts';
