import { request } from './client';
import { endpoint } from './endpoint';
import type { AppealInput, AppealKpi, AppealTriage, DuplicateCandidate, Id, KpiDimension } from './types';

/**
 * Registers an appeal. The same `idempotencyKey` sent twice (a double click, a retry after a lost
 * answer) creates one matter and answers with it both times.
 */
export function createAppeal(input: AppealInput, idempotencyKey: string): Promise<AppealTriage> {
  return request<AppealTriage>('POST', '/api/appeals', { body: input, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Query of the appeal KPIs. */
export interface KpiQuery {
  /** ISO instants. */
  from: string;
  to: string;
  dimension: KpiDimension;
  placeDepth?: number;
}

/** The appeal KPIs grouped by one dimension. */
export function appealKpisEndpoint(query: KpiQuery) {
  return endpoint<{ items: AppealKpi[] }>('/api/appeals/kpis', { ...query });
}

/** Open appeals that look like the same problem as this one (same category, nearby, recent). */
export function duplicatesEndpoint(id: Id) {
  return endpoint<{ items: DuplicateCandidate[] }>(`/api/appeals/${encodeURIComponent(String(id))}/duplicates`);
}

/** Merges appeal `id` into `primaryId` as a duplicate; its reporters are kept on the primary. */
export function mergeAppeal(id: Id, primaryId: Id, reason: string): Promise<void> {
  return request<void>('POST', `/api/appeals/${encodeURIComponent(String(id))}/merge`, {
    body: { primaryId: Number(primaryId), reason },
  });
}
