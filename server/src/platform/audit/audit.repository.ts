import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { AuditRow } from '../db/schema.ts';
import { sm3Hex } from '../crypto/field-cipher.ts';

/** Who did something, and from where: the subject of an audit entry. */
export interface AuditActor {
  userId: number | null;
  name: string;
  ip: string | null;
}

/** One thing to record in the audit trail. */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** The hash that the first entry of the chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);
// Any constant works; it only has to be the same for every writer so appends are serialised.
const AUDIT_CHAIN_LOCK = 7_270_001;

/** JSON with object keys sorted at every level, so jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface HashedFields {
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** The SM3 link of the chain: hash of the previous link and this entry's canonical form. */
export function chainHash(prevHash: string, fields: HashedFields): string {
  return sm3Hex(`${prevHash}\n${canonicalJson(fields)}`);
}

/**
 * Appends an entry to the audit trail inside the caller's transaction. Appends are serialised
 * with a transaction-level advisory lock so that the hash chain has one order.
 */
export async function appendAudit(trx: Executor, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: HashedFields = {
    at: new Date().toISOString(),
    actorId: actor.userId,
    actorName: actor.name,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    ip: actor.ip,
    details: entry.details ?? {},
  };
  await trx
    .insertInto('audit_log')
    .values({
      at: fields.at,
      actor_id: fields.actorId,
      actor_name: fields.actorName,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      ip: fields.ip,
      details: JSON.stringify(fields.details),
      prev_hash: prevHash,
      hash: chainHash(prevHash, fields),
    })
    .execute();
}

/** Filters for reading the audit trail. */
export interface AuditQuery {
  actorId?: number | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** A page of audit entries, newest first, with the total count for the filters. */
export async function findAuditEntries(db: Executor, query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (query.actorId !== undefined) base = base.where('actor_id', '=', query.actorId);
  if (query.action) base = base.where('action', 'like', `${query.action}%`);
  if (query.entityType) base = base.where('entity_type', '=', query.entityType);
  if (query.entityId) base = base.where('entity_id', '=', query.entityId);
  if (query.from) base = base.where('at', '>=', new Date(query.from));
  if (query.to) base = base.where('at', '<', new Date(query.to));
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Reads the chain in id order, a batch at a time. */
export async function readAuditBatch(db: Executor, afterId: number, size: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(size).execute();
}
