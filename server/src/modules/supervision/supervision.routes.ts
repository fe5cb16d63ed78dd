import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { ErrorResponse, Nullable, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import { getOverdueBoard, type Overdue } from './supervision.service.ts';

const OverdueSchema = Type.Object({ workingDays: Nullable(Type.Integer()), hours: Type.Integer() });
const LevelCounts = { total: Type.Integer(), notEscalated: Type.Integer(), firstEscalation: Type.Integer(), secondEscalation: Type.Integer() };

const present = (overdue: Overdue) => ({ workingDays: overdue.workingDays, hours: overdue.hours });

/** Supervision (督办) over HTTP: the overdue board. */
export const supervisionRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/supervision/overdue',
    {
      config: { permission: 'matters:supervision:read' },
      schema: {
        tags: ['supervision'],
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
            isUnassigned: Type.Optional(Type.Boolean({ description: 'only matters no organisation holds' })),
            level: Type.Optional(Type.Integer({ minimum: 0, maximum: 2, description: 'escalation level reached; 2 = second or more' })),
          }),
        ]),
        response: {
          200: Type.Object({
            asOf: Type.String(),
            summary: Type.Object({ ...LevelCounts, oldestDueAt: Nullable(Type.String()), oldestOverdue: Nullable(OverdueSchema) }),
            groups: Type.Array(
              Type.Object({ organisationId: Nullable(Type.Integer()), organisationName: Nullable(Type.String()), ...LevelCounts, oldestDueAt: Type.String(), oldestOverdue: OverdueSchema }),
            ),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                reference: Type.String(),
                typeCode: Type.String(),
                title: Type.String(),
                state: Type.String(),
                placeId: Nullable(Type.Integer()),
                placeName: Nullable(Type.String()),
                organisationId: Nullable(Type.Integer()),
                organisationName: Nullable(Type.String()),
                stepDueAt: Type.String(),
                escalationLevel: Type.Integer(),
                overdue: OverdueSchema,
              }),
            ),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          403: ErrorResponse,
        },
      },
    },
    async (request) => {
      const { page, pageSize, organisationId, isUnassigned, level } = request.query;
      const board = await getOverdueBoard({ db: services.db }, principalOf(request), { organisationId: isUnassigned ? null : organisationId, level }, pageWindow({ page, pageSize }));
      return {
        asOf: board.asOf.toISOString(),
        summary: { ...board.summary, oldestDueAt: board.summary.oldestDueAt?.toISOString() ?? null, oldestOverdue: board.summary.oldestOverdue ? present(board.summary.oldestOverdue) : null },
        groups: board.groups.map((g) => ({ ...g, oldestDueAt: g.oldestDueAt.toISOString(), oldestOverdue: present(g.oldestOverdue) })),
        items: board.items.map((m) => ({
          id: m.id,
          reference: m.reference,
          typeCode: m.type_code,
          title: m.title,
          state: m.state,
          placeId: m.place_id,
          placeName: m.place_name,
          organisationId: m.organisation_id,
          organisationName: m.organisation_name,
          stepDueAt: m.step_due_at.toISOString(),
          escalationLevel: m.escalation_level,
          overdue: present(m.overdue),
        })),
        total: board.total,
        page,
        pageSize,
      };
    },
  );
};
