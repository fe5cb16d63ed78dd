import { type Kysely, sql } from 'kysely';

/**
 * References checked once per statement instead of once per row: a resident's place and
 * household, and a household's place. A foreign key checks each inserted row with its own query
 * (executor start, index scan, row lock); for a batch of a thousand imported residents that was a
 * fifth of PostgreSQL's work (docs/benchmarks.md). These triggers give the same guarantees with
 * one query per statement over its transition table:
 *
 * - a statement that writes rows naming a place or household that does not exist fails with
 *   SQLSTATE 23503 and the constraint's name, as the foreign key did;
 * - the rows named are locked FOR KEY SHARE until the transaction ends, as the foreign key locks
 *   them, so a concurrent delete waits and then finds the new rows;
 * - deleting a referenced row, or changing its id, fails with 23503 too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await statementReference(db, { table: 'residents', column: 'place_id', target: 'places' });
  await statementReference(db, { table: 'residents', column: 'household_id', target: 'households' });
  await statementReference(db, { table: 'households', column: 'place_id', target: 'places' });
}

/** Replaces the foreign key `${table}_${column}_fkey` (to `target`'s id) with statement triggers of that name. */
async function statementReference(db: Kysely<unknown>, reference: { table: string; column: string; target: string }): Promise<void> {
  const { table, column, target } = reference;
  const constraint = `${table}_${column}_fkey`;
  const name = (suffix: string) => sql.raw(`${constraint}_${suffix}`);
  const [tableRef, columnRef, targetRef] = [sql.table(table), sql.ref(column), sql.table(target)];
  await sql`ALTER TABLE ${tableRef} DROP CONSTRAINT ${sql.raw(constraint)}`.execute(db);

  // The lookup is planned once and kept for the session; planned while the table was small it
  // would scan the whole table for every statement ever after. Ids are found through the primary
  // key whatever the statistics say.
  await sql`
    CREATE FUNCTION ${name('check')}() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
    DECLARE
      named bigint[] := ARRAY(SELECT DISTINCT ${columnRef} FROM written WHERE ${columnRef} IS NOT NULL);
      present bigint;
    BEGIN
      PERFORM 1 FROM ${targetRef} t WHERE t.id = ANY (named) FOR KEY SHARE OF t;
      GET DIAGNOSTICS present = ROW_COUNT;
      IF present < cardinality(named) THEN
        RAISE EXCEPTION 'insert or update on table "${sql.raw(table)}" violates foreign key constraint "${sql.raw(constraint)}"'
          USING ERRCODE = 'foreign_key_violation', TABLE = ${sql.lit(table)}, CONSTRAINT = ${sql.lit(constraint)},
                DETAIL = format('%s of the rows written name no row of ${sql.raw(target)}.', cardinality(named) - present);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  // Transition tables allow one event per trigger, hence two.
  for (const event of ['INSERT', 'UPDATE']) {
    await sql`
      CREATE TRIGGER ${name(event.toLowerCase())} AFTER ${sql.raw(event)} ON ${tableRef}
      REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ${name('check')}()`.execute(db);
  }

  await sql`
    CREATE FUNCTION ${name('referenced')}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
      END IF;
      IF EXISTS (SELECT 1 FROM ${tableRef} WHERE ${columnRef} = OLD.id) THEN
        RAISE EXCEPTION 'update or delete on table "${sql.raw(target)}" violates foreign key constraint "${sql.raw(constraint)}" on table "${sql.raw(table)}"'
          USING ERRCODE = 'foreign_key_violation', TABLE = ${sql.lit(target)}, CONSTRAINT = ${sql.lit(constraint)};
      END IF;
      IF TG_OP = 'DELETE' THEN
        RETURN OLD;
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER ${name('referenced')} BEFORE DELETE OR UPDATE OF id ON ${targetRef}
    FOR EACH ROW EXECUTE FUNCTION ${name('referenced')}()`.execute(db);
}
