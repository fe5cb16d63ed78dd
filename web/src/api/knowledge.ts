import { request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Page } from './types';

/** An article of the 12345 knowledge base (知识库). */
export interface KnowledgeArticle {
  id: number;
  /** Stable code of a shipped article; null for articles staff wrote. */
  code: string | null;
  categoryCode: string | null;
  title: string;
  body: string;
  keywords: string[];
  isActive: boolean;
  updatedAt: string;
}

/** A search hit with its relevance (higher is better). */
export interface KnowledgeHit extends KnowledgeArticle {
  score: number;
}

/** What the knowledge panel searches by. */
export interface KnowledgeSearch {
  /** The agent's words or the caller's description. */
  q?: string;
  categoryCode?: string;
  /** Deactivated articles too; only editors (`appeals:knowledge:write`) may ask. */
  includeInactive?: boolean;
}

/** Articles matching the words and category, best first. */
export function knowledgeEndpoint(search: KnowledgeSearch & PageQuery) {
  return endpoint<Page<KnowledgeHit>>('/api/knowledge', { ...search });
}

/** An article as its editors write it; the server trims the texts and drops repeated keywords. */
export interface KnowledgeArticleInput {
  categoryCode: string | null;
  title: string;
  body: string;
  /** Single words (no blanks), at most 20. */
  keywords: string[];
  isActive: boolean;
}

/** The server's limits on an article, mirrored by the edit form so most mistakes never leave the browser. */
export const KNOWLEDGE_LIMITS = {
  titleMin: 2,
  titleMax: 200,
  bodyMin: 2,
  bodyMax: 5000,
  keywordMax: 30,
  keywordsMax: 20,
} as const;

/** Adds an article to the knowledge base (needs `appeals:knowledge:write`). */
export function createKnowledgeArticle(input: KnowledgeArticleInput): Promise<KnowledgeArticle> {
  return request<KnowledgeArticle>('POST', '/api/knowledge', { body: input });
}

/** Rewrites an article; every field is sent, as the server replaces the whole article. */
export function updateKnowledgeArticle(id: number, input: KnowledgeArticleInput): Promise<KnowledgeArticle> {
  return request<KnowledgeArticle>('PUT', `/api/knowledge/${encodeURIComponent(String(id))}`, { body: input });
}

/** Withdraws an article from the agents' searches; the server keeps it for the matters that cite it. */
export function deactivateKnowledgeArticle(id: number): Promise<void> {
  return request<void>('DELETE', `/api/knowledge/${encodeURIComponent(String(id))}`);
}
