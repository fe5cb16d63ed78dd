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
    const firstMasked = page.getByTestId('resident-id-masked').first();
    await firstMasked.waitFor();
    const masked = (await firstMasked.textContent())?.trim() ?? '';
    expect(masked).toMatch(/^5[01]\d{4}\*{8}\d{3}[\dX]$/);
    const tableText = (await page.getByTestId('resident-table').textContent()) ?? '';
    expect(tableText).toContain('王');
    expect(tableText).not.toMatch(/5[01]\d{4}(19|20)\d{6}\d{3}[\dX]/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'residents-zh.png') });

    await page.getByTestId('lang-switch').click();
    await page.getByText('Residents', { exact: false }).first().waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'residents-en.png') });
  });
});
