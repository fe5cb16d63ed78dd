import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { appendAudit } from '../../platform/audit/index.ts';
import { chinaDate } from '../matters/index.ts';
import type { DemoAppeal } from './appeals-generator.ts';
import { DEMO_ACTOR } from './seed.ts';

const BATCH = 2000;

/**
 * Writes generated appeals in bulk: ids and references are drawn from the tables' own sequences,
 * then matters, their timelines and appeal facts go in as one JSON batch each, one transaction
 * and one audit entry per batch. Seeding only: live appeals go through the matters engine.
 */
export async function seedAppeals(db: Db, appeals: Iterable<DemoAppeal>, places: ReadonlyMap<string, { id: number; path: string }>): Promise<number> {
  let batch: DemoAppeal[] = [];
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await db.transaction().execute(async (trx) => {
      const ids = await sql<{ id: number; ref: number }>`
        SELECT nextval(pg_get_serial_sequence('matters', 'id'))::bigint AS id, nextval('matter_reference_seq')::bigint AS ref
        FROM generate_series(1, ${rows.length})`.execute(trx);
      const matters = rows.map((row, i) => {
        const place = places.get(row.matter.placeCode)!;
        const { id, ref } = ids.rows[i]!;
        return {
          id: Number(id),
          reference: `MS${chinaDate(row.matter.createdAt).replaceAll('-', '')}${String(ref).padStart(6, '0')}`,
          state: row.matter.state,
          title: row.matter.title,
          place_id: place.id,
          place_path: place.path,
          lon: row.matter.lon,
          lat: row.matter.lat,
          step_seq: row.matter.stepSeq,
          step_started_at: row.matter.stepStartedAt.toISOString(),
          step_due_at: row.matter.stepDueAt?.toISOString() ?? null,
          escalation_level: row.matter.escalationLevel,
          round: row.matter.round,
          created_at: row.matter.createdAt.toISOString(),
          closed_at: row.matter.closedAt?.toISOString() ?? null,
        };
      });
      await sql`
        INSERT INTO matters (id, reference, type_code, state, title, place_id, place_path, lon, lat, step_seq, step_started_at, step_due_at, escalation_level, round, created_at, updated_at, closed_at)
        SELECT id, reference, 'appeal', state, title, place_id, place_path, lon, lat, step_seq, step_started_at, step_due_at, escalation_level, round, created_at, step_started_at, closed_at
        FROM json_to_recordset(${JSON.stringify(matters)}::json) AS m(id bigint, reference text, state text, title text, place_id bigint, place_path ltree, lon float8, lat float8,
          step_seq int, step_started_at timestamptz, step_due_at timestamptz, escalation_level int, round int, created_at timestamptz, closed_at timestamptz)`.execute(trx);
      const events = rows.flatMap((row, i) =>
        row.events.map((e) => ({ matter_id: matters[i]!.id, at: e.at.toISOString(), kind: e.kind, action: e.action, from_state: e.fromState, to_state: e.toState, step_seq: e.stepSeq, details: e.details })),
      );
      await sql`
        INSERT INTO matter_events (matter_id, at, actor_id, actor_name, kind, action, from_state, to_state, step_seq, details)
        SELECT matter_id, at, NULL, 'demo', kind, action, from_state, to_state, step_seq, details
        FROM json_to_recordset(${JSON.stringify(events)}::json) AS e(matter_id bigint, at timestamptz, kind text, action text, from_state text, to_state text, step_seq int, details jsonb)`.execute(trx);
      const facts = rows.map((row, i) => ({ matter_id: matters[i]!.id, ...row.appeal }));
      await sql`
        INSERT INTO appeals (matter_id, kind, category_code, door, scale, handler_level, is_reporter_hidden)
        SELECT matter_id, kind, category_code, door, scale, handler_level, door = 'work_safety'
        FROM json_to_recordset(${JSON.stringify(facts)}::json) AS a(matter_id bigint, kind text, category_code text, door text, scale text, handler_level text)`.execute(trx);
      await appendAudit(trx, DEMO_ACTOR, { action: 'demo.appeals_seeded', entityType: 'matter', details: { count: rows.length, firstId: matters[0]!.id } });
    });
    written += rows.length;
  };
  for (const appeal of appeals) {
    batch.push(appeal);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return written;
}
