import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, hasPermission, requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { applyAction, type MattersDeps } from '../matters/index.ts';
import * as repo from './knowledge.repository.ts';

/** A knowledge-base article as the API shows it. */
export interface KnowledgeArticle {
  id: number;
  code: string | null;
  categoryCode: string | null;
  title: string;
  body: string;
  keywords: string[];
  isActive: boolean;
  updatedAt: string;
}

/** An article as staff write it. */
export interface KnowledgeArticleInput {
  categoryCode: string | null;
  title: string;
  body: string;
  keywords: string[];
  isActive: boolean;
}

/** A search of the knowledge base. */
export interface KnowledgeSearch {
  q?: string | undefined;
  categoryCode?: string | undefined;
  /** Writers see deactivated articles too, to restore them. */
  includeInactive?: boolean | undefined;
}

// Words are cut at spaces and the punctuation agents type; at most this many are looked for.
const WORD_SEPARATORS = /[\s,.;:!?，。；：！？、（）()“”"'‘’]+/;
const MAX_TERMS = 8;

function present(row: repo.ArticleRow): KnowledgeArticle {
  return {
    id: row.id,
    code: row.code,
    categoryCode: row.category_code,
    title: row.title,
    body: row.body,
    keywords: row.keywords.split(' ').filter(Boolean),
    isActive: row.is_active,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Searches the knowledge base as an agent types: by words (title, keywords, body; pg_trgm
 * similarity for near misses) and by category, best match first. Only writers may see inactive
 * articles.
 */
export async function searchKnowledge(db: Executor, principal: Principal, search: KnowledgeSearch, page: { limit: number; offset: number }) {
  requirePermission(principal, 'matters:matter:read');
  if (search.includeInactive) requirePermission(principal, 'appeals:knowledge:write');
  const text = (search.q ?? '').trim().replace(/\s+/g, ' ').slice(0, 200);
  const terms = [...new Set(text.split(WORD_SEPARATORS).filter(Boolean))].slice(0, MAX_TERMS);
  const { rows, total } = await repo.searchArticles(db, { text, terms, categoryCode: search.categoryCode || undefined, includeInactive: search.includeInactive ?? false }, page);
  return { items: rows.map((row) => ({ ...present(row), score: Math.round(row.score * 100) / 100 })), total };
}

/** One article; inactive ones only for writers. */
export async function getKnowledgeArticle(db: Executor, principal: Principal, id: number): Promise<KnowledgeArticle> {
  requirePermission(principal, 'matters:matter:read');
  const row = await repo.findArticle(db, id);
  if (!row || (!row.is_active && !hasPermission(principal, 'appeals:knowledge:write'))) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND', `no article ${id}`);
  return present(row);
}

async function toWrite(db: Executor, principal: Principal, input: KnowledgeArticleInput): Promise<repo.ArticleWrite> {
  if (input.categoryCode !== null && !(await repo.isActiveCategory(db, input.categoryCode))) {
    throw new AppError('VALIDATION_FAILED', `unknown category ${input.categoryCode}`, { fields: [{ field: 'categoryCode', message: 'unknown' }] });
  }
  const title = input.title.trim();
  const body = input.body.trim();
  const problems = [
    ...(title.length < 2 ? [{ field: 'title', message: 'too short' }] : []),
    ...(body.length < 2 ? [{ field: 'body', message: 'too short' }] : []),
  ];
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'article is incomplete', { fields: problems });
  const keywords = [...new Set(input.keywords.map((keyword) => keyword.trim()).filter(Boolean))];
  return {
    category_code: input.categoryCode,
    title,
    body,
    keywords: keywords.join(' '),
    is_active: input.isActive,
    updated_by: principal.via === 'system' ? null : principal.userId,
  };
}

/** Adds an article (needs `appeals:knowledge:write`), audited in the same transaction. */
export async function createKnowledgeArticle(db: Executor, principal: Principal, input: KnowledgeArticleInput): Promise<KnowledgeArticle> {
  requirePermission(principal, 'appeals:knowledge:write');
  const write = await toWrite(db, principal, input);
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertArticle(trx, write);
    await appendAudit(trx, auditActorOf(principal), { action: 'knowledge.created', entityType: 'knowledge_article', entityId: newId, details: { title: write.title, categoryCode: write.category_code } });
    return newId;
  });
  return present((await repo.findArticle(db, id))!);
}

/** Rewrites an article (needs `appeals:knowledge:write`), audited with what changed. */
export async function updateKnowledgeArticle(db: Executor, principal: Principal, id: number, input: KnowledgeArticleInput): Promise<KnowledgeArticle> {
  requirePermission(principal, 'appeals:knowledge:write');
  const before = await repo.findArticle(db, id);
  if (!before) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND', `no article ${id}`);
  const write = await toWrite(db, principal, input);
  const changed = (['category_code', 'title', 'body', 'keywords', 'is_active'] as const).filter((field) => before[field] !== write[field]);
  await db.transaction().execute(async (trx) => {
    await repo.updateArticle(trx, id, write);
    await appendAudit(trx, auditActorOf(principal), { action: 'knowledge.updated', entityType: 'knowledge_article', entityId: id, details: { changed } });
  });
  return present((await repo.findArticle(db, id))!);
}

/**
 * Withdraws an article from the agents' searches. Articles are deactivated, never deleted: the
 * timelines of matters answered from them keep citing them.
 */
export async function deactivateKnowledgeArticle(db: Executor, principal: Principal, id: number): Promise<void> {
  requirePermission(principal, 'appeals:knowledge:write');
  const before = await repo.findArticle(db, id);
  if (!before) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND', `no article ${id}`);
  await db.transaction().execute(async (trx) => {
    await repo.updateArticle(trx, id, {
      category_code: before.category_code,
      title: before.title,
      body: before.body,
      keywords: before.keywords,
      is_active: false,
      updated_by: principal.via === 'system' ? null : principal.userId,
    });
    await appendAudit(trx, auditActorOf(principal), { action: 'knowledge.deactivated', entityType: 'knowledge_article', entityId: id, details: { title: before.title } });
  });
}

/**
 * 直办: answers an appeal at once and closes it (the type's `answer_directly` action). With an
 * article, the note is the agent's text (or the article's answer when the agent wrote none)
 * followed by the article's citation, and the timeline entry records the article's id.
 */
export async function answerDirectly(deps: MattersDeps, principal: Principal, matterId: number, input: { articleId?: number | undefined; note?: string | undefined }) {
  const article = input.articleId === undefined ? undefined : await repo.findArticle(deps.db, input.articleId);
  if (input.articleId !== undefined && (!article || !article.is_active)) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND', `no article ${input.articleId}`);
  const text = input.note?.trim() || article?.body || '';
  const note = article ? `${text}\n——${article.title}（知识库 #${article.id}）` : text;
  const references = article ? { knowledgeArticleId: article.id, knowledgeArticleTitle: article.title } : undefined;
  return applyAction(deps, principal, matterId, 'answer_directly', { note, references }, article
    ? async (trx, matter) => {
        await appendAudit(trx, auditActorOf(principal), { action: 'appeal.answered_from_knowledge', entityType: 'matter', entityId: matter.id, details: { articleId: article.id } });
      }
    : undefined);
}
