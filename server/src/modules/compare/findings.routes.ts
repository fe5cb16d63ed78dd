import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import { csvLine } from '../../platform/imports/index.ts';
import { DISMISSAL_REASONS } from './evidence.ts';
import * as findings from './findings.service.ts';
import * as listings from './listings.service.ts';
import { MatterTimelineEntry } from '../matters/index.ts';

const Amount = Type.String({ minLength: 1, maxLength: 24, description: 'yuan, at most two decimals' });
const Note = Type.String({ maxLength: 5000 });

const FindingSummary = Type.Object({
  id: Type.Integer(),
  matterId: Type.Integer(),
  reference: Type.String(),
  state: Type.String(),
  isOpen: Type.Boolean(),
  dueAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  rule: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  matchMethod: Type.String(),
  matchScore: Type.Number(),
  amountAtStake: Type.String(),
  amountToRecover: Nullable(Type.String()),
  amountRecovered: Type.String(),
  dismissalReason: Nullable(Type.String()),
  placeId: Type.Integer(),
  placeName: Type.String(),
  regionSource: Type.String(),
  firstRunId: Type.Integer(),
  lastRunId: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const FindingDetail = Type.Intersect([
  FindingSummary,
  Type.Object({
    dataset: Type.String(),
    recordKey: Type.String(),
    /** The engine's evidence (sources and rows, agreement, weights, computation) with ID numbers masked. */
    evidence: Type.Record(Type.String(), Type.Unknown()),
    previousFindingId: Nullable(Type.Integer()),
    recoveries: Type.Array(
      Type.Object({ id: Type.Integer(), amount: Type.String(), recoveredOn: Type.String(), note: Type.String(), createdBy: Nullable(Type.String()), createdAt: Type.String() }),
    ),
    timeline: Type.Array(MatterTimelineEntry),
    /** What the account may do now: confirm, dismiss, set_amount_to_recover, record_recovery, settle. */
    actions: Type.Array(Type.String()),
    canUnmask: Type.Boolean(),
  }),
]);

const FindingQuery = Type.Object({
  rule: Type.Optional(Type.String({ maxLength: 60 })),
  state: Type.Optional(Type.String({ maxLength: 40 })),
  runId: Type.Optional(Type.Integer({ minimum: 1 })),
  placeId: Type.Optional(Type.Integer({ minimum: 1 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});

const Money = { atStake: Type.String(), toRecover: Type.String(), recovered: Type.String() };
const Counts = {
  findings: Type.Integer(),
  pending: Type.Integer(),
  confirmed: Type.Integer(),
  settled: Type.Integer(),
  dismissed: Type.Integer(),
  retracted: Type.Integer(),
};

const Handling = Type.Enum([...listings.LISTING_HANDLINGS]);

const ListingView = Type.Object({
  id: Type.Integer(),
  rule: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  matchMethod: Type.String(),
  matchScore: Type.Number(),
  amount: Type.String(),
  evidence: Type.Record(Type.String(), Type.Unknown()),
  placeId: Type.Integer(),
  placeName: Type.String(),
  streetId: Nullable(Type.Integer()),
  streetName: Nullable(Type.String()),
  regionSource: Type.String(),
  isCurrent: Type.Boolean(),
  firstRunId: Type.Integer(),
  lastRunId: Type.Integer(),
  updatedAt: Type.String(),
});

const ListingQuery = Type.Object({
  handling: Handling,
  rule: Type.Optional(Type.String({ maxLength: 60 })),
  street: Type.Optional(Type.String({ pattern: '^(\\d{1,18}|none)$' })),
  includeRetired: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});

function csvDownload(name: string, header: readonly string[], rows: AsyncGenerator<string[]>) {
  async function* lines() {
    yield '\uFEFF' + csvLine(header);
    for await (const row of rows) yield csvLine(row);
  }
  const stamp = new Date().toISOString().slice(0, 10);
  return { body: Readable.from(lines()), disposition: `attachment; filename="${name}-${stamp}.csv"` };
}

/** 疑点核查: the auditors' queue, a finding with its evidence and actions, recovery totals, and the lists rules feed. */
export const findingRoutes: RoutesPlugin = async (app, services) => {
  const detail = (request: Parameters<typeof principalOf>[0], id: number) => findings.getFinding(services, principalOf(request), id);

  app.get(
    '/api/compare/findings',
    {
      config: { permission: 'compare:finding:read' },
      schema: { tags: ['compare'], querystring: Type.Intersect([PageQuery, FindingQuery]), response: { 200: Page(FindingSummary) } },
    },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const { items, total } = await findings.listFindings(services, principalOf(request), search, pageWindow({ page, pageSize }));
      return { items, total, page, pageSize };
    },
  );

  app.get(
    '/api/compare/findings.csv',
    { config: { permission: 'compare:finding:read' }, schema: { tags: ['compare'], querystring: FindingQuery } },
    async (request, reply) => {
      const { body, disposition } = csvDownload('findings', findings.FINDING_EXPORT_COLUMNS, findings.exportFindings(services, principalOf(request), request.query));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', disposition).send(body);
    },
  );

  app.get(
    '/api/compare/totals',
    {
      config: { permission: 'compare:finding:read' },
      schema: {
        tags: ['compare'],
        querystring: Type.Object({ placeId: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Type.Object({ rules: Type.Array(Type.Object({ rule: Type.String(), ...Counts, ...Money })), total: Type.Object({ ...Counts, ...Money }) }) },
      },
    },
    async (request) => findings.getTotals(services, principalOf(request), request.query),
  );

  app.get(
    '/api/compare/findings/:id',
    { config: { permission: 'compare:finding:read' }, schema: { tags: ['compare'], params: IdParams, response: { 200: FindingDetail } } },
    async (request) => detail(request, request.params.id),
  );

  app.post(
    '/api/compare/findings/:id/unmask',
    {
      config: { permission: 'compare:finding:unmask' },
      schema: {
        tags: ['compare'],
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ idNumber: Type.String(), evidence: Type.Record(Type.String(), Type.Unknown()) }) },
      },
    },
    async (request) => findings.unmaskFinding(services, principalOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/api/compare/findings/:id/confirm',
    {
      config: { permission: 'compare:finding:handle' },
      schema: { tags: ['compare'], params: IdParams, body: Type.Object({ note: Note, amountToRecover: Type.Optional(Amount) }), response: { 200: FindingDetail } },
    },
    async (request) => {
      await findings.confirmFinding(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/compare/findings/:id/dismiss',
    {
      config: { permission: 'compare:finding:handle' },
      schema: { tags: ['compare'], params: IdParams, body: Type.Object({ reason: Type.Enum([...DISMISSAL_REASONS]), note: Note }), response: { 200: FindingDetail } },
    },
    async (request) => {
      await findings.dismissFinding(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.put(
    '/api/compare/findings/:id/amount-to-recover',
    {
      config: { permission: 'compare:finding:handle' },
      schema: { tags: ['compare'], params: IdParams, body: Type.Object({ amount: Amount, note: Type.Optional(Note) }), response: { 200: FindingDetail } },
    },
    async (request) => {
      await findings.setAmountToRecover(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/compare/findings/:id/recoveries',
    {
      config: { permission: 'compare:finding:handle' },
      schema: {
        tags: ['compare'],
        params: IdParams,
        body: Type.Object({ amount: Amount, recoveredOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), note: Type.Optional(Note) }),
        response: { 201: FindingDetail },
      },
    },
    async (request, reply) => {
      await findings.recordRecovery(services, principalOf(request), request.params.id, request.body);
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  app.post(
    '/api/compare/findings/:id/settle',
    {
      config: { permission: 'compare:finding:handle' },
      schema: { tags: ['compare'], params: IdParams, body: Type.Object({ note: Type.Optional(Note) }), response: { 200: FindingDetail } },
    },
    async (request) => {
      await findings.settleFinding(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  // Lists: the route needs a compare permission; which one depends on the list (checked in the service).
  app.get(
    '/api/compare/listings',
    {
      schema: { tags: ['compare'], querystring: Type.Intersect([PageQuery, ListingQuery]), response: { 200: Page(ListingView) } },
    },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const { items, total } = await listings.listListings(services, principalOf(request), search, pageWindow({ page, pageSize }));
      return { items, total, page, pageSize };
    },
  );

  app.get(
    '/api/compare/listings.csv',
    { schema: { tags: ['compare'], querystring: ListingQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      listings.requireListingPermission(principal, request.query.handling);
      const { body, disposition } = csvDownload(request.query.handling.replace('_', '-'), listings.LISTING_EXPORT_COLUMNS, listings.exportListings(services, principal, request.query));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', disposition).send(body);
    },
  );

  app.get(
    '/api/compare/listings/streets',
    {
      schema: {
        tags: ['compare'],
        querystring: Type.Object({ handling: Handling }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ streetId: Nullable(Type.Integer()), streetName: Nullable(Type.String()), count: Type.Integer() })) }) },
      },
    },
    async (request) => ({ items: await listings.countListingsByStreet(services, principalOf(request), request.query.handling) }),
  );
};
