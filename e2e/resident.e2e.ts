import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from './images.ts';
import { startServer, type RunningServer } from './server-process.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const ADMIN_PASSWORD = 'E2e-resident-admin-1';
const WORKER = { username: 'sq-worker-e2e', password: 'E2e-community-worker-1' };
const RESIDENT = { phone: '13912345678', password: 'E2e-resident-pass-1' };
const PHONE = { width: 390, height: 844 };

interface PlaceNode {
  id: number;
  code: string;
  name: string;
  level: string;
}

interface KpiItem {
  key: string;
  total: number;
  callbacks: number;
  satisfied: number;
  satisfactionRate: number | null;
}

/** The rate as the KPI page prints it. */
const formatRate = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

describe('a resident reports with a phone; the community handles it; the rating counts', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let phone: BrowserContext;
  let desk: BrowserContext;
  let resident: Page;
  let worker: Page;
  let community: PlaceNode & { path: string; lon: number; lat: number };
  let reference = '';

  beforeAll(async () => {
    server = await startServer({ args: ['--demo', '--persons', '500', '--appeals', '300'], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });

    // The administrator finds a community of the demo city whose centre lies in one of its grids,
    // and creates the community worker's account there through the API.
    admin = await browser.newContext({ baseURL: server.url });
    expect((await admin.request.post('/api/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } })).ok()).toBe(true);
    const children = async (parentId?: number) =>
      (await (await admin.request.get('/api/places/children', { params: parentId ? { parentId } : {} })).json()).items as PlaceNode[];
    const [city] = await children();
    const [district] = await children(city!.id);
    const [street] = await children(district!.id);
    for (const candidate of await children(street!.id)) {
      const detail = await (await admin.request.get(`/api/places/${candidate.id}`)).json();
      if (detail.centerLon === null || detail.centerLat === null) continue;
      const located = await admin.request.get('/api/places/locate', { params: { lon: detail.centerLon, lat: detail.centerLat } });
      if (!located.ok()) continue;
      const { ancestors } = (await located.json()) as { ancestors: PlaceNode[] };
      if (!ancestors.some((a) => a.id === candidate.id)) continue;
      const codes = [...(detail.ancestors as PlaceNode[]).map((a) => a.code), candidate.code];
      community = { ...candidate, path: codes.join('.'), lon: detail.centerLon, lat: detail.centerLat };
      break;
    }
    expect(community, 'a community whose centre is in one of its grids').toBeDefined();
    const created = await admin.request.post('/api/users', {
      data: { username: WORKER.username, displayName: '社区工作人员（测试）', password: WORKER.password, roleCodes: ['community_staff'], scopePath: community.path },
    });
    expect(created.status(), await created.text()).toBe(201);

    phone = await browser.newContext({
      baseURL: server.url,
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
      locale: 'zh-CN',
      geolocation: { longitude: community.lon, latitude: community.lat, accuracy: 15 },
      permissions: ['geolocation'],
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    });
    resident = await phone.newPage();
    desk = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 850 }, locale: 'zh-CN' });
    worker = await desk.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers on a phone-sized page and sends a photo, its location and a community-level category', async () => {
    await resident.goto('/m');
    await resident.waitForURL(/\/m\/login$/);
    await resident.getByTestId('resident-m-register').tap();
    await resident.getByTestId('resident-m-phone').fill(RESIDENT.phone);
    await resident.getByTestId('resident-m-password').fill(RESIDENT.password);
    await resident.getByTestId('resident-m-password-confirm').fill(RESIDENT.password);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-register.png') });
    await resident.getByTestId('resident-m-submit').tap();
    await resident.getByTestId('resident-m-form').waitFor();

    await resident.getByTestId('resident-m-photo').setInputFiles({ name: 'corridor.png', mimeType: 'image/png', buffer: solidPng(64, 48, [180, 120, 60]) });
    await resident.getByTestId('resident-m-photo-previews').locator('img').first().waitFor();

    // Without the phone's position, a tap on the map of the city gives one.
    await resident.getByTestId('resident-m-map-pick').tap();
    await resident.getByTestId('resident-m-map').locator('canvas').first().waitFor();
    await resident.getByTestId('resident-m-map').tap();
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-map-pick.png') });
    await resident.getByTestId('resident-m-map-confirm').and(resident.locator(':enabled')).tap();
    await resident.getByTestId('resident-m-location').and(resident.locator('[data-in-city]:not([data-in-city=""])')).waitFor();
    expect(await resident.getByTestId('resident-m-location').textContent()).toContain('地图选点');

    await resident.getByTestId('resident-m-locate').tap();
    const location = resident.getByTestId('resident-m-location');
    await location.and(resident.locator(`[data-in-city="true"][data-lon="${community.lon}"]`)).waitFor();
    expect(await location.textContent()).toContain(community.name);

    await resident.getByTestId('resident-m-category').tap();
    await resident.locator('[data-testid="resident-m-category-option"][data-code="event.corridor_clutter"]').tap();
    expect(await resident.getByTestId('resident-m-category').getAttribute('data-value')).toBe('event.corridor_clutter');
    await resident.getByTestId('resident-m-category-sheet').waitFor({ state: 'hidden' });
    await resident.getByTestId('resident-m-description').fill('5 栋 1 单元楼道堆满旧家具和纸箱，堵住了消防通道');

    // Phone-first: nothing wider than the screen, and the send button is a thumb-sized target.
    expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect((await resident.getByTestId('resident-m-send').boundingBox())?.height).toBeGreaterThanOrEqual(44);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-form.png'), fullPage: true });

    await resident.getByTestId('resident-m-send').tap();
    await resident.getByTestId('resident-m-sent').waitFor({ timeout: 15_000 });
    reference = ((await resident.getByTestId('resident-m-reference').textContent()) ?? '').trim();
    expect(reference).toMatch(/^MS\d{14}$/);
    expect(await resident.getByTestId('resident-m-report-state').getAttribute('data-state')).toBe('received');
    // The photo came back from the server: the <img> has loaded real pixels.
    await resident.waitForFunction(() => {
      const image = document.querySelector('[data-testid="resident-m-photos"] img');
      return image instanceof HTMLImageElement && image.complete && image.naturalWidth === 64;
    });
    expect(await resident.getByTestId('resident-m-photos').locator('img').count()).toBe(1);
    expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-sent.png'), fullPage: true });
  });

  it("lets the community's worker find it in the queue and handle it up to 办结", async () => {
    await worker.goto('/login');
    await worker.getByTestId('login-username').fill(WORKER.username);
    await worker.getByTestId('login-password').fill(WORKER.password);
    await worker.getByTestId('login-submit').click();
    await worker.getByTestId('user-menu').waitFor();

    await worker.getByTestId('menu-matters').click();
    const row = worker.getByTestId('matter-queue-table').locator('tr.ant-table-row', { hasText: reference });
    await row.waitFor();
    await row.getByRole('link', { name: reference }).click();
    await worker.getByTestId('matter-detail').waitFor();

    const steps: Array<[string, string, string | null]> = [
      ['dispatch', '已派单', null],
      ['accept', '办理中', null],
      ['reply', '已回复', '已联系物业清运楼道杂物，消防通道已恢复畅通'],
      ['close', '已办结', null],
    ];
    for (const [action, stateName, note] of steps) {
      await worker.getByTestId(`matter-action-${action}`).click();
      if (note) await worker.getByTestId('matter-action-note').fill(note);
      await worker.getByTestId('matter-action-confirm').click();
      await worker.waitForFunction((expected) => document.querySelector('[data-testid="matter-state"]')?.textContent?.includes(expected), stateName);
    }
    await worker.screenshot({ path: path.join(SCREENSHOTS, 'resident-report-handled.png') });
  });

  it('has the resident rate it satisfied, and the KPI dashboard counts the rating for that community', async () => {
    // The community's row of the KPI page (grouped by place at community depth), as shown and as answered.
    const readKpi = async () => {
      const answer = worker.waitForResponse((response) => response.url().includes('/api/appeals/kpis') && response.ok());
      await worker.goto('/appeals/kpis?dimension=place&placeDepth=4');
      const items = ((await (await answer).json()) as { items: KpiItem[] }).items;
      const item = items.find((candidate) => candidate.key === community.path);
      expect(item, `a KPI row for ${community.path}`).toBeDefined();
      const table = worker.getByTestId('kpi-table');
      const row = table.locator('tr.ant-table-row', { hasText: community.path });
      await row.waitFor();
      const headers = await table.locator('thead th').allTextContents();
      const column = headers.findIndex((text) => text.includes('满意率'));
      expect(column).toBeGreaterThan(0);
      return { item: item!, shown: ((await row.locator('td').nth(column).textContent()) ?? '').trim() };
    };

    const before = await readKpi();
    expect(before.shown).toBe(formatRate(before.item.satisfactionRate));
    expect(before.item.satisfactionRate).toBe(before.item.callbacks === 0 ? null : before.item.satisfied / before.item.callbacks);

    await resident.getByTestId('resident-m-tab-reports').tap();
    const item = resident.getByTestId('resident-m-report-item').filter({ hasText: '楼道' }).first();
    await item.waitFor();
    expect(await item.getByTestId('resident-m-report-state').getAttribute('data-state')).toBe('closed');
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-reports.png'), fullPage: true });
    await item.tap();
    await resident.getByTestId('resident-m-rating').waitFor();
    const reply = resident.getByTestId('resident-m-timeline-item').and(resident.locator('[data-action="reply"]'));
    expect(await reply.textContent()).toContain('已联系物业清运楼道杂物');
    expect(await resident.getByTestId('resident-m-timeline').textContent()).not.toContain(WORKER.username);
    await resident.getByTestId('resident-m-rate-satisfied').tap();
    await resident.getByTestId('resident-m-rate-solved').tap();
    await resident.getByTestId('resident-m-rate-comment').fill('处理得很快，谢谢社区');
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-rating.png'), fullPage: true });
    await resident.getByTestId('resident-m-rate-submit').tap();
    await resident.locator('[data-testid="resident-m-report-state"][data-state="evaluated"]').waitFor();
    await resident.getByTestId('resident-m-steps').and(resident.locator('[data-current="evaluated"]')).waitFor();
    expect(await resident.getByTestId('resident-m-rating').count()).toBe(0);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'resident-rated.png'), fullPage: true });

    const after = await readKpi();
    expect(after.item.callbacks).toBe(before.item.callbacks + 1);
    expect(after.item.satisfied).toBe(before.item.satisfied + 1);
    expect(after.shown).toBe(formatRate((before.item.satisfied + 1) / (before.item.callbacks + 1)));
    await worker.screenshot({ path: path.join(SCREENSHOTS, 'resident-kpi.png') });
  });

  it('sends a resident who signs in on the staff log-in page to the mobile pages', async () => {
    await resident.getByTestId('resident-m-logout').tap();
    await resident.waitForURL(/\/m\/login$/);
    await resident.goto('/login');
    await resident.getByTestId('login-username').fill(RESIDENT.phone);
    await resident.getByTestId('login-password').fill(RESIDENT.password);
    await resident.getByTestId('login-submit').tap();
    await resident.getByTestId('resident-m-form').waitFor();
    expect(new URL(resident.url()).pathname).toBe('/m');
  });
});
