import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

/** A knowledge-base article as stored. */
export interface ArticleRow {
  id: number;
  code: string | null;
  category_code: string | null;
  title: string;
  body: string;
  keywords: string;
  is_active: boolean;
  updated_at: Date;
  updated_by: number | null;
}

/** What a search asks for: words typed by the agent and a category (with its sub-categories). */
export interface ArticleFilter {
  /** The agent's text as typed, used whole to find keywords inside it and for trigram similarity. */
  text: string;
  /** The text cut into words, each looked for in title, keywords and body. */
  terms: string[];
  categoryCode?: string | undefined;
  includeInactive: boolean;
}

/** A trigram similarity above which an article matches even without a shared word (typos, word order). */
const SIMILARITY_THRESHOLD = 0.3;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Articles matching the filter, best first, with the total. Ranking weighs a word found in the
 * title above one in the keywords above one in the body, and counts every article keyword the
 * agent's text contains: Chinese has no spaces, so "我家停水了" finds the article keyed 停水 only
 * that way round. Title and keywords are compared by trigram similarity as well (pg_trgm).
 * Matching keywords inside the caller's words cannot use an index, so this reads every article of
 * the category: a desk's knowledge base is thousands of rows, not millions.
 */
export async function searchArticles(db: Executor, filter: ArticleFilter, page: { limit: number; offset: number }): Promise<{ rows: Array<ArticleRow & { score: number }>; total: number }> {
  const patterns = JSON.stringify(filter.terms.map((term) => `%${escapeLike(term)}%`));
  const hasText = filter.text !== '';
  const category = filter.categoryCode
    ? sql`AND (k.category_code = ${filter.categoryCode} OR k.category_code LIKE ${`${escapeLike(filter.categoryCode)}.%`})`
    : sql``;
  const active = filter.includeInactive ? sql`` : sql`AND k.is_active`;
  const score = hasText
    ? sql`(
        4 * (SELECT count(*) FROM jsonb_array_elements_text(${patterns}::jsonb) p WHERE k.title ILIKE p)
        + 3 * (SELECT count(*) FROM jsonb_array_elements_text(${patterns}::jsonb) p WHERE k.keywords ILIKE p)
        + (SELECT count(*) FROM jsonb_array_elements_text(${patterns}::jsonb) p WHERE k.body ILIKE p)
        + 3 * (SELECT count(*) FROM unnest(string_to_array(k.keywords, ' ')) w WHERE w <> '' AND strpos(lower(${filter.text}), lower(w)) > 0)
        + similarity(k.title || ' ' || k.keywords, ${filter.text})
      )::float8`
    : sql`0::float8`;
  const result = await sql<ArticleRow & { score: number; total: number }>`
    SELECT * FROM (
      SELECT k.id, k.code, k.category_code, k.title, k.body, k.keywords, k.is_active, k.updated_at, k.updated_by, ${score} AS score
      FROM knowledge_articles k
      WHERE true ${category} ${active}
    ) ranked
    WHERE ${hasText ? sql`score >= ${SIMILARITY_THRESHOLD}` : sql`true`}
    ORDER BY score DESC, updated_at DESC, id
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  const counted = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT ${score} AS score FROM knowledge_articles k WHERE true ${category} ${active}
    ) ranked
    WHERE ${hasText ? sql`score >= ${SIMILARITY_THRESHOLD}` : sql`true`}`.execute(db);
  return { rows: result.rows.map((row) => ({ ...row, score: Number(row.score) })), total: Number(counted.rows[0]?.n ?? 0) };
}

/** One article by id, active or not. */
export function findArticle(db: Executor, id: number): Promise<ArticleRow | undefined> {
  return db.selectFrom('knowledge_articles').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The fields an article is written with. */
export interface ArticleWrite {
  category_code: string | null;
  title: string;
  body: string;
  keywords: string;
  is_active: boolean;
  updated_by: number | null;
}

/** Inserts an article and returns its id. */
export async function insertArticle(db: Executor, article: ArticleWrite): Promise<number> {
  const row = await db.insertInto('knowledge_articles').values(article).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Replaces an article's fields; false when it does not exist. */
export async function updateArticle(db: Executor, id: number, article: ArticleWrite): Promise<boolean> {
  const result = await db
    .updateTable('knowledge_articles')
    .set({ ...article, updated_at: sql`now()` })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** True when the category exists and is active. */
export async function isActiveCategory(db: Executor, code: string): Promise<boolean> {
  const row = await db.selectFrom('appeal_categories').select('code').where('code', '=', code).where('is_active', '=', true).executeTakeFirst();
  return row !== undefined;
}

