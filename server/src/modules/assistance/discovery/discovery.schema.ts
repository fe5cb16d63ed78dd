import { Type } from 'typebox';
import { Nullable } from '../../../platform/http/schemas.ts';
import { WARNING_KINDS, WARNING_OUTCOMES } from './warning-type.ts';
import { MatterTimelineEntry } from '../../matters/index.ts';

const Note = Type.String({ maxLength: 2000 });
const Needs = Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** A warning kind. */
export const WarningKindSchema = Type.Enum([...WARNING_KINDS]);
/** A decision on a warning. */
export const WarningOutcomeSchema = Type.Enum([...WARNING_OUTCOMES]);

/** Reference data of the discovery pages: categories, needs, warning kinds and outcomes. */
export const DiscoveryReference = Type.Object({
  categories: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), isCoverage: Type.Boolean(), sourceTags: Type.Array(Type.String()) })),
  needs: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  warningKinds: Type.Array(Type.Object({ code: Type.String(), isRaised: Type.Boolean() })),
  outcomes: Type.Array(Type.String()),
});

/** A warning as the queue lists it (the person masked). */
export const WarningSummary = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  matterId: Type.Integer(),
  reference: Type.String(),
  state: Type.String(),
  isOpen: Type.Boolean(),
  dueAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  escalationLevel: Type.Integer(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  residentId: Nullable(Type.Integer()),
  householdId: Nullable(Type.Integer()),
  placeId: Type.Integer(),
  placeName: Type.String(),
  organisationId: Nullable(Type.Integer()),
  organisationName: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  needs: Type.Array(Type.String()),
  outcome: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** A page of the queue with open warnings per kind in the region. */
export const WarningPage = Type.Object({
  items: Type.Array(WarningSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  openByKind: Type.Array(Type.Object({ kind: Type.String(), open: Type.Integer() })),
});

/** Filters of the queue. */
export const WarningQuery = Type.Object({
  kind: Type.Optional(WarningKindSchema),
  state: Type.Optional(Type.String({ maxLength: 40, description: 'open, closed, all, or a state of the 预警核查 type' })),
  placeId: Type.Optional(Type.Integer({ minimum: 1 })),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name prefix or a full ID number' })),
  mine: Type.Optional(Type.Boolean()),
});

/** A resource matching a warning. */
export const MatchedResource = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  providerName: Type.String(),
  kind: Type.String(),
  placeId: Type.Integer(),
  placeName: Type.String(),
  placesLeft: Type.Integer(),
  validUntil: Nullable(Type.String()),
  contactName: Type.String(),
  contactPhoneMasked: Nullable(Type.String()),
});

/** One warning with its evidence, timeline, linked and matching resources, and what may be done. */
export const WarningDetail = Type.Intersect([
  WarningSummary,
  Type.Object({
    evidence: Type.Record(Type.String(), Type.Unknown()),
    note: Type.String(),
    outcomeReason: Nullable(Type.String()),
    decidedAt: Nullable(Type.String()),
    sourceListingId: Nullable(Type.Integer()),
    sourceRunId: Nullable(Type.Integer()),
    sourceMonitoringEntryId: Nullable(Type.Integer()),
    timeline: Type.Array(MatterTimelineEntry),
    linkedResources: Type.Array(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        providerName: Type.String(),
        kind: Type.String(),
        contactName: Type.String(),
        contactPhoneMasked: Nullable(Type.String()),
        note: Type.String(),
        linkedAt: Type.String(),
        linkedBy: Nullable(Type.String()),
      }),
    ),
    matchedResources: Type.Array(MatchedResource),
    /** verify, one of the outcomes, set_needs, link_resource. */
    actions: Type.Array(Type.String()),
  }),
]);

/** A grid worker's visit. */
export const GridVisitBody = Type.Object({
  residentId: Type.Optional(Type.Integer({ minimum: 1 })),
  idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 40 })),
  name: Type.Optional(Type.String({ maxLength: 50 })),
  placeId: Type.Optional(Type.Integer({ minimum: 1 })),
  needs: Needs,
  note: Note,
});

/** A warning just raised. */
export const RaisedWarningView = Type.Object({ id: Type.Integer(), matterId: Type.Integer(), reference: Type.String(), organisationId: Nullable(Type.Integer()), adviserId: Nullable(Type.Integer()) });

/** Body of the verification. */
export const VerifyBody = Type.Object({ note: Note });
/** Body of a decision. */
export const DecisionBody = Type.Object({ outcome: WarningOutcomeSchema, reason: Note, categoryCode: Type.Optional(Type.String({ maxLength: 40 })) });
/** Body of a resource link. */
export const LinkBody = Type.Object({ resourceId: Type.Integer({ minimum: 1 }), note: Type.Optional(Note) });
/** Body of the needs of a warning. */
export const NeedsBody = Type.Object({ needs: Needs });

/** What a manual sync did. */
export const SyncView = Type.Object({
  registry: Type.Object({ added: Type.Integer(), ended: Type.Integer(), leftCoverageWarnings: Type.Integer(), breadwinnerWarnings: Type.Integer() }),
  illness: Type.Object({ raised: Type.Integer(), alreadyOpen: Type.Integer(), decided: Type.Integer(), lapsed: Type.Integer() }),
});

/** An entry of the monitoring list (the person masked). */
export const MonitoringEntry = Type.Object({
  id: Type.Integer(),
  categoryCode: Type.String(),
  categoryNameZh: Type.String(),
  categoryNameEn: Type.String(),
  residentId: Nullable(Type.Integer()),
  name: Type.String(),
  idNumberMasked: Type.String(),
  householdId: Nullable(Type.Integer()),
  placeId: Type.Integer(),
  placeName: Type.String(),
  since: Type.String(),
  until: Nullable(Type.String()),
  source: Type.String(),
  endReason: Nullable(Type.String()),
  note: Type.String(),
  updatedAt: Type.String(),
});

/** Filters of the monitoring list and its export. */
export const MonitoringQuery = Type.Object({
  categoryCode: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(Type.Enum(['open', 'ended', 'left_within_year', 'all'])),
  placeId: Type.Optional(Type.Integer({ minimum: 1 })),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name prefix or a full ID number' })),
  householdId: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** The categories with their counts in the region. */
export const MonitoringCounts = Type.Object({
  categories: Type.Array(
    Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), isCoverage: Type.Boolean(), sourceTags: Type.Array(Type.String()), open: Type.Integer(), leftWithinYear: Type.Integer() }),
  ),
  people: Type.Integer(),
});

/** A resident put on the list by hand. */
export const MonitoringAddBody = Type.Object({ residentId: Type.Integer({ minimum: 1 }), categoryCode: Type.String({ maxLength: 40 }), since: Type.Optional(IsoDate), note: Type.Optional(Note) });
/** Ending an entry. */
export const MonitoringEndBody = Type.Object({ until: Type.Optional(IsoDate), reason: Note });

/** A resource of the catalogue (the contact phone masked). */
export const ResourceView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  providerName: Type.String(),
  providerOrganisationId: Nullable(Type.Integer()),
  kind: Type.String(),
  kindNameZh: Type.String(),
  kindNameEn: Type.String(),
  description: Type.String(),
  placeId: Type.Integer(),
  placeName: Type.String(),
  capacity: Type.Integer(),
  placesTaken: Type.Integer(),
  placesLeft: Type.Integer(),
  contactName: Type.String(),
  contactPhoneMasked: Nullable(Type.String()),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  isActive: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: Type.String(),
});

/** Filters of the catalogue. */
export const ResourceQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  available: Type.Optional(Type.Boolean()),
});

const ResourceFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  providerName: Type.String({ minLength: 1, maxLength: 100 }),
  providerOrganisationId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  kind: Type.String({ maxLength: 40 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  placeId: Type.Integer({ minimum: 1 }),
  capacity: Type.Integer({ minimum: 1, maximum: 100000 }),
  contactName: Type.Optional(Type.String({ maxLength: 50 })),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  validFrom: IsoDate,
  validUntil: Type.Optional(Nullable(IsoDate)),
  isActive: Type.Optional(Type.Boolean()),
};

/** A new resource. */
export const ResourceCreateBody = Type.Object(ResourceFields);
/** A resource rewritten at the version the editor saw. */
export const ResourceUpdateBody = Type.Object({ ...ResourceFields, version: Type.Integer({ minimum: 1 }) });
