import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { ErrorResponse, IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import {
  answerDirectly,
  createKnowledgeArticle,
  deactivateKnowledgeArticle,
  getKnowledgeArticle,
  searchKnowledge,
  updateKnowledgeArticle,
} from './knowledge.service.ts';

const CategoryCode = Type.String({ minLength: 2, maxLength: 80 });

const Article = Type.Object({
  id: Type.Integer(),
  code: Nullable(Type.String()),
  categoryCode: Nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  keywords: Type.Array(Type.String()),
  isActive: Type.Boolean(),
  updatedAt: Type.String(),
});

const ArticleBody = Type.Object({
  categoryCode: Nullable(CategoryCode),
  title: Type.String({ minLength: 2, maxLength: 200 }),
  body: Type.String({ minLength: 2, maxLength: 5000 }),
  // Stored space-separated, so one keyword holds no blank.
  keywords: Type.Array(Type.String({ pattern: '^\\S{1,30}$' }), { maxItems: 20, default: [] }),
  isActive: Type.Boolean({ default: true }),
});

const ERRORS = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** The 12345 knowledge base (知识库): search for agents, upkeep for its editors, and 直办 from an article. */
export const knowledgeRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/knowledge',
    {
      config: { permission: 'matters:matter:read' },
      schema: {
        tags: ['knowledge'],
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200, description: 'words or the caller’s description; articles whose keywords it contains rank first' })),
            categoryCode: Type.Optional(CategoryCode),
            includeInactive: Type.Optional(Type.Boolean({ description: 'editors only' })),
          }),
        ]),
        response: { 200: Page(Type.Object({ ...Article.properties, score: Type.Number() })), ...ERRORS },
      },
    },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const result = await searchKnowledge(services.db, principalOf(request), search, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/knowledge/:id',
    { config: { permission: 'matters:matter:read' }, schema: { tags: ['knowledge'], params: IdParams, response: { 200: Article, ...ERRORS } } },
    async (request) => getKnowledgeArticle(services.db, principalOf(request), request.params.id),
  );

  app.post(
    '/api/knowledge',
    { config: { permission: 'appeals:knowledge:write' }, schema: { tags: ['knowledge'], body: ArticleBody, response: { 201: Article, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(await createKnowledgeArticle(services.db, principalOf(request), request.body)),
  );

  app.put(
    '/api/knowledge/:id',
    { config: { permission: 'appeals:knowledge:write' }, schema: { tags: ['knowledge'], params: IdParams, body: ArticleBody, response: { 200: Article, ...ERRORS } } },
    async (request) => updateKnowledgeArticle(services.db, principalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/knowledge/:id',
    { config: { permission: 'appeals:knowledge:write' }, schema: { tags: ['knowledge'], params: IdParams, response: { 204: Type.Null(), ...ERRORS } } },
    async (request, reply) => {
      await deactivateKnowledgeArticle(services.db, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/appeals/:id/answer-directly',
    {
      config: { permission: 'matters:matter:dispatch' },
      schema: {
        tags: ['appeals'],
        params: IdParams,
        body: Type.Object({ articleId: Type.Optional(Type.Integer({ minimum: 1 })), note: Type.Optional(Type.String({ maxLength: 5000 })) }),
        response: { 200: Type.Object({ matterId: Type.Integer(), state: Type.String() }), ...ERRORS, 409: ErrorResponse },
      },
    },
    async (request) => {
      const result = await answerDirectly({ db: services.db, jobs: services.jobs }, principalOf(request), request.params.id, request.body);
      return { matterId: request.params.id, state: result.state };
    },
  );
};
