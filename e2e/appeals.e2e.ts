import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './server-process.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const ADMIN_PASSWORD = 'E2e-appeals-password-1';

describe('a 12345 appeal through the console in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ args: ['--demo', '--persons', '500', '--appeals', '300'], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1366, height: 850 }, locale: 'zh-CN' });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes an appeal by coordinate, triages it, and dispatches and accepts it from the matter page', async () => {
    await page.goto(`${server.url}/appeals/new`);
    await page.getByTestId('appeal-form').waitFor();
    await page.getByTestId('appeal-title').fill('小区门口井盖缺失');
    // Pick the category in the tree select's dropdown (all branches are expanded).
    await page.getByTestId('appeal-category').click();
    await page.locator('.ant-select-tree-title', { hasText: /^井盖$/ }).click();
    await page.getByTestId('appeal-location-mode').getByText(/经纬度|坐标/).click();
    await page.getByTestId('appeal-lon').fill('106.45');
    await page.getByTestId('appeal-lat').fill('29.55');
    await page.getByTestId('appeal-submit').click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'appeal-form.png') });
    await page.getByTestId('appeal-result').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('appeal-result-scale').textContent()).toContain('大事');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'appeal-result.png') });

    await page.getByTestId('appeal-result-link').click();
    await page.getByTestId('matter-detail').waitFor();
    for (const action of ['dispatch', 'accept']) {
      await page.getByTestId(`matter-action-${action}`).click();
      await page.getByTestId('matter-action-confirm').click();
      await page.waitForFunction((expected) => document.querySelector('[data-testid="matter-state"]')?.textContent?.includes(expected), action === 'dispatch' ? '已派单' : '办理中');
    }
    const items = await page.getByTestId('matter-timeline-item').count();
    expect(items).toBe(3);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'matter-detail.png') });
  });

  it('shows the KPI ranking of the demo year', async () => {
    await page.goto(`${server.url}/appeals/kpis`);
    await page.getByTestId('kpi-chart').locator('canvas').first().waitFor();
    await page.getByTestId('kpi-table').locator('tr.ant-table-row').nth(5).waitFor();
    expect(await page.getByTestId('kpi-table').locator('tr.ant-table-row').count()).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'kpis.png') });
  });
});
