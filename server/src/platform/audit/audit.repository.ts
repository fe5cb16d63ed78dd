import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
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
// Any constant works; it only has to be the same for every sealer so seals are serialised.
const AUDIT_SEAL_LOCK = 7_270_001;

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
 * Appends an entry to the audit trail inside the caller's transaction: it exists exactly when the
 * write it records committed. The entry is sealed into the hash chain after commit by
 * {@link sealAuditTrail}; hashing here would need one lock held by every writer until its commit,
 * and intake would commit one request at a time.
 */
export async function appendAudit(trx: Executor, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await appendAudits(trx, [{ actor, entry }]);
}

/** Appends several entries in one statement (a batch of writes committing together). */
export async function appendAudits(trx: Executor, entries: { actor: AuditActor; entry: AuditEntry }[]): Promise<void> {
  if (entries.length === 0) return;
  const at = new Date().toISOString();
  await trx
    .insertInto('audit_log')
    .values(
      entries.map(({ actor, entry }) => ({
        at,
        actor_id: actor.userId,
        actor_name: actor.name,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId == null ? null : String(entry.entityId),
        ip: actor.ip,
        details: JSON.stringify(entry.details ?? {}),
      })),
    )
    .execute();
}

/** The hashed fields of a stored entry. */
export function hashedFieldsOf(row: AuditRow): HashedFields {
  return {
    at: row.at.toISOString(),
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    ip: row.ip,
    details: row.details,
  };
}

/**
 * Seals committed entries into the SM3 chain, in the order they became visible, up to
 * `batchSize` per transaction; returns how many were sealed. Sealers in several processes take
 * turns on an advisory lock. An entry changed by SQL before it is sealed (within a tick of its
 * commit, see the audit ticker) is sealed as changed; after that any change breaks the chain.
 */
export async function sealAuditTrail(db: Db, batchSize = 5000): Promise<number> {
  // The ticker calls this every second: with nothing to seal, one indexed read and no lock.
  const pending = await db.selectFrom('audit_log').select('id').where('seal_seq', 'is', null).limit(1).executeTakeFirst();
  if (!pending) return 0;
  let sealed = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_SEAL_LOCK})`.execute(trx);
      const rows = await trx.selectFrom('audit_log').selectAll().where('seal_seq', 'is', null).orderBy('id').limit(batchSize).execute();
      if (rows.length === 0) return 0;
      const head = await trx.selectFrom('audit_log').select(['seal_seq', 'hash']).where('seal_seq', 'is not', null).orderBy('seal_seq', 'desc').limit(1).executeTakeFirst();
      let seq = Number(head?.seal_seq ?? 0);
      let prevHash = head?.hash ?? GENESIS_HASH;
      const links = rows.map((row) => {
        const hash = chainHash(prevHash, hashedFieldsOf(row));
        const link = { id: row.id, seq: ++seq, prev: prevHash, hash };
        prevHash = hash;
        return link;
      });
      await sql`
        UPDATE audit_log AS a SET seal_seq = l.seq, prev_hash = l.prev, hash = l.hash
        FROM json_to_recordset(${JSON.stringify(links)}::json) AS l(id bigint, seq bigint, prev text, hash text)
        WHERE a.id = l.id`.execute(trx);
      return rows.length;
    });
    sealed += count;
    if (count < batchSize) return sealed;
  }
}

/** Entries written but not sealed yet. */
export async function countUnsealed(db: Executor): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('seal_seq', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
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

/** Reads the sealed chain in order, a batch at a time. */
export async function readAuditBatch(db: Executor, afterSeq: number, size: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seal_seq', '>', afterSeq).orderBy('seal_seq').limit(size).execute();
}
