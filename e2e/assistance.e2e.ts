import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from './images.ts';
import { startServer, type RunningServer } from './server-process.ts';

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const ADMIN_PASSWORD = 'E2e-assistance-admin-1';
const HANDLER_PASSWORD = 'E2e-department-handler-1';
const RESIDENT = { phone: '13912340517', password: 'E2e-assistance-resident-1' };
const PHONE = { width: 390, height: 844 };
const REFUSAL = '经核实，申请人已于本月通过其他渠道获得临时救助，本次不予重复救助。';

/** An 18-character resident ID: the 17 digits given and their GB 11643 check character. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

// Seed 002's family: a mother who fell seriously ill and her 11-year-old daughter, on 低保.
const MOTHER = { name: '李梅', idNumber: withCheck('50010619880315024') };
const DAUGHTER = { name: '王小雨', idNumber: withCheck('50010620150610022') };

interface PlaceNode {
  id: number;
  code: string;
  name: string;
  level: string;
}

interface Item {
  id: number;
  policyCode: string;
  policyName: { zh: string };
  department: { code: string };
  organisationName: string | null;
  mode: string;
  state: string;
  matterId: number;
  decision: string | null;
}

interface Application {
  id: number;
  reference: string;
  status: string;
  bundle: { matterId: number; state: string; dueAt: string | null } | null;
  items: Item[];
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
  if (!response.ok) throw new Error(`login of ${username} failed: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Chooses an option of an antd select by its words (only the open dropdown's options are visible). */
async function choose(page: Page, testId: string, option: string | RegExp, scope?: ReturnType<Page['locator']>): Promise<void> {
  await (scope ?? page).getByTestId(testId).click();
  await page.locator('.ant-select-item-option:visible', { hasText: option }).click();
}

describe('一件事联办 on a phone: a resident applies, a department reviews an item, the resident sees the bundle change', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let desk: BrowserContext;
  let resident: Page;
  let handler: Page;
  let admin = '';
  let community: PlaceNode & { path: string; lon: number; lat: number };
  let districtPath = '';
  let applicationId = 0;
  let reviewed: Item;

  /** The department organisation an item was sent to, found by its name in the registry. */
  async function organisationNamed(name: string): Promise<number> {
    const found = await api<{ items: Array<{ id: number; name: string }> }>(`${server.url}/api/organisations?kind=department&pageSize=20&q=${encodeURIComponent(name)}`, admin);
    const organisation = found.body.items.find((o) => o.name === name);
    expect(organisation, `department organisation ${name}`).toBeDefined();
    return organisation!.id;
  }

  /** A department handler (部门承办人) of the organisation, as the administrator creates one. */
  async function createHandler(username: string, organisationId: number): Promise<void> {
    const created = await api(`${server.url}/api/users`, admin, 'POST', {
      username,
      displayName: `部门承办人 ${username}`,
      password: HANDLER_PASSWORD,
      roleCodes: ['department_handler'],
      scopePath: districtPath,
      organisationId,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }

  const phoneWidth = () => resident.evaluate(() => document.documentElement.scrollWidth);
  const formAt = (step: string) => resident.locator(`[data-testid="application-form"][data-step="${step}"]`).waitFor();
  const next = async (step: string) => {
    await resident.getByTestId('application-next').tap();
    await formAt(step);
  };

  beforeAll(async () => {
    server = await startServer({ args: ['--demo', '--persons', '300', '--appeals', '0'], env: { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    admin = await signIn(server.url, 'admin', ADMIN_PASSWORD);
    // Items are due in working days: the calendar must reach into next year, as an administrator
    // makes sure each winter once the State Council publishes its holidays.
    const nextYear = new Date().getUTCFullYear() + 1;
    if ((await api(`${server.url}/api/calendar/${nextYear}`, admin)).status === 422) {
      const put = await api(`${server.url}/api/calendar/${nextYear}`, admin, 'PUT', { source: 'e2e：下一年度（无节假日安排）', days: [] });
      expect(put.status).toBe(204);
    }

    // A community of the demo city whose centre lies in one of its grids: where the family lives.
    const children = async (parentId?: number) =>
      (await api<{ items: PlaceNode[] }>(`${server.url}/api/places/children${parentId ? `?parentId=${parentId}` : ''}`, admin)).body.items;
    const [city] = await children();
    const [district] = await children(city!.id);
    const [street] = await children(district!.id);
    for (const candidate of await children(street!.id)) {
      const detail = (await api<{ centerLon: number | null; centerLat: number | null; ancestors: PlaceNode[] }>(`${server.url}/api/places/${candidate.id}`, admin)).body;
      if (detail.centerLon === null || detail.centerLat === null) continue;
      const located = await api<{ ancestors: PlaceNode[] }>(`${server.url}/api/places/locate?lon=${detail.centerLon}&lat=${detail.centerLat}`, admin);
      if (located.status !== 200 || !located.body.ancestors.some((a) => a.id === candidate.id)) continue;
      const codes = [...detail.ancestors.map((a) => a.code), candidate.code];
      community = { ...candidate, path: codes.join('.'), lon: detail.centerLon, lat: detail.centerLat };
      break;
    }
    expect(community, 'a community whose centre is in one of its grids').toBeDefined();
    districtPath = community.path.split('.').slice(0, 2).join('.');

    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    phone = await browser.newContext({
      baseURL: server.url,
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
      locale: 'zh-CN',
      geolocation: { longitude: community.lon, latitude: community.lat, accuracy: 20 },
      permissions: ['geolocation'],
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    });
    resident = await phone.newPage();
    desk = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    handler = await desk.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the application as a draft at every step, and loses nothing when the resident leaves and comes back', async () => {
    await resident.goto('/m/register');
    await resident.getByTestId('resident-m-phone').fill(RESIDENT.phone);
    await resident.getByTestId('resident-m-password').fill(RESIDENT.password);
    await resident.getByTestId('resident-m-password-confirm').fill(RESIDENT.password);
    await resident.getByTestId('resident-m-submit').tap();
    await resident.getByTestId('resident-m-form').waitFor();

    await resident.getByTestId('resident-m-tab-assistance').tap();
    await resident.locator('[data-testid="resident-m-applications"][data-total="0"]').waitFor();
    await resident.getByTestId('resident-m-apply-new').first().tap();
    await formAt('place');

    // Where the family lives: the phone's position names the grid the application is filed under.
    await resident.getByTestId('resident-m-locate').tap();
    const place = resident.getByTestId('application-place');
    await place.waitFor();
    const placeCode = (await place.getAttribute('data-code')) ?? '';
    // The grid holding the point: its code starts with the community's.
    expect(placeCode.startsWith(community.code)).toBe(true);
    expect(await place.textContent()).toContain(community.name);
    await next('applicant');
    // The first save made a draft, and its number is in the address.
    await resident.waitForURL(/\/m\/assistance\/apply\?id=\d+$/);
    applicationId = Number(new URL(resident.url()).searchParams.get('id'));
    expect(applicationId).toBeGreaterThan(0);

    await resident.getByTestId('application-applicant-name').fill(MOTHER.name);
    await resident.getByTestId('application-applicant-id').fill(MOTHER.idNumber);
    await resident.getByTestId('application-applicant-phone').fill('139 0000 1234');
    await next('members');

    const members = resident.getByTestId('application-member');
    await resident.getByTestId('application-copy-applicant').tap();
    expect(await members.nth(0).getByTestId('application-member-name').inputValue()).toBe(MOTHER.name);
    await choose(resident, 'application-member-health', '患有重病', members.nth(0));
    await choose(resident, 'application-member-employment', '因病或残疾不能工作', members.nth(0));
    await resident.getByTestId('application-add-member').tap();
    await members.nth(1).getByTestId('application-member-name').fill(DAUGHTER.name);
    // A mistyped ID number is kept and reported at its field, not refused.
    await members.nth(1).getByTestId('application-member-id').fill(`${DAUGHTER.idNumber.slice(0, 17)}0`);
    await choose(resident, 'application-member-relation', /^子女$/, members.nth(1));
    await choose(resident, 'application-member-school', /^小学$/, members.nth(1));
    expect(await phoneWidth()).toBeLessThanOrEqual(PHONE.width);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'assistance-members.png'), fullPage: true });
    await next('household');

    await choose(resident, 'application-housing', /^租房住$/);
    await resident.getByTestId('application-benefits').getByText('低保', { exact: true }).tap();
    await resident.getByTestId('application-hardships').getByText('家人患重病', { exact: true }).tap();
    await resident.getByTestId('application-hardships').getByText('照顾家人的人生病', { exact: true }).tap();
    await resident.getByTestId('application-hospital-costs').fill('12000');
    await resident.getByTestId('application-situation').fill('母亲重病住院，无力工作；女儿11岁，在读小学，家里靠低保生活。');
    await next('submit');

    // What is still missing is listed by the server: the daughter's ID number and the consent.
    const missing = resident.getByTestId('application-missing');
    await missing.waitFor();
    expect(await missing.locator('[data-field="members.1.idNumber"]').textContent()).toContain('校验位');
    expect(await missing.locator('[data-field="consentDataCheck"]').count()).toBe(1);

    // The resident leaves, and comes back later to the draft.
    await resident.getByTestId('resident-m-tab-new').tap();
    await resident.getByTestId('resident-m-form').waitFor();
    await resident.getByTestId('resident-m-tab-assistance').tap();
    const draft = resident.locator(`[data-testid="resident-m-application-item"][data-id="${applicationId}"]`);
    expect(await draft.getAttribute('data-status')).toBe('draft');
    await draft.tap();
    await resident.getByTestId('resident-m-continue').tap();
    await formAt('place');
    expect(await resident.getByTestId('application-place').getAttribute('data-code')).toBe(placeCode);
    await next('applicant');
    expect(await resident.getByTestId('application-applicant-id').inputValue()).toBe(MOTHER.idNumber);
    await next('members');
    expect(await members.count()).toBe(2);
    const daughterId = members.nth(1).getByTestId('application-member-id');
    expect(await daughterId.inputValue()).toBe(`${DAUGHTER.idNumber.slice(0, 17)}0`);
    await daughterId.fill(DAUGHTER.idNumber);
    await next('household');
    expect(await resident.getByTestId('application-situation').inputValue()).toContain('母亲重病住院');
    await next('submit');
    expect(await resident.getByTestId('application-missing').locator('[data-field="members.1.idNumber"]').count()).toBe(0);
  });

  it('asks for the materials of the items that go to review when submitted, and submits once they are uploaded', async () => {
    await resident.getByTestId('application-consent').tap();
    await resident.getByTestId('application-submit').tap();
    // Which items go to review is known only now; the draft is kept and their materials are asked for.
    await resident.getByTestId('application-incomplete').waitFor();
    const rows = resident.getByTestId('application-material');
    await rows.first().waitFor();
    const materials = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-material') ?? ''));
    expect(materials.length).toBeGreaterThan(0);
    expect(materials).toContain('居民身份证、户口簿');
    expect(await phoneWidth()).toBeLessThanOrEqual(PHONE.width);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'assistance-materials.png'), fullPage: true });
    for (const [index, material] of materials.entries()) {
      const row = resident.locator(`[data-testid="application-material"][data-material="${material}"]`);
      await row.getByTestId('application-material-file').setInputFiles({ name: `material-${index}.png`, mimeType: 'image/png', buffer: solidPng(32, 24, [40 + index * 10, 90, 160]) });
      await resident.locator(`[data-testid="application-material"][data-material="${material}"][data-uploaded="true"]`).waitFor();
    }
    expect((await resident.getByTestId('application-submit').textContent())?.replace(/\s/g, '')).toContain('再次提交');
    await resident.getByTestId('application-submit').tap();

    // One status for the whole bundle, with its due date, and every item's state.
    await resident.waitForURL(new RegExp(`/m/assistance/${applicationId}$`));
    await resident.getByTestId('resident-m-submitted').waitFor();
    const bundle = resident.getByTestId('resident-m-bundle');
    expect(await bundle.getAttribute('data-state')).toBe('processing');
    expect(await resident.getByTestId('resident-m-due').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    const items = resident.getByTestId('resident-m-item');
    expect(await items.count()).toBeGreaterThanOrEqual(3);
    const states = await items.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-state')));
    // No department data was loaded: nothing is proven, so every item goes to department review.
    expect(new Set(states)).toEqual(new Set(['reviewing']));
    expect(await items.locator('[data-testid="application-item-state"]').first().textContent()).toBe('部门审核中');
    expect(await phoneWidth()).toBeLessThanOrEqual(PHONE.width);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'assistance-submitted.png'), fullPage: true });
  });

  it("lets the item's department refuse it from the console, with the reason the resident will read", async () => {
    const application = (await api<Application>(`${server.url}/api/assistance/applications/${applicationId}`, admin)).body;
    expect(application.status).toBe('submitted');
    reviewed =
      application.items.find((item) => item.policyCode === 'temporary_assistance_emergency' && item.organisationName) ??
      application.items.find((item) => item.organisationName !== null)!;
    expect(reviewed, 'an item sent to a department office of the district').toBeDefined();

    // The other departments decide theirs first, so that this decision is the bundle's last. The
    // administrator stands in for them: each handler's log-in would count against the log-in rate limit.
    for (const item of application.items.filter((candidate) => candidate.id !== reviewed.id)) {
      const decided = await api<Application>(`${server.url}/api/assistance/items/${item.id}/decision`, admin, 'POST', { decision: 'grant' });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }

    await createHandler('handler-e2e', await organisationNamed(reviewed.organisationName!));
    await handler.goto('/login');
    await handler.getByTestId('login-username').fill('handler-e2e');
    await handler.getByTestId('login-password').fill(HANDLER_PASSWORD);
    await handler.getByTestId('login-submit').click();
    await handler.getByTestId('user-menu').waitFor();

    // The item's matter offers no generic buttons: it is decided on its application's page.
    await handler.goto(`/matters/${reviewed.matterId}`);
    await handler.getByTestId('matter-detail').waitFor();
    expect(await handler.locator('[data-testid^="matter-action-"]').count()).toBe(0);
    await handler.getByTestId('matter-application-link').click();
    await handler.getByTestId('application-detail').waitFor();
    expect(await handler.getByTestId('application-detail').getAttribute('data-bundle-state')).toBe('processing');

    const row = handler.locator(`[data-testid="application-item"][data-policy="${reviewed.policyCode}"]`);
    expect(await row.getAttribute('data-state')).toBe('reviewing');
    await row.getByTestId('application-item-refuse').click();
    // The dialog zooms in; a click while it is still moving can miss its button on a loaded machine.
    const dialog = handler.locator('.ant-modal').filter({ has: handler.getByTestId('application-decision-reason') });
    await dialog.waitFor();
    await dialog.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)));
    // A refusal without its reason is held back at the field.
    await handler.getByTestId('application-decision-confirm').click();
    await handler.locator('.ant-form-item-explain-error', { hasText: '请填写不予批准的理由' }).waitFor();
    await handler.getByTestId('application-decision-reason').fill(REFUSAL);
    await handler.getByTestId('application-decision-confirm').click();
    await handler.locator(`[data-testid="application-item"][data-policy="${reviewed.policyCode}"][data-state="refused"]`).waitFor();
    await handler.locator('[data-testid="application-detail"][data-bundle-state="completed"]').waitFor();
    await handler.screenshot({ path: path.join(SCREENSHOTS, 'assistance-department.png'), fullPage: true });
  });

  it('shows the resident the refused item with its reason and how to appeal, and the bundle completed', async () => {
    await resident.getByTestId('resident-m-reload').tap();
    await resident.locator('[data-testid="resident-m-bundle"][data-state="completed"]').waitFor();
    const item = resident.locator(`[data-testid="resident-m-item"][data-policy="${reviewed.policyCode}"]`);
    expect(await item.getAttribute('data-state')).toBe('refused');
    expect(await item.getByTestId('resident-m-refusal').textContent()).toContain(REFUSAL);
    expect(await item.getByTestId('resident-m-appeal').textContent()).toContain('行政复议');
    const states = await resident.getByTestId('resident-m-item').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-state')));
    expect(states.filter((state) => state === 'granted')).toHaveLength(states.length - 1);
    expect(await phoneWidth()).toBeLessThanOrEqual(PHONE.width);
    await resident.screenshot({ path: path.join(SCREENSHOTS, 'assistance-completed.png'), fullPage: true });

    // The list shows the bundle's one status too.
    await resident.getByTestId('resident-m-tab-assistance').tap();
    const row = resident.locator(`[data-testid="resident-m-application-item"][data-id="${applicationId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-bundle-state')).toBe('completed');
  });

  it('pays the month’s grants to the card and reconciles them per department in the console', async () => {
    const operator = await (await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await operator.goto('/login');
    await operator.getByTestId('login-username').fill('admin');
    await operator.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await operator.getByTestId('login-submit').click();
    await operator.getByTestId('user-menu').waitFor();

    // The grants of this bundle start this month: owed, not paid yet.
    await operator.getByTestId('menu-assistance-payments').click();
    const totals = operator.getByTestId('payment-totals');
    await totals.waitFor();
    expect(await totals.getAttribute('data-balances')).toBe('false');
    await operator.getByTestId('payment-run').click();
    await operator.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await operator.getByTestId('payment-run-result').waitFor();
    await operator.locator('[data-testid="payment-totals"][data-balances="true"]').waitFor();
    expect(await operator.locator('[data-testid="payment-line-balances"][data-balances="false"]').count()).toBe(0);
    await operator.screenshot({ path: path.join(SCREENSHOTS, 'assistance-payments.png'), fullPage: true });

    // Each money grant of the application is an entitlement with this month paid on its ledger.
    const expected = (await api<{ total: number }>(`${server.url}/api/assistance/entitlements?applicationId=${applicationId}`, admin)).body.total;
    expect(expected).toBeGreaterThan(0);
    await operator.goto(`/assistance/entitlements?applicationId=${applicationId}`);
    const rows = operator.getByTestId('entitlement-table').locator('tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(expected);
    await rows.first().getByTestId('entitlement-ledger-open').click();
    const month = await operator.evaluate(() => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()));
    await operator.getByTestId('entitlement-ledger').locator('tr.ant-table-row', { hasText: month }).waitFor();
    await operator.screenshot({ path: path.join(SCREENSHOTS, 'assistance-ledger.png') });
    await operator.context().close();
  });

  it('lets the resident withdraw a draft started by mistake, with the reason', async () => {
    await resident.getByTestId('resident-m-apply-new').first().tap();
    await formAt('place');
    await resident.getByTestId('application-save').tap();
    await resident.waitForURL(/\/m\/assistance\/apply\?id=\d+$/);
    const id = Number(new URL(resident.url()).searchParams.get('id'));
    await resident.goto(`/m/assistance/${id}`);
    await resident.getByTestId('resident-m-draft').waitFor();
    await resident.getByTestId('application-withdraw').tap();
    await resident.getByTestId('application-withdraw-reason').fill('重复申请，撤回这一份');
    await resident.getByTestId('application-withdraw-confirm').tap();
    await resident.locator('[data-testid="application-status"][data-status="withdrawn"]').waitFor();
    // A draft with no place yet is its author's alone: read it back as the resident.
    const stored = (await (await phone.request.get(`/api/assistance/applications/${id}`)).json()) as Application;
    expect(stored.status).toBe('withdrawn');
  });
});
