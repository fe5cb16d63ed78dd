import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './server-process.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const ADMIN_PASSWORD = 'E2e-agent-password-1';
const WORKER_PASSWORD = 'E2e-patrol-password-1';
const CALLER = '13987654321';
// A point of the demo city (Shapingba) that lies in a micro-grid.
const POINT = { lon: 106.45, lat: 29.55 };
// The smallest valid PNG: a 1×1 transparent pixel, as a phone camera would hand over a file.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface PlaceView {
  id: number;
  code: string;
  name: string;
  level: string;
}

async function api<T>(url: string, cookie: string, method = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function signIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function logIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

describe('the 12345 desk, a grid patrol and the overdue board in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Page;
  let historyReference = '';
  let overdueReference = '';

  beforeAll(async () => {
    // Build the demo city, then record through the API what the test needs: a caller with an
    // earlier appeal, a matter to make overdue, and a grid worker for the grid holding POINT.
    const first = await startServer({ args: ['--demo', '--persons', '500', '--appeals', '200'], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    let overdueId: number;
    try {
      const cookie = await signIn(first.url, 'admin', ADMIN_PASSWORD);
      const located = await api<{ place: PlaceView; ancestors: PlaceView[] }>(`${first.url}/api/places/locate?lon=${POINT.lon}&lat=${POINT.lat}`, cookie);
      const chain = [...located.ancestors, located.place];
      const gridIndex = chain.findIndex((place) => place.level === 'grid');
      expect(gridIndex).toBeGreaterThan(0);
      // ltree paths are the codes from the city down, joined by dots.
      const gridPath = chain.slice(0, gridIndex + 1).map((place) => place.code).join('.');
      const appeal = (title: string, extra: Record<string, unknown>) =>
        api<{ matterId: number }>(`${first.url}/api/appeals`, cookie, 'POST', { kind: 'complaint', door: 'hotline', title, ...POINT, ...extra });
      const history = await appeal('小区路灯不亮', { categoryCode: 'component.streetlight', reporterPhone: CALLER, reporterName: '刘女士' });
      historyReference = (await api<{ reference: string }>(`${first.url}/api/matters/${history.matterId}`, cookie)).reference;
      overdueId = (await appeal('井盖破损长期无人处理', { categoryCode: 'component.manhole' })).matterId;
      overdueReference = (await api<{ reference: string }>(`${first.url}/api/matters/${overdueId}`, cookie)).reference;
      await api(`${first.url}/api/users`, cookie, 'POST', { username: 'patrol_e2e', displayName: '巡查网格员', password: WORKER_PASSWORD, roleCodes: ['grid_worker'], scopePath: gridPath });
    } finally {
      await first.stop({ keepData: true });
    }
    // A matter cannot be made overdue through the API without waiting; backdate it while the server is down.
    const db = await PGlite.create({ dataDir: path.join(first.dataDir, 'pgdata'), extensions: { ltree, pg_trgm } });
    try {
      await db.query(
        `UPDATE matters SET step_started_at = now() - interval '401 days', step_due_at = now() - interval '400 days', escalation_level = 1 WHERE id = $1`,
        [overdueId],
      );
    } finally {
      await db.close();
    }
    server = await startServer({ args: [], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD }, dataDir: first.dataDir });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    admin = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await logIn(admin, server.url, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('looks up a caller with history, finds a knowledge article and closes the call at once with 直办', async () => {
    await admin.getByTestId('menu-appeal-hotline').click();
    await admin.getByTestId('agent-phone').locator('input').fill(CALLER);
    await admin.getByTestId('agent-lookup').click();
    const history = admin.getByTestId('agent-caller-appeals');
    await history.locator('tr.ant-table-row').first().waitFor();
    expect(await history.textContent()).toContain(historyReference);
    const panel = (await admin.getByTestId('agent-caller-panel').textContent()) ?? '';
    expect(panel).toContain('139****4321');
    expect(panel).not.toContain(CALLER);
    // The caller's name from the earlier appeal is offered for this one.
    expect(await admin.getByTestId('agent-reporter-name').inputValue()).toBe('刘女士');

    await admin.getByTestId('agent-title').fill('咨询停水何时恢复');
    await admin.getByTestId('agent-description').fill('家里突然停水了，想问问什么时候来水');
    const article = admin.getByTestId('agent-knowledge-item').filter({ hasText: '停水' }).first();
    await article.waitFor();
    await article.getByTestId('agent-knowledge-use').click();
    await admin.getByTestId('agent-knowledge-selected').waitFor();
    expect(await admin.getByTestId('agent-answer-note').inputValue()).toContain('供水');
    await admin.getByTestId('agent-location-mode').getByText('填写经纬度').click();
    await admin.getByTestId('agent-lon').fill(String(POINT.lon));
    await admin.getByTestId('agent-lat').fill(String(POINT.lat));
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'agent-console.png'), fullPage: true });

    await admin.getByTestId('agent-answer-directly').click();
    await admin.getByTestId('agent-result').waitFor({ timeout: 15_000 });
    expect(await admin.getByTestId('agent-result-state').textContent()).toBe('已办结');
    await admin.getByTestId('agent-result-link').click();
    await admin.getByTestId('matter-detail').waitFor();
    await admin.waitForFunction(() => document.querySelector('[data-testid="matter-state"]')?.textContent?.includes('已办结'));
    const timeline = (await admin.getByTestId('matter-timeline').textContent()) ?? '';
    expect(timeline).toContain('知识库');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'agent-answered.png'), fullPage: true });

    // The same number now shows the call just closed at the top of its history.
    const cookie = await signIn(server.url, 'admin', ADMIN_PASSWORD);
    const profile = await api<{ appeals: Array<{ reference: string; state: string }> }>(`${server.url}/api/appeals/callers?phone=${CALLER}`, cookie);
    expect(profile.appeals.map((a) => a.state)).toEqual(['closed', 'received']);
  });

  it('lets a grid worker report a finding in their grid with the device location and a photo', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      geolocation: { longitude: POINT.lon, latitude: POINT.lat },
      permissions: ['geolocation'],
    });
    try {
      const page = await context.newPage();
      await logIn(page, server.url, 'patrol_e2e', WORKER_PASSWORD);
      await page.getByTestId('menu-appeal-patrol').click();
      // A worker with a single grid has it chosen, and its map drawn.
      await page.getByTestId('patrol-map').locator('canvas').first().waitFor();
      await page.getByTestId('patrol-locate').click();
      await page.getByTestId('patrol-located').waitFor();
      expect(Number(await page.getByTestId('patrol-lon').inputValue())).toBe(POINT.lon);
      await page.getByTestId('patrol-category').click();
      // The category tree scrolls virtually: filter it down to the one wanted.
      await page.keyboard.type('楼道堆物');
      await page.locator('.ant-select-tree-title', { hasText: /^楼道堆物$/ }).click();
      await page.getByTestId('patrol-description').fill('3栋2单元楼道堆放大量纸箱，堵塞消防通道');
      await page.getByTestId('patrol-photo').setInputFiles({ name: 'corridor.png', mimeType: 'image/png', buffer: PNG });
      await page.getByTestId('patrol-photo-list').locator('img').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'patrol-form.png'), fullPage: true });
      await page.getByTestId('patrol-submit').click();
      await page.getByTestId('patrol-result').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('patrol-result-photos').textContent()).toContain('1');
      const href = (await page.getByTestId('patrol-result-link').getAttribute('href')) ?? '';
      const matterId = Number(href.split('/').pop());
      expect(matterId).toBeGreaterThan(0);

      const cookie = await signIn(server.url, 'admin', ADMIN_PASSWORD);
      const matter = await api<{ timeline: Array<{ kind: string; details: Record<string, unknown> }> }>(`${server.url}/api/matters/${matterId}`, cookie);
      const photo = matter.timeline.find((event) => event.kind === 'note' && typeof event.details.attachmentId === 'number');
      expect(photo?.details.fileName).toBe('corridor.png');
      const served = await fetch(`${server.url}/api/attachments/${String(photo?.details.attachmentId)}`, { headers: { cookie } });
      expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('shows the overdue matter on the supervisor’s board, counted in working days, and the map of open appeals', async () => {
    await admin.getByTestId('menu-supervision-overdue').click();
    const table = admin.getByTestId('supervision-table');
    const row = table.locator('tr.ant-table-row').filter({ hasText: overdueReference });
    await row.waitFor();
    const days = Number(await row.getByTestId('supervision-overdue-days').getAttribute('data-working-days'));
    // Four hundred calendar days hold far fewer working days, and far more than a year's worth of weeks.
    expect(days).toBeGreaterThan(200);
    expect(days).toBeLessThan(300);
    expect(await row.textContent()).toContain('一次督办');
    expect(Number(((await admin.getByTestId('supervision-level-1').textContent()) ?? '').replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'overdue-board.png'), fullPage: true });

    await admin.getByTestId('menu-appeal-kpis').click();
    const map = admin.getByTestId('kpi-open-map');
    await map.locator('canvas').first().waitFor();
    await admin.waitForFunction(() => Number(document.querySelector('[data-testid="kpi-open-map"]')?.getAttribute('data-total-open') ?? '0') > 0);
    await map.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'kpi-open-map.png'), fullPage: true });
    // Clicking the region in the middle of the map drills down into it; the path climbs back.
    const rootId = await map.getAttribute('data-place-id');
    const box = (await map.locator('canvas').first().boundingBox())!;
    await admin.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await admin.waitForFunction((root) => {
      const element = document.querySelector('[data-testid="kpi-open-map"]');
      return element?.getAttribute('data-place-id') !== root && element?.getAttribute('data-total-open') !== null;
    }, rootId);
    await admin.getByTestId('kpi-open-map-up').click();
    await admin.waitForFunction((root) => document.querySelector('[data-testid="kpi-open-map"]')?.getAttribute('data-place-id') === root, rootId);
  });

  it('lets an administrator write, find, edit and withdraw a knowledge article that the agent desk then offers and stops offering', async () => {
    // Words that no shipped article uses, so the desk can only find them in the article written here.
    const keyword = '换电柜';
    const onlyKeyword = '充电桩';
    const firstTitle = '电动自行车换电柜故障报修';
    const editedTitle = '小区换电柜无法取电怎么办';
    const knowledgeResponse = (q: string) =>
      admin.waitForResponse((response) => {
        const url = new URL(response.url());
        return url.pathname === '/api/knowledge' && url.searchParams.get('q') === q;
      });

    await admin.getByTestId('menu-appeal-knowledge').click();
    await admin.getByTestId('knowledge-table').waitFor();
    await admin.getByTestId('knowledge-new').click();
    const form = admin.getByTestId('knowledge-form');
    await form.waitFor();
    // The form checks the server's rules itself: an empty article is never sent.
    await admin.getByTestId('knowledge-save').click();
    await form.getByText('请填写标题').waitFor();
    await form.getByText('请填写答复内容').waitFor();
    await admin.getByTestId('knowledge-title').fill(firstTitle);
    await admin.getByTestId('knowledge-category').click();
    // The category tree scrolls virtually: filter it down to the one wanted.
    await admin.keyboard.type('物业管理');
    // A click while the tree is still being filtered can land on a node that is being replaced.
    await admin.locator('.ant-select-tree-title', { hasText: /^城市部件$/ }).waitFor({ state: 'detached' });
    await admin.locator('.ant-select-tree-title', { hasText: /^物业管理$/ }).click();
    await admin.getByTestId('knowledge-category').getByText('物业管理').waitFor();
    await admin.getByTestId('knowledge-keywords').click();
    // A blank ends a keyword, as a stored keyword holds none.
    await admin.keyboard.type(`${keyword} ${onlyKeyword} `);
    await admin.getByTestId('knowledge-body').fill('换电柜由物业服务企业引进，故障请先拨打柜体上的运营商客服电话；物业不予处理的，可向街道物业办反映。');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-form.png') });
    await admin.getByTestId('knowledge-save').click();
    await form.waitFor({ state: 'detached' });

    const table = admin.getByTestId('knowledge-table');
    await admin.getByTestId('knowledge-search-input').fill(keyword);
    await Promise.all([knowledgeResponse(keyword), admin.getByTestId('knowledge-search-submit').click()]);
    const row = table.locator('tr.ant-table-row').filter({ hasText: firstTitle });
    await row.waitFor();
    const articleId = Number(await row.getAttribute('data-row-key'));
    expect(articleId).toBeGreaterThan(0);
    expect(await row.textContent()).toContain(onlyKeyword);
    expect(await row.textContent()).toContain('物业管理');

    await row.getByTestId('knowledge-edit').click();
    await form.waitFor();
    expect(await admin.getByTestId('knowledge-title').inputValue()).toBe(firstTitle);
    await admin.getByTestId('knowledge-title').fill(editedTitle);
    await admin.getByTestId('knowledge-save').click();
    await form.waitFor({ state: 'detached' });
    await table.locator(`tr.ant-table-row[data-row-key="${articleId}"]`).filter({ hasText: editedTitle }).waitFor();
    expect(await table.textContent()).not.toContain(firstTitle);
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-list.png'), fullPage: true });

    // The desk finds the article by a keyword that is in neither its title nor its answer.
    const agentItems = async (): Promise<string[]> => {
      await admin.getByTestId('menu-appeal-hotline').click();
      // The panel's search field is the input inside the search box.
      await Promise.all([knowledgeResponse(onlyKeyword), admin.getByTestId('agent-knowledge-search').locator('input').fill(onlyKeyword)]);
      // Wait for the answer to be drawn: either hits or the empty state, and no spinner.
      await admin.waitForFunction(() => {
        const panel = document.querySelector('[data-testid="agent-knowledge"]');
        const isDrawn = panel?.querySelector('[data-testid="agent-knowledge-item"], [data-testid="agent-knowledge-empty"]');
        return Boolean(isDrawn) && !panel?.querySelector('.ant-spin-spinning');
      });
      return admin.getByTestId('agent-knowledge-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-article-id') ?? ''));
    };
    expect(await agentItems()).toContain(String(articleId));
    expect(await admin.getByTestId('agent-knowledge').textContent()).toContain(editedTitle);

    await admin.getByTestId('menu-appeal-knowledge').click();
    await admin.getByTestId('knowledge-search-input').fill(onlyKeyword);
    await Promise.all([knowledgeResponse(onlyKeyword), admin.getByTestId('knowledge-search-submit').click()]);
    const editedRow = table.locator(`tr.ant-table-row[data-row-key="${articleId}"]`);
    await editedRow.getByTestId('knowledge-deactivate').click();
    await admin.getByTestId('knowledge-deactivate-confirm').click();
    // Deactivated articles leave the list, and come back (marked) when inactive ones are shown.
    await editedRow.waitFor({ state: 'detached' });
    await admin.getByTestId('knowledge-inactive-toggle').click();
    await editedRow.waitFor();
    expect(await editedRow.getByTestId('knowledge-row-status').textContent()).toBe('已停用');

    expect(await agentItems()).not.toContain(String(articleId));
    expect(await admin.getByTestId('agent-knowledge').textContent()).not.toContain(editedTitle);
  });
});
