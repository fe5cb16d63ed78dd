import path from 'node:path';
import { Type, type TObject, type TSchema } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import { BlobStore, DOCUMENT_TYPES } from '../../platform/storage/blob-store.ts';
import { MAX_ATTACHMENT_BYTES } from '../matters/index.ts';
import * as applications from './applications.service.ts';
import * as entitlements from './entitlements.service.ts';
import { HouseholdFactsSchema } from './facts.ts';

const TAGS = ['assistance'];

/** Every property of an object schema made optional (a draft may leave anything out). */
function optionalProperties(schema: TObject, omit: readonly string[] = []): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(schema.properties).filter(([name]) => !omit.includes(name)).map(([name, property]) => [name, Type.Optional(property)]));
}

const MemberFacts = (HouseholdFactsSchema.properties.members as unknown as { items: TObject }).items;

/** A member as an application declares them: name and ID number, and the facts the ID does not give. */
const MemberInput = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 50 })),
    idNumber: Type.Optional(Type.String({ maxLength: 30 })),
    ...optionalProperties(MemberFacts, ['age', 'gender']),
  },
  { additionalProperties: false },
);

/** What an application holds; everything may be left out of a draft (what is missing is listed). */
const ApplicationInput = Type.Object(
  {
    placeCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,20}$' })),
    applicant: Type.Optional(
      Type.Object(
        { name: Type.Optional(Type.String({ maxLength: 50 })), idNumber: Type.Optional(Type.String({ maxLength: 30 })), phone: Type.Optional(Type.String({ maxLength: 30 })) },
        { additionalProperties: false },
      ),
    ),
    members: Type.Optional(Type.Array(MemberInput, { maxItems: 20 })),
    household: Type.Optional(Type.Object(optionalProperties(HouseholdFactsSchema, ['members']), { additionalProperties: false })),
    situation: Type.Optional(Type.String({ maxLength: 2000 })),
    consentDataCheck: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Missing = Type.Array(Type.Object({ field: Type.String(), message: Type.String() }));
const Names = Type.Object({ zh: Type.String(), en: Type.String() });
const DraftSaved = Type.Object({ id: Type.Integer(), reference: Type.String(), missing: Missing });

const ApplicationSummary = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  applicantName: Type.String(),
  applicantIdNumberMasked: Nullable(Type.String()),
  placeName: Nullable(Type.String()),
  missingCount: Type.Integer(),
  bundleReference: Nullable(Type.String()),
  bundleState: Nullable(Type.String()),
  bundleDueAt: Nullable(Type.String()),
  itemStates: Type.Record(Type.String(), Type.Integer()),
  createdAt: Type.String(),
  submittedAt: Nullable(Type.String()),
});

const ItemView = Type.Object({
  id: Type.Integer(),
  policyCode: Type.String(),
  policyName: Names,
  department: Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }),
  organisationName: Nullable(Type.String()),
  categoryCode: Type.String(),
  mode: Type.String(),
  modeReason: Type.String(),
  amountFen: Nullable(Type.Integer()),
  benefitPeriod: Type.String(),
  matterId: Type.Integer(),
  matterReference: Type.String(),
  state: Type.String(),
  dueAt: Nullable(Type.String()),
  duePendingYear: Nullable(Type.Integer()),
  decision: Nullable(Type.String()),
  decisionReason: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  appealAdvice: Nullable(Names),
  errors: Type.Array(Type.String()),
  explanation: Nullable(Type.Unknown()),
});

const ApplicationView = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  applicantName: Type.String(),
  applicantIdNumberMasked: Nullable(Type.String()),
  phoneMasked: Nullable(Type.String()),
  place: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  members: Type.Array(Type.Object({ name: Type.String(), idNumberMasked: Nullable(Type.String()), relation: Type.String() })),
  situation: Type.String(),
  consentDataCheck: Type.Boolean(),
  materials: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), fileName: Type.String(), contentType: Type.String(), size: Type.Integer() })),
  missing: Missing,
  createdAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  bundle: Nullable(Type.Object({ matterId: Type.Integer(), reference: Type.String(), state: Type.String(), dueAt: Nullable(Type.String()), duePendingYear: Nullable(Type.Integer()) })),
  items: Type.Array(ItemView),
  economicCheck: Nullable(Type.Unknown()),
  evaluatedFacts: Nullable(Type.Unknown()),
  draft: Nullable(Type.Unknown()),
});

const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

const EntitlementView = Type.Object({
  id: Type.Integer(),
  applicationId: Type.Integer(),
  applicationReference: Type.String(),
  payeeName: Type.String(),
  payeeIdNumberMasked: Type.String(),
  departmentCode: Type.String(),
  policyCode: Type.String(),
  policyName: Names,
  categoryCode: Type.String(),
  period: Type.String(),
  amountFen: Type.Integer(),
  startMonth: Type.String(),
  endMonth: Nullable(Type.String()),
  status: Type.String(),
  stopReason: Nullable(Type.String()),
  stopNote: Nullable(Type.String()),
  paidFen: Type.Integer(),
  toRecoverFen: Type.Integer(),
});

const DeathsOutcome = Type.Object({ datasetId: Nullable(Type.Integer()), deathsRead: Type.Integer(), stopped: Type.Integer(), paymentsToRecover: Type.Integer(), amountToRecoverFen: Type.Integer() });

/**
 * 一件事联办 over HTTP: drafts, materials, submission, each item's decision, and the entitlement
 * ledger with its monthly payment run and reconciliation. A resident reaches only their own
 * applications; staff those of their region (the services decide which).
 */
export const applicationsRoutes: RoutesPlugin = async (app, services) => {
  const blobs = new BlobStore(path.join(services.config.dataDir, 'blobs'));

  app.get(
    '/api/assistance/applications',
    {
      schema: {
        tags: TAGS,
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(Type.Enum(['draft', 'submitted', 'withdrawn'])),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            matterId: Type.Optional(Type.Integer({ minimum: 1, description: 'the application whose bundle or one of whose items is this matter' })),
          }),
        ]),
        response: { 200: Page(ApplicationSummary) },
      },
    },
    async (request) => {
      const { page, pageSize, status, q, matterId } = request.query;
      const result = await applications.listApplications(services, principalOf(request), { status, q, matterId }, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.post('/api/assistance/applications', { schema: { tags: TAGS, body: ApplicationInput, response: { 201: DraftSaved } } }, async (request, reply) =>
    reply.status(201).send(await applications.createDraft(services, principalOf(request), request.body)),
  );

  app.get('/api/assistance/applications/:id', { schema: { tags: TAGS, params: IdParams, response: { 200: ApplicationView } } }, async (request) =>
    applications.getApplication(services, principalOf(request), request.params.id),
  );

  app.put('/api/assistance/applications/:id', { schema: { tags: TAGS, params: IdParams, body: ApplicationInput, response: { 200: DraftSaved } } }, async (request) =>
    applications.updateDraft(services, principalOf(request), request.params.id, request.body),
  );

  app.post('/api/assistance/applications/:id/submit', { schema: { tags: TAGS, params: IdParams, response: { 200: ApplicationView } } }, async (request) => {
    const principal = principalOf(request);
    await applications.submitApplication(services, principal, request.params.id);
    return applications.getApplication(services, principal, request.params.id);
  });

  app.post(
    '/api/assistance/applications/:id/withdraw',
    { schema: { tags: TAGS, params: IdParams, body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: ApplicationView } } },
    async (request) => applications.withdrawApplication(services, principalOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/api/assistance/applications/:id/materials',
    { schema: { tags: TAGS, consumes: ['multipart/form-data'], params: IdParams, response: { 201: Type.Object({ missing: Missing, materials: Type.Array(Type.Object({ code: Type.String(), fileName: Type.String() })) }) } } },
    async (request, reply) => {
      let code = '';
      let stored: Awaited<ReturnType<BlobStore['put']>> | undefined;
      let fileName = '';
      for await (const part of request.parts({ limits: { fileSize: MAX_ATTACHMENT_BYTES + 1 } })) {
        if (part.type === 'field' && part.fieldname === 'material') code = String(part.value);
        else if (part.type === 'file') {
          stored = await blobs.put(part.file, MAX_ATTACHMENT_BYTES, DOCUMENT_TYPES);
          if (part.file.truncated) throw new AppError('INVALID_FILE', 'file is larger than the limit');
          fileName = path.basename(part.filename).slice(0, 200);
        }
      }
      if (!stored) throw new AppError('VALIDATION_FAILED', 'file is required', { fields: [{ field: 'file', message: 'required' }] });
      const result = await applications.addMaterial(services, principalOf(request), request.params.id, { code, fileName, ...stored });
      return reply.status(201).send({ missing: result.missing, materials: result.materials.map((m) => ({ code: m.code, fileName: m.fileName })) });
    },
  );

  app.get(
    '/api/assistance/applications/:id/materials/:index',
    { schema: { tags: TAGS, params: Type.Object({ id: Type.Integer({ minimum: 1 }), index: Type.Integer({ minimum: 0 }) }) } },
    async (request, reply) => {
      const material = await applications.getMaterial(services, principalOf(request), request.params.id, request.params.index);
      return reply.type(material.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(blobs.open(material.sha256));
    },
  );

  app.post(
    '/api/assistance/items/:id/decision',
    {
      config: { permission: 'assistance:item:review' },
      schema: {
        tags: TAGS,
        params: IdParams,
        body: Type.Object(
          { decision: Type.Enum(['grant', 'refuse']), reason: Type.Optional(Type.String({ maxLength: 2000 })), amountFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })) },
          { additionalProperties: false },
        ),
        response: { 200: ApplicationView },
      },
    },
    async (request) => applications.decideItem(services, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/assistance/items/:id/review',
    {
      config: { permission: 'assistance:item:review' },
      schema: { tags: TAGS, params: IdParams, body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: ApplicationView } },
    },
    async (request) => applications.takeItemIntoReview(services, principalOf(request), request.params.id, request.body.note),
  );

  app.get(
    '/api/assistance/entitlements',
    {
      config: { permission: 'assistance:entitlement:read' },
      schema: {
        tags: TAGS,
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({ status: Type.Optional(Type.Enum(['active', 'stopped'])), departmentCode: Type.Optional(Type.String({ maxLength: 40 })), applicationId: Type.Optional(Type.Integer({ minimum: 1 })) }),
        ]),
        response: { 200: Page(EntitlementView) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      const result = await entitlements.listEntitlements(services, principalOf(request), filter, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/assistance/entitlements/:id/ledger',
    {
      config: { permission: 'assistance:entitlement:read' },
      schema: { tags: TAGS, params: IdParams, response: { 200: Type.Object({ id: Type.Integer(), payments: Type.Array(Type.Object({ month: Type.String(), amountFen: Type.Integer(), status: Type.String() })) }) } },
    },
    async (request) => entitlements.getLedger(services, principalOf(request), request.params.id),
  );

  app.post(
    '/api/assistance/entitlements/:id/stop',
    {
      config: { permission: 'assistance:entitlement:manage' },
      schema: {
        tags: TAGS,
        params: IdParams,
        body: Type.Object({ reason: Type.Enum(['ineligible', 'withdrawn']), note: Type.String({ maxLength: 2000 }), lastMonth: Month }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.Integer(), lastMonth: Nullable(Type.String()), paymentsToRecover: Type.Integer() }) },
      },
    },
    async (request) => entitlements.stopEntitlement(services, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/assistance/entitlements/apply-deaths',
    {
      config: { permission: 'assistance:entitlement:manage' },
      schema: { tags: TAGS, body: Type.Object({ datasetId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), response: { 200: DeathsOutcome } },
    },
    async (request) => entitlements.applyDeathsDataset(services, principalOf(request), request.body.datasetId),
  );

  app.post(
    '/api/assistance/payments/runs',
    {
      config: { permission: 'assistance:entitlement:manage' },
      schema: {
        tags: TAGS,
        body: Type.Object({ month: Month }, { additionalProperties: false }),
        response: { 200: Type.Object({ month: Type.String(), payments: Type.Integer(), totalFen: Type.Integer(), deaths: DeathsOutcome }) },
      },
    },
    async (request) => entitlements.runMonthlyPayments(services, principalOf(request), request.body.month),
  );

  app.get(
    '/api/assistance/payments/reconciliation',
    {
      config: { permission: 'assistance:entitlement:read' },
      schema: {
        tags: TAGS,
        querystring: Type.Object({ month: Month }),
        response: {
          200: Type.Object({
            month: Type.String(),
            lines: Type.Array(
              Type.Object({
                departmentCode: Type.String(),
                departmentName: Names,
                owedCount: Type.Integer(),
                owedFen: Type.Integer(),
                paidCount: Type.Integer(),
                paidFen: Type.Integer(),
                toRecoverCount: Type.Integer(),
                toRecoverFen: Type.Integer(),
                unpaidCount: Type.Integer(),
                paidNotOwedCount: Type.Integer(),
                balances: Type.Boolean(),
              }),
            ),
            totals: Type.Object({ owedFen: Type.Integer(), paidFen: Type.Integer(), toRecoverFen: Type.Integer(), balances: Type.Boolean() }),
          }),
        },
      },
    },
    async (request) => entitlements.reconcileMonth(services, principalOf(request), request.query.month),
  );
};
