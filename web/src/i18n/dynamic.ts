import { i18next } from './index';

/**
 * Translates a key built at run time from server data (an error code, a tag, an action name),
 * or returns undefined when the console has no words for it, so callers can fall back to the raw
 * value. Static keys go through the typed `t` instead.
 */
export function translateOptional(key: string, values?: Record<string, unknown>): string | undefined {
  if (!i18next.exists(key)) return undefined;
  const t = i18next.t as unknown as (key: string, values?: Record<string, unknown>) => string;
  return t(key, values);
}
