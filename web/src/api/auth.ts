import { postJson, request } from './client';
import type { Me } from './types';

/** Signs in; a wrong password answers 401 INVALID_CREDENTIALS, which the form shows itself. */
export async function logIn(username: string, password: string): Promise<Me> {
  const answer = await postJson<{ user: Me }>('/api/auth/login', { username, password }, { isUnauthorizedExpected: true });
  return answer.user;
}

/** Ends the session on the server. */
export function logOut(): Promise<void> {
  return request<void>('POST', '/api/auth/logout', { isUnauthorizedExpected: true });
}

/** The signed-in account; 401 when the visitor has no session. */
export function fetchMe(signal?: AbortSignal): Promise<Me> {
  return request<Me>('GET', '/api/auth/me', { signal, isUnauthorizedExpected: true });
}
