import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { SHIPPED_ARTICLES } from './knowledge.reference.ts';

interface Article {
  id: number;
  code: string | null;
  categoryCode: string | null;
  title: string;
  body: string;
  keywords: string[];
  isActive: boolean;
}

describe.each(testDatabaseKinds())('knowledge base (知识库) and 直办 on %s', (kind) => {
  let t: TestApp;
  let editor: string;
  let agent: string;
  let gridWorker: string;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    editor = await t.signInAs({ username: 'operator', roleCodes: ['city_operator'], scopePath: PATHS.district });
    agent = await t.signInAs({ username: 'agent', roleCodes: ['district_staff'], scopePath: PATHS.district });
    gridWorker = await t.signInAs({ username: 'grid', roleCodes: ['grid_worker'], scopePath: PATHS.gridA });
  });
  afterAll(() => t.close());

  const write = (cookie: string, payload: Record<string, unknown>, id?: number) =>
    t.app.inject({ method: id ? 'PUT' : 'POST', url: id ? `/api/knowledge/${id}` : '/api/knowledge', headers: { cookie }, payload });
  const search = async (cookie: string, query: string) => {
    const response = await t.app.inject({ url: `/api/knowledge?${query}`, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Array<Article & { score: number }>; total: number }>();
  };

  it('ships the demo articles as reference data', async () => {
    const rows = await t.handle.db.selectFrom('knowledge_articles').select(['code', 'category_code']).where('code', 'is not', null).execute();
    expect(rows.map((r) => r.code).sort()).toEqual(SHIPPED_ARTICLES.map((a) => a.code).sort());
    expect(SHIPPED_ARTICLES.length).toBeGreaterThanOrEqual(15);
  });

  it('finds an article by a keyword, by the words of a description that contains the keyword, and by category', async () => {
    const created = await write(editor, {
      categoryCode: 'livelihood.property',
      title: '电梯停运多久可以要求物业维修',
      body: '电梯故障应在24小时内修复，超过时限可向社区和市场监管部门反映。',
      keywords: ['电梯', '停运', '困人'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const article = created.json<Article>();
    expect(article).toMatchObject({ categoryCode: 'livelihood.property', keywords: ['电梯', '停运', '困人'], isActive: true, code: null });

    const byKeyword = await search(agent, `q=${encodeURIComponent('困人')}`);
    expect(byKeyword.items[0]?.id).toBe(article.id);

    // An agent types the caller's words; the article's keyword 电梯 is inside them.
    const byDescription = await search(agent, `q=${encodeURIComponent('我们小区的电梯又坏了三天没人管')}`);
    expect(byDescription.items[0]?.id).toBe(article.id);

    const byCategory = await search(agent, 'categoryCode=livelihood.property');
    expect(byCategory.items.map((a) => a.id)).toContain(article.id);
    expect(byCategory.items.every((a) => a.categoryCode === 'livelihood.property')).toBe(true);

    // A parent category includes its sub-categories; another category excludes the article.
    expect((await search(agent, 'categoryCode=livelihood')).items.map((a) => a.id)).toContain(article.id);
    expect((await search(agent, `categoryCode=livelihood.education&q=${encodeURIComponent('电梯')}`)).items.map((a) => a.id)).not.toContain(article.id);
  });

  it('ranks the shipped 停水 answer first for a caller whose water is off', async () => {
    const found = await search(agent, `q=${encodeURIComponent('家里突然停水了，什么时候来水')}&categoryCode=livelihood.water_power_gas`);
    expect(found.items[0]?.code).toBe('kb.water.outage');
    const unrelated = await search(agent, `q=${encodeURIComponent('zzzz qqqq')}`);
    expect(unrelated.total).toBe(0);
  });

  it('validates what editors write and audits it', async () => {
    const unknownCategory = await write(editor, { categoryCode: 'livelihood.nothing', title: '测试条目', body: '正文内容', keywords: [] });
    expect(unknownCategory.statusCode).toBe(400);
    expect(unknownCategory.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'categoryCode' }] } } });
    const blankKeyword = await write(editor, { categoryCode: null, title: '测试条目', body: '正文内容', keywords: ['两个 词'] });
    expect(blankKeyword.statusCode).toBe(400);
    const blankTitle = await write(editor, { categoryCode: null, title: '   ', body: '正文内容', keywords: [] });
    expect(blankTitle.statusCode).toBe(400);
    expect(blankTitle.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'title' }] } } });

    const created = (await write(editor, { categoryCode: null, title: '居住证办理地点', body: '到居住地派出所办理。', keywords: ['居住证'] })).json<Article>();
    const updated = await write(editor, { categoryCode: null, title: '居住证在哪里办理', body: '到居住地派出所或在渝快办申请。', keywords: ['居住证', '渝快办'] }, created.id);
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ title: '居住证在哪里办理', keywords: ['居住证', '渝快办'] });
    const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'details']).where('entity_type', '=', 'knowledge_article').where('entity_id', '=', String(created.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['knowledge.created', 'knowledge.updated']);
    expect(audit[1]?.details).toEqual({ changed: ['title', 'body', 'keywords'] });
  });

  it('lets only holders of appeals:knowledge:write change articles, and hides deactivated ones from agents', async () => {
    const payload = { categoryCode: null, title: '测试权限', body: '不应写入', keywords: [] };
    expect((await write(agent, payload)).statusCode).toBe(403);
    expect((await write(gridWorker, payload)).statusCode).toBe(403);
    // Grid workers read the knowledge base like any matter handler.
    expect((await t.app.inject({ url: '/api/knowledge?q=社保', headers: { cookie: gridWorker } })).statusCode).toBe(200);

    const article = (await write(editor, { categoryCode: null, title: '旧政策：老年证办理', body: '已停止办理。', keywords: ['老年证'] })).json<Article>();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/knowledge/${article.id}`, headers: { cookie: agent } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/knowledge/${article.id}`, headers: { cookie: editor } })).statusCode).toBe(204);
    expect((await search(agent, `q=${encodeURIComponent('老年证')}`)).items.map((a) => a.id)).not.toContain(article.id);
    expect((await t.app.inject({ url: `/api/knowledge/${article.id}`, headers: { cookie: agent } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/knowledge?includeInactive=true&q=${encodeURIComponent('老年证')}`, headers: { cookie: agent } })).statusCode).toBe(403);
    expect((await search(editor, `includeInactive=true&q=${encodeURIComponent('老年证')}`)).items.map((a) => a.id)).toContain(article.id);
  });

  const openAppeal = async (title: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/appeals',
      headers: { cookie: agent },
      payload: { kind: 'consultation', door: 'hotline', categoryCode: 'livelihood.social_insurance', title, placeId: places.gridA, reporterPhone: '13600001111' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ matterId: number }>().matterId;
  };

  it('直办 from an article closes the appeal at once, cites the article in the note and records its id on the timeline', async () => {
    const matterId = await openAppeal('咨询灵活就业社保缴费');
    const article = (await search(agent, `q=${encodeURIComponent('灵活就业')}`)).items[0]!;
    expect(article.code).toBe('kb.social_insurance.flexible_pension');
    const answered = await t.app.inject({ method: 'POST', url: `/api/appeals/${matterId}/answer-directly`, headers: { cookie: agent }, payload: { articleId: article.id } });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toEqual({ matterId, state: 'closed' });

    const matter = (await t.app.inject({ url: `/api/matters/${matterId}`, headers: { cookie: agent } })).json<{ state: string; timeline: Array<{ action: string | null; details: Record<string, unknown> }> }>();
    expect(matter.state).toBe('closed');
    const entry = matter.timeline.find((e) => e.action === 'answer_directly');
    expect(entry?.details).toMatchObject({ knowledgeArticleId: article.id, knowledgeArticleTitle: article.title });
    expect(String(entry?.details.note)).toContain(article.body);
    expect(String(entry?.details.note)).toContain(`#${article.id}`);
    const audit = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'appeal.answered_from_knowledge').where('entity_id', '=', String(matterId)).executeTakeFirst();
    expect(audit?.details).toEqual({ articleId: article.id });
  });

  it('refuses 直办 from a deactivated article and leaves the appeal received', async () => {
    const matterId = await openAppeal('咨询旧政策');
    const article = (await write(editor, { categoryCode: null, title: '已废止的答复', body: '不再适用。', keywords: [] })).json<Article>();
    await t.app.inject({ method: 'DELETE', url: `/api/knowledge/${article.id}`, headers: { cookie: editor } });
    const refused = await t.app.inject({ method: 'POST', url: `/api/appeals/${matterId}/answer-directly`, headers: { cookie: agent }, payload: { articleId: article.id } });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'KNOWLEDGE_ARTICLE_NOT_FOUND' } });
    // Without an article a note is still required, as the matter type says.
    const noNote = await t.app.inject({ method: 'POST', url: `/api/appeals/${matterId}/answer-directly`, headers: { cookie: agent }, payload: {} });
    expect(noNote.statusCode).toBe(400);
    const matter = (await t.app.inject({ url: `/api/matters/${matterId}`, headers: { cookie: agent } })).json<{ state: string }>();
    expect(matter.state).toBe('received');
  });
});
