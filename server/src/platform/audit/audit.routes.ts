import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../http/context.ts';
import { Page, PageQuery, pageWindow } from '../http/schemas.ts';
import { auditActorOf } from '../auth/principal.ts';
import { appendAudit, findAuditEntries, sealAuditTrail } from './audit.repository.ts';
import { verifyAuditChain } from './audit.service.ts';

const AuditEntryView = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

/** The audit log viewer and the chain verification. */
export const auditRoutes: RoutesPlugin = async (app, { db }) => {
  app.get(
    '/api/audit',
    {
      config: { permission: 'platform:audit:read' },
      schema: {
        tags: ['audit'],
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            action: Type.Optional(Type.String({ maxLength: 100 })),
            entityType: Type.Optional(Type.String({ maxLength: 100 })),
            entityId: Type.Optional(Type.String({ maxLength: 100 })),
            actorId: Type.Optional(Type.Integer({ minimum: 1 })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          }),
        ]),
        response: { 200: Page(AuditEntryView) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filters } = request.query;
      const { rows, total } = await findAuditEntries(db, { ...filters, ...pageWindow({ page, pageSize }) });
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          ip: r.ip,
          details: r.details,
        })),
        total,
        page,
        pageSize,
      };
    },
  );

  app.post(
    '/api/audit/verify',
    {
      config: { permission: 'platform:audit:verify' },
      schema: {
        tags: ['audit'],
        response: {
          200: Type.Object({
            checked: Type.Integer(),
            pending: Type.Integer(),
            isIntact: Type.Boolean(),
            headHash: Type.String(),
            problems: Type.Array(Type.Object({ id: Type.Integer(), reason: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      await sealAuditTrail(db);
      const result = await verifyAuditChain(db);
      await db.transaction().execute((trx) =>
        appendAudit(trx, auditActorOf(principalOf(request)), {
          action: 'audit.verified',
          entityType: 'audit_log',
          details: { checked: result.checked, isIntact: result.isIntact, problems: result.problems.length },
        }),
      );
      return { ...result, problems: result.problems.slice(0, 1000) };
    },
  );
};
