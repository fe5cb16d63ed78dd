import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './server-process.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const ADMIN_PASSWORD = 'E2e-compare-password-1';
const AUDITOR_PASSWORD = 'E2e-auditor-password-1';
const DAY_MS = 86_400_000;

interface ResidentSummary {
  id: number;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
}

async function api<T>(url: string, cookie: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
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

const isoDate = (instant: number) => new Date(instant).toISOString().slice(0, 10);

/** An 18-character resident ID: the 17 digits given and their GB 11643 check character. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

/** Reads a yuan amount as the console shows it (¥1,234.50) as a number. */
function yuanOf(text: string | null): number {
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}

describe('大数据比对 from upload to a recovery, in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Page;
  let person: ResidentSummary & { idNumber: string };
  let districtCode = '';
  let insuredCsv = '';
  let deathsCsv = '';

  beforeAll(async () => {
    server = await startServer({ args: ['--demo', '--persons', '300', '--appeals', '0'], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    const cookie = await signIn(server.url, 'admin', ADMIN_PASSWORD);
    // Findings are due in working days: the calendar must reach into next year, as an
    // administrator makes sure each winter once the State Council publishes its holidays.
    const nextYear = new Date().getUTCFullYear() + 1;
    if ((await api(`${server.url}/api/calendar/${nextYear}`, cookie)).status === 422) {
      const put = await api(`${server.url}/api/calendar/${nextYear}`, cookie, 'PUT', { source: 'e2e：下一年度（无节假日安排）', days: [] });
      expect(put.status).toBe(204);
    }
    // A resident of the demo city is the person an extract says has died while drawing a pension.
    const residents = await api<{ items: ResidentSummary[] }>(`${server.url}/api/residents?pageSize=5`, cookie);
    const chosen = residents.body.items[0]!;
    const revealed = await api<{ idNumber: string }>(`${server.url}/api/residents/${chosen.id}/unmask`, cookie, 'POST', { reason: 'e2e 测试数据准备' });
    person = { ...chosen, idNumber: revealed.body.idNumber };
    const detail = await api<{ placePath: Array<{ code: string; level: string }> }>(`${server.url}/api/residents/${chosen.id}`, cookie);
    const districtIndex = detail.body.placePath.findIndex((place) => place.level === 'district');
    expect(districtIndex).toBeGreaterThan(0);
    districtCode = detail.body.placePath[districtIndex]!.code;
    // ltree paths are the codes from the city down, joined by dots: the auditor covers the district.
    const districtPath = detail.body.placePath.slice(0, districtIndex + 1).map((place) => place.code).join('.');
    const created = await api(`${server.url}/api/users`, cookie, 'POST', { username: 'auditor_e2e', displayName: '区稽核员', password: AUDITOR_PASSWORD, roleCodes: ['auditor'], scopePath: districtPath });
    expect(created.status).toBe(201);

    const death = isoDate(Date.now() - 120 * DAY_MS);
    const gender = person.gender === 'male' ? '男' : '女';
    insuredCsv = [
      'id_number,name,gender,birth_date,region_code,insurance_type,status,monthly_benefit,benefit_start_date',
      `${person.idNumber},${person.name},${gender},${person.birthDate},${districtCode},城乡居民养老保险,领取待遇,2000.00,2015-01-01`,
      `${withCheck(`${districtCode}19900307123`)},另一人,男,1990-03-07,${districtCode},城乡居民养老保险,参保缴费,,`,
      `${withCheck(`${districtCode}19900307999`)},状态不明,男,1990-03-07,${districtCode},城乡居民养老保险,未知,100.00,2015-01-01`,
      '',
    ].join('\n');
    deathsCsv = ['id_number,name,death_date,source', `${person.idNumber},${person.name},${death},民政`, ''].join('\n');

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    admin = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await logIn(admin, server.url, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function uploadExtract(kindLabel: string | null, fileName: string, content: string) {
    if (kindLabel) {
      await admin.getByTestId('compare-dataset-kind').click();
      await admin.locator('.ant-select-item-option', { hasText: kindLabel }).click();
    }
    await admin.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
    await admin.getByTestId('compare-dataset-upload').click();
    const profile = admin.getByTestId('compare-dataset-profile');
    await profile.locator('[data-testid="compare-dataset-status"][data-status="ready"]').waitFor({ timeout: 30_000 });
    return profile;
  }

  it('uploads two extracts and shows each one’s profile with its bad row', async () => {
    await admin.getByTestId('menu-compare-datasets').click();
    const insured = await uploadExtract(null, 'insured.csv', insuredCsv);
    expect((await insured.getByTestId('compare-dataset-rows-read').textContent())?.trim()).toBe('3');
    expect((await insured.getByTestId('compare-dataset-rejected').textContent())?.trim()).toBe('1');
    const rejects = (await insured.getByTestId('compare-dataset-rejects').textContent()) ?? '';
    expect(rejects).toContain('4');
    expect(rejects).toContain('未知');
    expect((await insured.getByTestId('compare-dataset-date-ranges').textContent()) ?? '').toContain('benefit_start_date');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'compare-dataset-profile.png'), fullPage: true });
    await admin.keyboard.press('Escape');
    await insured.waitFor({ state: 'detached' });

    const deaths = await uploadExtract('死亡人员', 'deaths.csv', deathsCsv);
    expect((await deaths.getByTestId('compare-dataset-rows-read').textContent())?.trim()).toBe('1');
    expect((await deaths.getByTestId('compare-dataset-id-validity').textContent()) ?? '').toContain('100.00%');
    await admin.keyboard.press('Escape');
    await deaths.waitFor({ state: 'detached' });
    const table = admin.getByTestId('compare-dataset-table');
    expect(await table.locator('tr.ant-table-row').count()).toBe(2);
  });

  it('runs the comparison as a job and shows its stages and its results by rule', async () => {
    await admin.getByTestId('menu-compare-runs').click();
    await admin.getByTestId('compare-run-start').click();
    const detail = admin.locator('[data-testid="compare-run-detail"][data-status="completed"]');
    await detail.waitFor({ timeout: 60_000 });
    for (const stage of ['compare', 'place', 'record']) {
      expect(await admin.locator(`[data-testid="compare-run-stage"][data-stage="${stage}"]`).getAttribute('data-status')).toBe('done');
    }
    const rule = admin.locator('[data-testid="compare-run-rules"] tr[data-rule="DECEASED_DRAWING"]');
    await rule.waitFor();
    expect(await rule.textContent()).toContain('死亡冒领');
    expect(yuanOf(await rule.getByTestId('compare-run-rule-amount').textContent())).toBeGreaterThan(0);
    expect(((await admin.getByTestId('compare-run-outcome-raised').textContent()) ?? '').replace(/\D/g, '')).toBe('1');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'compare-run.png'), fullPage: true });
  });

  it('lets the district auditor read the evidence, confirm the suspect, record a recovery and see the total move', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await logIn(page, server.url, 'auditor_e2e', AUDITOR_PASSWORD);
      await page.getByTestId('menu-compare-recovery').click();
      const recoveredBefore = yuanOf(await page.getByTestId('compare-total-recovered').locator('.ant-statistic-content').textContent());
      expect(recoveredBefore).toBe(0);

      await page.getByTestId('menu-compare-findings').click();
      const row = page.getByTestId('compare-finding-table').locator('tr.ant-table-row').filter({ hasText: person.name });
      await row.waitFor();
      expect(await row.textContent()).not.toContain(person.idNumber);
      await row.click();

      // The evidence as an auditor reads it: which records, which fields agreed, how much and why.
      const evidence = page.getByTestId('compare-evidence');
      await evidence.waitFor();
      expect((await page.getByTestId('compare-evidence-summary').textContent()) ?? '').toMatch(/死亡冒领：参保人员 #2 ↔ 死亡人员 #2/);
      expect(await page.locator('[data-testid="compare-evidence-sources"] tr.ant-table-row').count()).toBe(2);
      expect(await page.locator('[data-testid="compare-evidence-agreement"] [data-field="name"]').getAttribute('data-agreed')).toBe('true');
      expect((await page.getByTestId('compare-evidence-computation').textContent()) ?? '').toMatch(/2000\.00 × \d+ months/);
      expect((await page.getByTestId('compare-finding-detail').textContent()) ?? '').not.toContain(person.idNumber);
      expect((await page.getByTestId('compare-finding-id-masked').textContent())?.trim()).toBe(`${person.idNumber.slice(0, 6)}********${person.idNumber.slice(-4)}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'compare-finding-evidence.png'), fullPage: true });

      // The full ID only with a reason.
      await page.getByTestId('compare-finding-reveal').click();
      await page.getByTestId('compare-unmask-reason').fill('入户核实身份');
      await page.getByTestId('compare-unmask-confirm').click();
      await page.getByTestId('compare-finding-id-number').waitFor();
      expect((await page.getByTestId('compare-finding-id-number').textContent())?.trim()).toBe(person.idNumber);

      const atStake = yuanOf(await page.getByTestId('compare-finding-amount-at-stake').locator('.ant-statistic-content').textContent());
      await page.getByTestId('compare-finding-action-confirm').click();
      await page.getByTestId('compare-action-note').fill('经民政核实该人员已去世，家属继续领取养老金');
      await page.getByTestId('compare-action-amount').fill(String(atStake));
      await page.getByTestId('compare-action-submit').click();
      await page.locator('[data-testid="compare-finding-detail"][data-state="confirmed"]').waitFor();

      await page.getByTestId('compare-finding-action-record_recovery').click();
      await page.getByTestId('compare-action-amount').fill('1500.50');
      await page.getByTestId('compare-action-note').fill('家属退回');
      await page.getByTestId('compare-action-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="compare-finding-amount-recovered"]')?.textContent?.includes('1,500.50'));
      expect((await page.getByTestId('compare-finding-recoveries').textContent()) ?? '').toContain('家属退回');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'compare-finding-recovered.png'), fullPage: true });

      await page.getByTestId('menu-compare-recovery').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="compare-total-recovered"]')?.textContent?.includes('1,500.50'));
      const recoveredAfter = yuanOf(await page.getByTestId('compare-total-recovered').locator('.ant-statistic-content').textContent());
      expect(recoveredAfter - recoveredBefore).toBeCloseTo(1500.5, 2);
      expect(yuanOf(await page.getByTestId('compare-total-to-recover').locator('.ant-statistic-content').textContent())).toBeCloseTo(atStake, 2);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'compare-recovery-totals.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
