import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './server-process.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const ADMIN_PASSWORD = 'E2e-admin-password-1';

describe('staff console in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ args: ['--demo', '--persons', '3000'], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 850 }, locale: 'zh-CN' });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints how to sign in on first start', () => {
    expect(server.output()).toContain('sign in as "admin"');
  });

  it('logs in, opens the grid map, finds a resident with a masked ID and switches to English', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor();

    await page.getByTestId('menu-places').click();
    const map = page.getByTestId('grid-map');
    await map.locator('canvas').first().waitFor();
    const box = await map.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThan(200);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'grid-map.png') });

    await page.getByTestId('menu-residents').click();
    await page.getByTestId('resident-search-input').fill('王');
    await page.getByTestId('resident-search-submit').click();
    // The search has answered when every row on the page is a 王 (antd keeps a hidden measure row first).
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="resident-table"] tr.ant-table-row')];
      return rows.length > 0 && rows.every((row) => row.textContent?.includes('王'));
    });
    const masked = ((await page.getByTestId('resident-id-masked').first().textContent()) ?? '').trim();
    expect(masked).toMatch(/^[1-8]\d{5}\*{8}\d{3}[\dX]$/);
    const tableText = (await page.getByTestId('resident-table').textContent()) ?? '';
    expect(tableText).not.toMatch(/\d{6}(19|20)\d{6}\d{3}[\dX]/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'residents-zh.png') });

    await page.getByTestId('lang-switch').click();
    await page.getByText('Residents', { exact: false }).first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'residents-en.png') });
  });
});
