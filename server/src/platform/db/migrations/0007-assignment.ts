import { type Kysely, sql } from 'kysely';

/**
 * Assignment of matters: to a person (指派), to another organisation (转办), and co-handling
 * (主办/协办). The lead unit (主办) stays `matters.assignee_organisation_id`, kept in one place so
 * that a transfer can never leave two leads; the assisting units (协办) are rows of
 * `matter_co_handlers`, each with the request it was given and the report it sent back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE matters ADD COLUMN assignee_user_id bigint REFERENCES users(id)`.execute(db);
  await sql`CREATE INDEX matters_assignee_user ON matters (assignee_user_id) WHERE closed_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE matter_co_handlers (
      matter_id bigint NOT NULL REFERENCES matters(id),
      organisation_id bigint NOT NULL REFERENCES organisations(id),
      request text NOT NULL DEFAULT '',
      added_at timestamptz NOT NULL,
      added_by bigint REFERENCES users(id),
      reported_at timestamptz,
      reported_by bigint REFERENCES users(id),
      report text,
      PRIMARY KEY (matter_id, organisation_id),
      CHECK ((reported_at IS NULL) = (report IS NULL))
    )`.execute(db);
  // The work queue of an assisting unit asks for its unreported requests.
  await sql`CREATE INDEX matter_co_handlers_pending ON matter_co_handlers (organisation_id) WHERE reported_at IS NULL`.execute(db);

  await sql`ALTER TABLE matter_events DROP CONSTRAINT matter_events_kind_check`.execute(db);
  await sql`
    ALTER TABLE matter_events ADD CONSTRAINT matter_events_kind_check
      CHECK (kind IN ('created','transition','note','warned','escalated','assigned','co_handler_added','co_handler_reported','co_handler_withdrawn'))`.execute(db);

  await addAssignmentSettings(db);
}

/**
 * An installation that already stored the shipped appeal type gets the new settings of transfer
 * (转办 names its organisation) and co-handling (the reply waits for the assisting units), unless an
 * administrator has already set them; a new one gets them from the shipped definition when
 * reference data is loaded after the migrations.
 */
export async function addAssignmentSettings(db: Kysely<unknown>): Promise<void> {
  const stored = await sql<{ definition: unknown }>`SELECT definition FROM matter_types WHERE code = 'appeal' AND is_builtin`.execute(db);
  const definition = stored.rows[0]?.definition as { states?: Array<{ code?: unknown }>; actions?: Array<Record<string, unknown>>; coHandling?: unknown } | undefined;
  if (definition?.actions && definition.states) {
    for (const action of definition.actions) {
      if (action.code === 'transfer' && action.assignsOrganisation === undefined) action.assignsOrganisation = true;
    }
    // Only where the states and the action it names are still there: the definition must stay valid.
    const states = new Set(definition.states.map((s) => s.code));
    const hasReply = definition.actions.some((a) => a.code === 'reply');
    if (states.has('dispatched') && states.has('handling') && hasReply) {
      definition.coHandling ??= { states: ['dispatched', 'handling'], replyActions: ['reply'], replyRequiresAssistants: true };
    }
    await sql`UPDATE matter_types SET definition = ${JSON.stringify(definition)}::jsonb, updated_at = now() WHERE code = 'appeal'`.execute(db);
  }
}
