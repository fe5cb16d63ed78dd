/**
 * The one door to the HTTP API: JSON in and out, the session cookie sent by the browser, server
 * errors turned into `ApiError` with the stable code that the console translates (`errors.<CODE>`).
 */

/** A value that may go into a query string; empty values are left out. */
export type QueryValue = string | number | boolean | null | undefined;

/** An error answered by the server (or a failure to reach it), with its stable code. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, status: number, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Code used when the server cannot be reached at all. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

type UnauthorizedListener = () => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/** Registers what to do when any request finds the session gone (HTTP 401). */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

/** Tells the session that the server no longer knows us (for requests made outside `request`). */
export function reportUnauthorized(): void {
  unauthorizedListener?.();
}

/** Builds `path?query`, leaving out empty values so URLs stay short and shareable. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Options of one request. */
export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A JSON body, or FormData for multipart uploads. */
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /**
   * Leave a 401 to the caller instead of ending the session: the log-in form itself answers 401
   * for a wrong password, and the first `me` probe answers 401 for a visitor not yet signed in.
   */
  isUnauthorizedExpected?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the server's `{ error: { code, message, details } }` body, or invents a code from the status. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string') {
    const { code, message, details } = body.error;
    return new ApiError(
      code,
      typeof message === 'string' ? message : code,
      response.status,
      isRecord(details) ? details : undefined,
    );
  }
  const retryAfter = response.headers.get('Retry-After');
  if (response.status === 429) {
    return new ApiError('RATE_LIMITED', 'Too many requests', 429, retryAfter ? { retryAfter } : undefined);
  }
  if (response.status === 401) return new ApiError('UNAUTHENTICATED', 'Not signed in', 401);
  if (response.status === 403) return new ApiError('FORBIDDEN', 'Forbidden', 403);
  if (response.status === 404) return new ApiError('NOT_FOUND', 'Not found', 404);
  return new ApiError(response.status >= 500 ? 'INTERNAL' : 'UNKNOWN', response.statusText, response.status);
}

/** Sends one request and returns the parsed JSON body (undefined for 204). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(NETWORK_ERROR, error instanceof Error ? error.message : 'Network error', 0);
  }
  if (!response.ok) {
    const apiError = await errorFromResponse(response);
    if (response.status === 401 && !options.isUnauthorizedExpected) unauthorizedListener?.();
    throw apiError;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET a JSON resource. */
export function getJson<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, { query, signal });
}

/** POST a JSON body (or FormData) and read the JSON answer. */
export function postJson<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
  return request<T>('POST', path, { ...options, body });
}

/** True when `error` is an aborted request, which callers ignore. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
