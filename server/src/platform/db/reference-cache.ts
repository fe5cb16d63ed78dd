import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Executor } from './database.ts';

/** Kinds of reference data with a version in `reference_versions` (see migrations 0012, 0014 and 0015). */
export type ReferenceName = 'calendar' | 'matter_types' | 'appeal_categories' | 'triage_rules' | 'places' | 'accounts' | 'assistance';

interface Entry {
  version: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<object, Map<string, Entry>>();
const snapshots = new AsyncLocalStorage<Map<object, Promise<Map<string, number>>>>();

/**
 * Runs `fn` (an HTTP request) with one reading of the reference versions per database, shared by
 * every {@link cachedReference} inside it: a request that needs the calendar, the matter type,
 * the categories and the triage rules asks the database one small question instead of loading
 * them all.
 */
export function withReferenceSnapshot<T>(fn: () => T): T {
  return snapshots.run(new Map(), fn);
}

async function readVersions(executor: Executor): Promise<Map<string, number>> {
  const rows = await executor.selectFrom('reference_versions').select(['name', 'version']).execute();
  return new Map(rows.map((row) => [row.name, Number(row.version)]));
}

const readsInFlight = new WeakMap<object, Promise<Map<string, number>>>();

/**
 * Requests that need the versions while another request's read of them is on its way share that
 * read: under load, one small query serves a whole wave of requests instead of one each. What they
 * see is at most one round trip older than their own start, as if they had started a moment
 * earlier. Reads inside a transaction are never shared (it may hold its own edits).
 */
function sharedRead(db: Db, executor: Executor): Promise<Map<string, number>> {
  if (executor.isTransaction) return readVersions(executor);
  let read = readsInFlight.get(db);
  if (!read) {
    read = readVersions(executor);
    readsInFlight.set(db, read);
    const clear = () => readsInFlight.delete(db);
    read.then(clear, clear);
  }
  return read;
}

function versionsFor(db: Db, executor: Executor): Promise<Map<string, number>> {
  const snapshot = snapshots.getStore();
  if (!snapshot) return readVersions(executor);
  let versions = snapshot.get(db);
  if (!versions) {
    versions = sharedRead(db, executor);
    snapshot.set(db, versions);
  }
  return versions;
}

/**
 * Reference data `key` of kind `name` (e.g. the active triage rules), from this process's cache
 * when its version is still current, else loaded with `executor`. Values loaded inside a
 * transaction are used but not kept: the transaction may see its own uncommitted edits.
 * `db` is the application's database (the cache's owner); pass the transaction as `executor`
 * when inside one (PGlite has one connection).
 */
export async function cachedReference<T>(db: Db, executor: Executor, name: ReferenceName, key: string, load: (executor: Executor) => Promise<T>): Promise<T> {
  const version = (await versionsFor(db, executor)).get(name) ?? 0;
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const cacheKey = `${name}\u001f${key}`;
  const entry = cache.get(cacheKey);
  if (entry && entry.version === version) return entry.value as Promise<T>;
  const value = load(executor);
  if (!executor.isTransaction) {
    cache.set(cacheKey, { version, value });
    value.catch(() => cache.delete(cacheKey));
  }
  return value;
}
