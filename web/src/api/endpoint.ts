import { buildUrl, type QueryValue } from './client';

/**
 * A GET URL that remembers the type of its JSON answer, so `useJson(endpoint)` is typed by the
 * catalogue in `api/*.ts` rather than by each caller.
 */
export type Endpoint<T> = string & { readonly __response?: T };

/** Makes a typed endpoint from a path and query. */
export function endpoint<T>(path: string, query?: Record<string, QueryValue>): Endpoint<T> {
  return buildUrl(path, query) as Endpoint<T>;
}

/** Query of every paged list. */
export interface PageQuery {
  page: number;
  pageSize: number;
}
