import { type Kysely, sql } from 'kysely';

/**
 * Open311 GeoReport v2: the extra questions a category asks (service attributes), the answers an
 * appeal gave, and the Open311 facts of a request that have no column in `appeals`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE appeal_category_attributes (
      category_code text NOT NULL REFERENCES appeal_categories(code),
      code text NOT NULL,
      datatype text NOT NULL CHECK (datatype IN ('string','number','datetime','text','singlevaluelist','multivaluelist')),
      is_required boolean NOT NULL DEFAULT false,
      description text NOT NULL,
      datatype_description text NOT NULL DEFAULT '',
      sort integer NOT NULL DEFAULT 0,
      values jsonb,
      PRIMARY KEY (category_code, code)
    )`.execute(db);

  await sql`
    CREATE TABLE appeal_attribute_values (
      matter_id bigint NOT NULL REFERENCES matters(id),
      code text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (matter_id, code)
    )`.execute(db);

  // The requester's e-mail is personal data: stored encrypted like the appeals' phone numbers.
  await sql`
    CREATE TABLE open311_submissions (
      matter_id bigint PRIMARY KEY REFERENCES matters(id),
      address_string text,
      address_id text,
      media_url text,
      email_enc bytea,
      device_id text,
      account_id text
    )`.execute(db);
}
