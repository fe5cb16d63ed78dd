import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser, systemPrincipal } from '../../platform/auth/index.ts';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS, PLACES } from '../../testing/fixtures.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { applyAction } from '../matters/index.ts';
import { loadShippedAttributes } from './index.ts';

// Written from GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and FixMyStreet's update
// extension; every case runs against the listening server in both formats, compared as one shape.

type Shape = string | Shape[] | { [key: string]: Shape };

const LIST_ROOTS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  service_requests_updates: 'request_update',
  service_request_updates: 'request_update',
};
const NESTED_LISTS: Record<string, string> = { endpoints: 'endpoint', formats: 'format', attributes: 'attribute', values: 'value' };
const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, ignoreDeclaration: true, isArray: (name) => Object.values(LIST_ROOTS).includes(name) || Object.values(NESTED_LISTS).includes(name) });

/** JSON with every scalar as the string XML would carry (null as empty). */
function normaliseJson(value: unknown): Shape {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(normaliseJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseJson(v)]));
  return String(value);
}

function unwrapXml(value: unknown, key?: string): Shape {
  const item = key ? NESTED_LISTS[key] : undefined;
  if (item) return value === '' || value === undefined ? [] : ((value as Record<string, unknown[]>)[item] ?? []).map((v) => unwrapXml(v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapXml(v, k)]));
  return value === undefined || value === null ? '' : String(value);
}

function decodeXml(text: string): Shape {
  const parsed = xmlParser.parse(text) as Record<string, unknown>;
  const [root, ...rest] = Object.keys(parsed);
  if (!root || rest.length > 0) throw new Error(`expected one root element in ${text}`);
  const item = LIST_ROOTS[root];
  const content = parsed[root];
  if (item) return content === '' ? [] : ((content as Record<string, unknown[]>)[item] ?? []).map((v) => unwrapXml(v));
  return unwrapXml(content);
}

const asList = (shape: Shape) => shape as Array<Record<string, Shape>>;

describe.each(testDatabaseKinds())('Open311 GeoReport v2 on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let apiKey: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await loadShippedAttributes(t.handle.db);
    await insertPlaceFixture(t.handle.db);
    const userId = await createUser(t.handle.db, { userId: null, name: 'test', ip: null }, {
      username: 'fixmystreet',
      displayName: 'FixMyStreet',
      password: TEST_PASSWORD,
      roleCodes: ['district_staff'],
      scopePath: PATHS.district,
      organisationId: null,
    });
    apiKey = (await createApiKey(t.handle.db, systemPrincipal(), { userId, name: 'fixmystreet' })).apiKey;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/open311/v2`;
  });
  afterAll(() => t.close());

  async function call(format: string, method: 'GET' | 'POST', path: string, params: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) {
    const url = new URL(`${base}/${path}.${format}`);
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) (method === 'GET' ? url.searchParams : form).append(key, v);
    const response = await fetch(url, method === 'GET' ? { headers } : { method, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const body = contentType.startsWith('text/xml') ? decodeXml(text) : normaliseJson(JSON.parse(text));
    return { status: response.status, contentType, body, text };
  }

  it('answers an unknown format extension with a JSON 404', async () => {
    const response = await call('csv', 'GET', 'services');
    expect(response.status).toBe(404);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.body).toEqual([{ code: '404', description: expect.stringContaining('csv') }]);
  });

  describe.each(['json', 'xml'])('in %s', (format) => {
    const expectedType = format === 'json' ? /^application\/json/ : /^text\/xml/;
    const litter = (extra: Record<string, string | string[]> = {}) => ({
      api_key: apiKey,
      service_code: 'event.litter',
      lat: '29.51',
      long: '106.41',
      'attribute[volume]': 'medium',
      description: '小区门口堆放大量生活垃圾，已经三天无人清理',
      first_name: '三',
      last_name: '张',
      phone: '13800001111',
      email: 'zhang@example.com',
      account_id: 'acc-42',
      ...extra,
    });
    const create = async (extra: Record<string, string | string[]> = {}) => {
      const response = await call(format, 'POST', 'requests', litter(extra));
      expect(response.status, response.text).toBe(201);
      return String(asList(response.body)[0]!.service_request_id);
    };
    const expectError = (response: { status: number; body: Shape; contentType: string }, status: number, mentioning: string) => {
      expect(response.status).toBe(status);
      expect(response.contentType).toMatch(expectedType);
      expect(response.body).toEqual([{ code: String(status), description: expect.stringContaining(mentioning) }]);
    };

    it('describes the endpoint in the discovery document', async () => {
      const response = await call(format, 'GET', 'discovery');
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(expectedType);
      expect(response.body).toEqual({
        changeset: expect.any(String),
        contact: expect.any(String),
        key_service: expect.any(String),
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: expect.any(String), type: 'production', formats: ['text/xml', 'application/json'] }],
      });
    });

    it('lists one service per active leaf category, flagging those with attributes', async () => {
      const categories = await t.handle.db.selectFrom('appeal_categories').select(['code', 'parent_code', 'is_active']).execute();
      const leaves = categories.filter((c) => c.is_active && !categories.some((k) => k.parent_code === c.code && k.is_active)).map((c) => c.code);
      const response = await call(format, 'GET', 'services');
      expect(response.status).toBe(200);
      const services = asList(response.body);
      expect(services.map((s) => s.service_code).sort()).toEqual(leaves.sort());
      expect(services.find((s) => s.service_code === 'event.litter')).toEqual({
        service_code: 'event.litter',
        service_name: '暴露垃圾',
        description: 'Exposed litter',
        metadata: 'true',
        type: 'realtime',
        keywords: expect.any(String),
        group: '城市事件',
      });
      expect(services.find((s) => s.service_code === 'event.noise')).toMatchObject({ metadata: 'false' });
    });

    it('defines a service by its attributes, with list values in order', async () => {
      const response = await call(format, 'GET', 'services/event.litter');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        service_code: 'event.litter',
        attributes: [
          {
            variable: 'true',
            code: 'volume',
            datatype: 'singlevaluelist',
            required: 'true',
            datatype_description: expect.any(String),
            order: '1',
            description: '垃圾数量',
            values: [
              { key: 'small', name: expect.any(String) },
              { key: 'medium', name: expect.any(String) },
              { key: 'large', name: expect.any(String) },
            ],
          },
        ],
      });
      expect((await call(format, 'GET', 'services/event.noise')).body).toEqual({ service_code: 'event.noise', attributes: [] });
    });

    it('answers 404 for an unknown service', async () => {
      expectError(await call(format, 'GET', 'services/event.unicorns'), 404, 'event.unicorns');
    });

    it('creates an appeal through the open311 door and stores its attribute answers', async () => {
      const response = await call(format, 'POST', 'requests', litter());
      expect(response.status, response.text).toBe(201);
      expect(response.contentType).toMatch(expectedType);
      expect(response.body).toEqual([{ service_request_id: expect.stringMatching(/^MS\d{14}$/), service_notice: expect.any(String), account_id: 'acc-42' }]);
      const reference = String(asList(response.body)[0]!.service_request_id);
      const stored = await t.handle.db
        .selectFrom('matters as m')
        .innerJoin('appeals as a', 'a.matter_id', 'm.id')
        .select(['m.id', 'm.place_path', 'm.title', 'a.door', 'a.category_code', 'a.reporter_name', 'a.reporter_phone_masked'])
        .where('m.reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ place_path: PATHS.gridA, door: 'open311', category_code: 'event.litter', reporter_name: '张三', reporter_phone_masked: '138****1111' });
      const values = await t.handle.db.selectFrom('appeal_attribute_values').select(['code', 'value']).where('matter_id', '=', stored.id).execute();
      expect(values).toEqual([{ code: 'volume', value: 'medium' }]);
    });

    it('creates one appeal for a retried POST with the same Idempotency-Key', async () => {
      const key = `open311-${format}-${kind}-retry`;
      const first = await call(format, 'POST', 'requests', litter(), { 'idempotency-key': key });
      const retried = await call(format, 'POST', 'requests', litter(), { 'idempotency-key': key });
      expect([first.status, retried.status]).toEqual([201, 200]);
      expect(asList(retried.body)[0]!.service_request_id).toBe(asList(first.body)[0]!.service_request_id);
    });

    it('refuses a POST without an api_key or with an invalid one with 403', async () => {
      expectError(await call(format, 'POST', 'requests', litter({ api_key: '' })), 403, 'api_key');
      expectError(await call(format, 'POST', 'requests', litter({ api_key: 'msk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 403, 'api_key');
    });

    it('answers 400 for a missing service_code or location, and for a malformed lat', async () => {
      expectError(await call(format, 'POST', 'requests', litter({ service_code: '' })), 400, 'service_code');
      const { lat: _lat, long: _long, ...nowhere } = litter();
      expectError(await call(format, 'POST', 'requests', nowhere), 400, 'location');
      expectError(await call(format, 'POST', 'requests', litter({ lat: 'north' })), 400, 'lat');
    });

    it('answers 400 naming a missing required attribute or a value outside its list', async () => {
      const { 'attribute[volume]': _volume, ...withoutVolume } = litter();
      expectError(await call(format, 'POST', 'requests', withoutVolume), 400, 'attribute[volume]');
      expectError(await call(format, 'POST', 'requests', litter({ 'attribute[volume]': 'enormous' })), 400, 'attribute[volume]');
    });

    it('answers 404 for an unknown service_code or jurisdiction_id', async () => {
      expectError(await call(format, 'POST', 'requests', litter({ service_code: 'event.unicorns' })), 404, 'event.unicorns');
      expectError(await call(format, 'POST', 'requests', litter({ jurisdiction_id: '999999' })), 404, 'jurisdiction_id');
      expect((await call(format, 'POST', 'requests', litter({ jurisdiction_id: PLACES.district }))).status).toBe(201);
    });

    it('looks a token up as the request it created', async () => {
      const reference = await create();
      const response = await call(format, 'GET', `tokens/${reference}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([{ service_request_id: reference, token: reference }]);
      expectError(await call(format, 'GET', 'tokens/MS00000000000000'), 404, 'MS00000000000000');
    });

    it('shows one request with its public facts, and 404 for an unknown one', async () => {
      const reference = await create();
      const response = await call(format, 'GET', `requests/${reference}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          service_request_id: reference,
          status: 'open',
          status_notes: '',
          service_name: '暴露垃圾',
          service_code: 'event.litter',
          description: expect.stringContaining('生活垃圾'),
          agency_responsible: expect.any(String),
          service_notice: expect.any(String),
          requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          updated_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          expected_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          address: '西苑社区第一网格',
          address_id: PLACES.gridA,
          zipcode: '',
          lat: '29.51',
          long: '106.41',
          media_url: '',
          extended_attributes: { fms_status: 'confirmed' },
        },
      ]);
      expectError(await call(format, 'GET', 'requests/MS00000000000000'), 404, 'MS00000000000000');
    });

    it('filters requests by service_request_id list (ignoring other filters), service_code, status and dates', async () => {
      const a = await create();
      const b = await create();
      const streetlight = String(asList((await call(format, 'POST', 'requests', { api_key: apiKey, service_code: 'component.streetlight', address_id: PLACES.gridB, 'attribute[pole_number]': 'SPB-0123' })).body)[0]!.service_request_id);
      const matterId = (await t.handle.db.selectFrom('matters').select('id').where('reference', '=', a).executeTakeFirstOrThrow()).id;
      await applyAction({ db: t.handle.db, jobs: t.services.jobs }, systemPrincipal(), matterId, 'answer_directly', { note: '已安排清运' });

      const byId = asList((await call(format, 'GET', 'requests', { service_request_id: `${a},${b}`, status: 'open', service_code: 'event.noise' })).body);
      expect(byId.map((r) => r.service_request_id).sort()).toEqual([a, b].sort());

      const byCode = asList((await call(format, 'GET', 'requests', { service_code: 'component.streetlight' })).body);
      expect(byCode.map((r) => r.service_request_id)).toContain(streetlight);
      expect(byCode.every((r) => r.service_code === 'component.streetlight')).toBe(true);

      const open = asList((await call(format, 'GET', 'requests', { status: 'open' })).body);
      expect(open.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([b, streetlight]));
      expect(open.map((r) => r.service_request_id)).not.toContain(a);
      const closed = asList((await call(format, 'GET', 'requests', { status: 'closed' })).body);
      expect(closed.find((r) => r.service_request_id === a)).toMatchObject({ status: 'closed', status_notes: '已安排清运', extended_attributes: { fms_status: 'fixed' } });
      expect(closed.every((r) => r.status === 'closed')).toBe(true);

      const now = Date.now();
      const around = asList((await call(format, 'GET', 'requests', { start_date: new Date(now - 3_600_000).toISOString(), end_date: new Date(now + 3_600_000).toISOString() })).body);
      expect(around.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([a, b, streetlight]));
      expect((await call(format, 'GET', 'requests', { start_date: '2020-01-01T00:00:00+08:00', end_date: '2020-02-01T00:00:00+08:00' })).body).toEqual([]);
      expectError(await call(format, 'GET', 'requests', { start_date: '2020-01-01T00:00:00Z', end_date: '2020-12-01T00:00:00Z' }), 400, '90 days');
      expectError(await call(format, 'GET', 'requests', { status: 'pending' }), 400, 'status');
    });

    it('lists state changes as FixMyStreet service request updates and records posted updates as notes', async () => {
      const reference = await create();
      const matterId = (await t.handle.db.selectFrom('matters').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
      await applyAction({ db: t.handle.db, jobs: t.services.jobs }, systemPrincipal(), matterId, 'dispatch');
      const now = Date.now();
      const updates = asList((await call(format, 'GET', 'servicerequestupdates', { start_date: new Date(now - 60_000).toISOString(), end_date: new Date(now + 60_000).toISOString() })).body);
      expect(updates.filter((u) => u.service_request_id === reference)).toEqual([
        { update_id: expect.stringMatching(/^\d+$/), service_request_id: reference, status: 'action scheduled', updated_datetime: expect.any(String), description: '', media_url: '' },
      ]);

      const posted = await call(format, 'POST', 'servicerequestupdates', {
        api_key: apiKey,
        service_request_id: reference,
        status: 'OPEN',
        description: '垃圾还在，请尽快处理',
        updated_datetime: new Date().toISOString(),
        first_name: '三',
        last_name: '张',
        update_id: 'fms-7',
      });
      expect(posted.status, posted.text).toBe(200);
      const updateId = Number(asList(posted.body)[0]!.update_id);
      const note = await t.handle.db.selectFrom('matter_events').select(['matter_id', 'kind', 'details']).where('id', '=', updateId).executeTakeFirstOrThrow();
      expect(note).toMatchObject({ matter_id: matterId, kind: 'note', details: { note: '垃圾还在，请尽快处理', postedStatus: 'OPEN', externalUpdateId: 'fms-7' } });
      expect(asList((await call(format, 'GET', `requests/${reference}`)).body)[0]).toMatchObject({ status_notes: '垃圾还在，请尽快处理', extended_attributes: { fms_status: 'action scheduled' } });

      expectError(await call(format, 'POST', 'servicerequestupdates', { service_request_id: reference, description: 'x' }), 403, 'api_key');
      expectError(await call(format, 'POST', 'servicerequestupdates', { api_key: apiKey, service_request_id: 'MS00000000000000', description: 'x' }), 404, 'MS00000000000000');
    });
  });
});
