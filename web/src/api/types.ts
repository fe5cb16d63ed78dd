/**
 * Wire types of the minsheng JSON API, as the console reads them. Identifiers may arrive as numbers
 * or as strings (64-bit keys), so the console never does arithmetic on them: it compares `String(id)`.
 */

/** A database identifier as sent by the server. */
export type Id = number | string;

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A role of the signed-in account, with both display names. */
export interface Role {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The levels of the administrative tree, top down. */
export const PLACE_LEVELS = ['city', 'district', 'street', 'community', 'grid', 'microgrid'] as const;

/** One level of the administrative tree. */
export type PlaceLevel = (typeof PLACE_LEVELS)[number];

/** The region an account may see: the root of its data scope. */
export interface Scope {
  placeId: Id | null;
  path: string;
  name: string;
  level: PlaceLevel | null;
}

/** The signed-in account (GET /api/auth/me). */
export interface Me {
  id: Id;
  username: string;
  displayName: string;
  roles: Role[];
  permissions: string[];
  scope: Scope;
}

/** Counts for the dashboard (GET /api/stats/overview), all within the account's scope. */
export interface Overview {
  residents: number;
  households: number;
  organisations: number;
  grids: number;
  microgrids: number;
}

/** A node of the administrative tree. */
export interface Place {
  id: Id;
  code: string;
  name: string;
  level: PlaceLevel;
  parentId: Id | null;
  childCount: number;
}

/** A place with its ancestors (root first) and centre point. */
export interface PlaceDetail extends Place {
  ancestors: Place[];
  centerLon: number | null;
  centerLat: number | null;
}

/** Properties of one region of a place map. */
export interface PlaceFeatureProperties {
  id: Id;
  code: string;
  name: string;
  level: PlaceLevel;
  residentCount: number;
}

/** A GeoJSON geometry, as far as the console needs to know it. */
export interface Geometry {
  type: string;
  coordinates: unknown;
}

/** One region of a place map. */
export interface PlaceFeature {
  type: 'Feature';
  geometry: Geometry | null;
  properties: PlaceFeatureProperties;
}

/** The children of a place as a GeoJSON FeatureCollection (GET /api/places/:id/map). */
export interface PlaceMap {
  type: 'FeatureCollection';
  features: PlaceFeature[];
}

/** Gender as recorded from the resident ID. */
export type Gender = 'male' | 'female';

/** Life status of a resident record. */
export type ResidentStatus = 'active' | 'deceased' | 'moved_out';

/** A resident as listed: personal fields arrive masked. */
export interface ResidentSummary {
  id: Id;
  name: string;
  gender: Gender;
  birthDate: string;
  age: number;
  idNumberMasked: string;
  phoneMasked: string | null;
  placeId: Id;
  placeName: string;
  householdId: Id | null;
  tags: string[];
  status: ResidentStatus | string;
}

/** A resident's full record, still masked. */
export interface ResidentDetail extends ResidentSummary {
  addressMasked: string | null;
  ethnicity: string | null;
  relationToHead: string | null;
  household: { id: Id; householdNumber: string } | null;
  placePath: Place[];
  createdAt: string;
  updatedAt: string;
}

/** The clear personal fields returned by an audited unmask request. */
export interface UnmaskedResident {
  idNumber: string;
  phone: string | null;
  address: string | null;
}

/** A household (户) as listed. */
export interface HouseholdSummary {
  id: Id;
  householdNumber: string;
  placeId: Id;
  placeName: string;
  addressMasked: string | null;
  memberCount: number;
  headName: string | null;
}

/** A member of a household, with the relation to its head. */
export interface HouseholdMember extends ResidentSummary {
  relationToHead?: string | null;
}

/** A household with its members. */
export interface HouseholdDetail extends HouseholdSummary {
  members: HouseholdMember[];
}

/** The kinds of organisation the registry holds. */
export const ORGANISATION_KINDS = [
  'government',
  'department',
  'street_office',
  'community_committee',
  'enterprise',
  'social_organisation',
  'charity',
  'volunteer_team',
] as const;

/** One kind of organisation. */
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** An organisation as listed. */
export interface OrganisationSummary {
  id: Id;
  kind: OrganisationKind;
  name: string;
  creditCode: string | null;
  placeId: Id | null;
  placeName: string | null;
  legalRepresentative: string | null;
  status: string;
}

/** An organisation's record; fields beyond the summary are shown when the server sends them. */
export interface OrganisationDetail extends OrganisationSummary {
  phoneMasked?: string | null;
  address?: string | null;
  parentId?: Id | null;
  parentName?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** What an import file holds. */
export const IMPORT_KINDS = ['residents', 'households', 'organisations'] as const;

/** One kind of import. */
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** State of an import job. */
export type ImportStatus = 'running' | 'completed' | 'failed';

/** A bulk import and its outcome. */
export interface ImportJob {
  id: Id;
  kind: ImportKind;
  fileName: string;
  encoding: string | null;
  status: ImportStatus;
  totalRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One rejected row of an import. */
export interface ImportRowError {
  rowNumber: number;
  field: string | null;
  reason: string;
}

/** One entry of the hash-chained audit log. */
export interface AuditEntry {
  id: Id;
  at: string;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  details: unknown;
}

/** Outcome of re-computing the audit hash chain. */
export interface AuditVerification {
  checked: number;
  /** Entries written but not sealed into the chain yet. */
  pending: number;
  isIntact: boolean;
  headHash: string | null;
  problems: { id: Id; reason: string }[];
}

/** The work queues of matters (事项): what is left to do, about to fall due, late, or done. */
export const MATTER_QUEUES = ['open', 'due_soon', 'overdue', 'closed'] as const;

/** One work queue (`all` is accepted by the API as well). */
export type MatterQueue = (typeof MATTER_QUEUES)[number] | 'all';

/** A matter as listed in a work queue. */
export interface MatterSummary {
  id: Id;
  reference: string;
  typeCode: string;
  state: string;
  title: string;
  placeId: Id | null;
  stepDueAt: string | null;
  /** Set while the deadline waits for this year's holidays to be entered. */
  duePendingYear: number | null;
  isOverdue: boolean;
  escalationLevel: number;
  /** 1 for the first handling; 2 and more after an unsatisfied callback (二次办理). */
  round: number;
  createdAt: string;
}

/** What happened to a matter. */
export type MatterEventKind = 'created' | 'transition' | 'note' | 'warned' | 'escalated' | 'deadline_set';

/** One entry of a matter's timeline. */
export interface MatterEvent {
  at: string;
  actorName: string | null;
  kind: MatterEventKind | string;
  action: string | null;
  fromState: string | null;
  toState: string | null;
  /** May hold note, dueAt, round, isSolved, level, targetPath. */
  details: Record<string, unknown> | null;
}

/** A matter with its timeline (GET /api/matters/:id). */
export interface MatterDetail {
  id: Id;
  reference: string;
  typeCode: string;
  state: string;
  title: string;
  description: string | null;
  placeId: Id | null;
  stepSeq: number;
  stepDueAt: string | null;
  /** Set while the deadline waits for this year's holidays to be entered. */
  duePendingYear: number | null;
  escalationLevel: number;
  round: number;
  createdAt: string;
  closedAt: string | null;
  timeline: MatterEvent[];
}

/** The nature of an appeal (诉求类型). */
export const APPEAL_KINDS = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const;

/** One nature of appeal. */
export type AppealKind = (typeof APPEAL_KINDS)[number];

/** The door an appeal came in through (受理渠道). */
export const APPEAL_DOORS = ['hotline', 'snap', 'grid_patrol', 'work_safety', 'kiosk'] as const;

/** One intake door. */
export type AppealDoor = (typeof APPEAL_DOORS)[number];

/** A new appeal as the intake form sends it (POST /api/appeals). */
export interface AppealInput {
  kind: AppealKind;
  door: AppealDoor;
  categoryCode: string;
  title: string;
  description?: string;
  placeId?: number;
  lon?: number;
  lat?: number;
  reporterName?: string;
  reporterPhone?: string;
}

/** Triage of a new appeal (三事分流): its scale and the level that handles it. */
export interface AppealTriage {
  matterId: Id;
  scale: 'major' | 'minor' | 'private' | string;
  handlerLevel: 'department' | 'street' | 'community' | 'grid' | 'resident' | string;
  handlerOrganisationId: Id | null;
}

/** Dimensions the appeal KPIs are grouped by. */
export const KPI_DIMENSIONS = ['category', 'place', 'organisation', 'month'] as const;

/** One KPI dimension. */
export type KpiDimension = (typeof KPI_DIMENSIONS)[number];

/** The appeal KPIs of one group; rates are 0..1, null when nothing was measurable. */
export interface AppealKpi {
  key: string;
  total: number;
  responseRate: number | null;
  onTimeClosureRate: number | null;
  solvedRate: number | null;
  satisfactionRate: number | null;
  averageHandlingHours: number | null;
}

/** An open appeal that looks like the same problem. */
export interface DuplicateCandidate {
  id: Id;
  reference: string;
  title: string;
  state: string;
  distanceMetres: number;
}
