import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row types for every table, as Kysely sees them. Kept by hand beside the migrations in
 * `./migrations`; a column added there is added here in the same commit.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Id = Generated<number>;
type Bytes = Uint8Array;

/** Administrative levels of the place tree, from the city down to the micro-grid. */
export type PlaceLevel = 'city' | 'district' | 'street' | 'community' | 'grid' | 'microgrid';

export interface PlacesTable {
  id: Id;
  code: string;
  name: string;
  level: PlaceLevel;
  parent_id: number | null;
  path: string;
  boundary: ColumnType<GeoJsonGeometry | null, string | null | undefined, string | null>;
  center_lon: number | null;
  center_lat: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude. */
export type GeoJsonGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Kinds of organisation in the registry. */
export type OrganisationKind =
  | 'government'
  | 'department'
  | 'street_office'
  | 'community_committee'
  | 'enterprise'
  | 'social_organisation'
  | 'charity'
  | 'volunteer_team';

export interface OrganisationsTable {
  id: Id;
  kind: OrganisationKind;
  name: string;
  credit_code: string | null;
  parent_id: number | null;
  place_id: number | null;
  scope_path: string;
  legal_representative: string | null;
  phone_enc: Bytes | null;
  phone_masked: string | null;
  address: string | null;
  status: Generated<'active' | 'inactive' | 'dissolved'>;
  record_hash: Bytes | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface HouseholdsTable {
  id: Id;
  household_number: string;
  place_id: number;
  place_path: string;
  address_enc: Bytes | null;
  address_masked: string | null;
  /** Keyed hash of the imported content: a re-import of the same data changes nothing. */
  record_hash: Bytes | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Life status of a registered resident. */
export type ResidentStatus = 'active' | 'deceased' | 'moved_out';

export interface ResidentsTable {
  id: Id;
  id_number_index: Bytes;
  id_number_enc: Bytes;
  id_number_masked: string;
  name: string;
  gender: 'male' | 'female';
  birth_date: string;
  ethnicity: string | null;
  phone_index: Bytes | null;
  phone_enc: Bytes | null;
  phone_masked: string | null;
  address_enc: Bytes | null;
  address_masked: string | null;
  household_id: number | null;
  relation_to_head: string | null;
  place_id: number;
  place_path: string;
  tags: Generated<string[]>;
  status: Generated<ResidentStatus>;
  record_hash: Bytes | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RolesTable {
  code: string;
  name_zh: string;
  name_en: string;
  permissions: string[];
  is_builtin: Generated<boolean>;
}

export interface UsersTable {
  id: Id;
  username: string;
  display_name: string;
  password_hash: string | null;
  organisation_id: number | null;
  scope_path: string;
  role_codes: string[];
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** A resident's sign-in mobile number: blind index (unique), SM4 ciphertext and mask; null for staff. */
  phone_index: Generated<Bytes | null>;
  phone_enc: Generated<Bytes | null>;
  phone_masked: Generated<string | null>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  ip: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ApiKeysTable {
  id: Id;
  user_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Id;
  at: ColumnType<Date, string, never>;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  /** Null until the entry is sealed into the chain. */
  prev_hash: string | null;
  hash: string | null;
  /** Position in the hash chain; null until sealed. */
  seal_seq: number | null;
}

export interface ReferenceVersionsTable {
  name: string;
  version: ColumnType<number, number, number>;
}

export interface CalendarYearsTable {
  year: number;
  source: string;
  updated_at: Timestamp;
}

export interface CalendarDaysTable {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** What an import job reads. */
export type ImportKind = 'residents' | 'households' | 'organisations';

export interface ImportJobsTable {
  id: Id;
  kind: ImportKind;
  file_name: string;
  file_sha256: string;
  encoding: string | null;
  status: 'running' | 'completed' | 'failed';
  total_rows: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  failed: Generated<number>;
  message: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export interface ImportErrorsTable {
  import_id: number;
  row_number: number;
  field: string | null;
  reason: string;
  raw: ColumnType<Record<string, string> | null, string | null, string | null>;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

export interface MatterTypesTable {
  code: string;
  name_zh: string;
  name_en: string;
  definition: ColumnType<unknown, string, string>;
  is_builtin: Generated<boolean>;
  updated_at: Timestamp;
}

export interface MattersTable {
  id: Id;
  reference: string;
  type_code: string;
  state: string;
  title: string;
  description: Generated<string>;
  place_id: number | null;
  place_path: string;
  lon: number | null;
  lat: number | null;
  assignee_organisation_id: number | null;
  step_seq: Generated<number>;
  step_started_at: Timestamp;
  step_due_at: Date | string | null;
  escalation_level: Generated<number>;
  round: Generated<number>;
  idempotency_key: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: Date | string | null;
  /** Set when this matter was merged into another as a duplicate. */
  merged_into_id: Generated<number | null>;
  /** The person of the assignee organisation who handles it (指派); reset by a transfer. */
  assignee_user_id: Generated<number | null>;
  /** The year whose holidays must be entered before this step's deadline can be set (migration 0016). */
  due_pending_year: Generated<number | null>;
  /** The time limit of the first step when not the type's (a policy's own limit, migration 0017). */
  first_step_limit: ColumnType<{ workingDays: number } | { hours: number } | null, string | null | undefined, string | null>;
}

/** What a timeline entry records. */
export type MatterEventKind =
  | 'created'
  | 'transition'
  | 'note'
  | 'warned'
  | 'escalated'
  | 'assigned'
  | 'co_handler_added'
  | 'co_handler_reported'
  | 'co_handler_withdrawn'
  | 'deadline_set';

export interface MatterEventsTable {
  id: Id;
  matter_id: number;
  at: ColumnType<Date, Date | string, never>;
  actor_id: number | null;
  actor_name: string;
  kind: MatterEventKind;
  action: string | null;
  from_state: string | null;
  to_state: string | null;
  step_seq: number;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

/** An assisting unit (协办) of a matter; the lead unit (主办) is the matter's assignee organisation. */
export interface MatterCoHandlersTable {
  matter_id: number;
  organisation_id: number;
  /** What the lead asks the unit to do. */
  request: Generated<string>;
  added_at: Date | string;
  added_by: number | null;
  reported_at: Date | string | null;
  reported_by: number | null;
  /** The unit's part of the answer (协办反馈); set together with reported_at. */
  report: string | null;
}

/** 三事分流: major matters go to departments, minor ones to the community, private ones to the resident. */
export type AppealScale = 'major' | 'minor' | 'private';
/** Who handles a triaged appeal. */
export type HandlerLevel = 'department' | 'street' | 'community' | 'grid' | 'resident';

export interface AppealCategoriesTable {
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  class: 'component' | 'event' | 'livelihood';
  default_scale: AppealScale;
  is_active: Generated<boolean>;
  sort: Generated<number>;
}

export interface TriageRulesTable {
  id: Id;
  priority: number;
  category_prefix: string | null;
  place_path: string | null;
  scale: AppealScale;
  handler_level: HandlerLevel;
  organisation_id: number | null;
  is_active: Generated<boolean>;
  note: string | null;
}

export interface AppealsTable {
  matter_id: number;
  kind: 'consultation' | 'help' | 'complaint' | 'report' | 'suggestion';
  category_code: string;
  door: 'hotline' | 'snap' | 'grid_patrol' | 'work_safety' | 'open311' | 'kiosk';
  scale: AppealScale;
  handler_level: HandlerLevel;
  handler_organisation_id: number | null;
  triage_rule_id: number | null;
  override_reason: string | null;
  reporter_name: string | null;
  reporter_phone_index: Bytes | null;
  reporter_phone_enc: Bytes | null;
  reporter_phone_masked: string | null;
  is_reporter_hidden: Generated<boolean>;
  /** The resident account that filed it (随手拍 by a signed-in resident), who follows and rates it. */
  reporter_user_id: Generated<number | null>;
}

/** Value types an Open311 service attribute may have (GeoReport v2 `datatype`). */
export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface AppealCategoryAttributesTable {
  category_code: string;
  code: string;
  datatype: AttributeDatatype;
  is_required: Generated<boolean>;
  description: string;
  datatype_description: Generated<string>;
  sort: Generated<number>;
  values: ColumnType<Array<{ key: string; name: string }> | null, string | null, string | null>;
}

export interface AppealAttributeValuesTable {
  matter_id: number;
  code: string;
  /** Multi-value answers are stored as a JSON array of keys. */
  value: string;
}

export interface Open311SubmissionsTable {
  matter_id: number;
  address_string: string | null;
  address_id: string | null;
  media_url: string | null;
  email_enc: Bytes | null;
  device_id: string | null;
  account_id: string | null;
}

export interface MatterAttachmentsTable {
  id: Id;
  matter_id: number;
  sha256: string;
  content_type: string;
  size: number;
  file_name: string;
  created_by: number | null;
  created_at: CreatedAt;
}

/** An article of the 12345 knowledge base (知识库) that agents answer from (直办). */
export interface KnowledgeArticlesTable {
  id: Id;
  /** Stable code of a shipped article; null for articles staff wrote. */
  code: string | null;
  category_code: string | null;
  title: string;
  body: string;
  /** Space-separated keywords. */
  keywords: Generated<string>;
  is_active: Generated<boolean>;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** Where a comparison finding was placed: the resident registry, the extract's area code, or the city. */
export type RegionSource = 'resident' | 'region_code' | 'city';

/** What a comparison rule's results become: 疑点核查 matters, a street's coverage list, or a social-assistance watch list. */
export type RuleHandling = 'audit_finding' | 'coverage_list' | 'assistance_watch';

/** An uploaded department extract (大数据比对 dataset) and its profile. */
export interface ComparisonDatasetsTable {
  id: Id;
  /** The engine's extract kind (`insured`, `deaths`…); plain text because the engine adds kinds. */
  kind: string;
  name: string;
  file_name: string;
  file_sha256: string;
  file_size: number;
  stored_path: string;
  status: Generated<'profiling' | 'ready' | 'invalid'>;
  encoding: string | null;
  rows_read: number | null;
  rows_loaded: number | null;
  rows_rejected: number | null;
  ids_valid: number | null;
  ids_invalid: number | null;
  /** Column → `{ min, max }` (YYYY-MM-DD) of every date column of the loaded extract. */
  date_ranges: ColumnType<Record<string, { min: string | null; max: string | null }>, string | undefined, string>;
  /** Parquet file of (id_norm, region_code) written while profiling, for placing findings. */
  region_index_path: string | null;
  /** Parquet file of the loaded rows with a valid ID, sorted by it (migration 0017). */
  person_index_path: Generated<string | null>;
  message: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  profiled_at: Date | null;
}

export interface ComparisonDatasetRejectsTable {
  dataset_id: number;
  seq: number;
  row_number: number;
  reason: string;
}

export interface ComparisonRunsTable {
  id: Id;
  as_of: string;
  /** Extract kind → dataset id. */
  datasets: ColumnType<Record<string, number>, string, string>;
  parameters: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<'queued' | 'running' | 'completed' | 'failed'>;
  stage: string | null;
  stages: ColumnType<Array<{ name: string; status: 'running' | 'done' | 'failed'; ms: number | null; detail?: string }>, string | undefined, string>;
  summary: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  outcome: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ComparisonRuleSettingsTable {
  rule: string;
  handling: RuleHandling;
  note: Generated<string>;
}

/** A suspect raised by a comparison, as a 疑点核查 matter (one row per matter). */
export interface ComparisonFindingsTable {
  id: Id;
  matter_id: number;
  rule: string;
  id_number_index: Bytes;
  id_number_enc: Bytes;
  id_number_masked: string;
  name: string;
  dataset: string;
  record_key: string;
  match_method: string;
  match_score: number;
  amount_at_stake_cents: number;
  /** The engine's evidence with ID numbers masked; the clear evidence is `evidence_enc`. */
  evidence: ColumnType<Record<string, unknown>, string, string>;
  evidence_enc: Bytes;
  /** Keyed hash of the linked records (sources without row numbers), to tell a material change. */
  linked_records_index: Bytes;
  place_id: number;
  place_path: string;
  region_source: RegionSource;
  first_run_id: number;
  last_run_id: number;
  previous_finding_id: number | null;
  dismissal_reason: 'false_match' | 'explained' | 'other' | null;
  amount_to_recover_cents: number | null;
  amount_recovered_cents: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ComparisonRecoveriesTable {
  id: Id;
  finding_id: number;
  amount_cents: number;
  recovered_on: string;
  note: Generated<string>;
  created_by: number | null;
  created_at: CreatedAt;
}

/** A result kept on a list rather than as a matter (应参保未参保, 因病致贫风险). */
export interface ComparisonListingsTable {
  id: Id;
  handling: Exclude<RuleHandling, 'audit_finding'>;
  rule: string;
  id_number_index: Bytes;
  id_number_enc: Bytes;
  id_number_masked: string;
  name: string;
  match_method: string;
  match_score: number;
  amount_cents: number;
  evidence: ColumnType<Record<string, unknown>, string, string>;
  evidence_enc: Bytes;
  place_id: number;
  place_path: string;
  /** The street (街道) above the person's place, null when only the district or city is known. */
  street_id: number | null;
  region_source: RegionSource;
  first_run_id: number;
  last_run_id: number;
  /** Raised by the latest run of its rule; false once a run no longer raises it. */
  is_current: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A department of the social-assistance catalogue; `organisation_name` is what each district's office is called. */
export interface AssistanceDepartmentsTable {
  code: string;
  name_zh: string;
  name_en: string;
  organisation_name: string;
  sort: Generated<number>;
}

/** An assistance category (低保, 特困 …). */
export interface AssistanceCategoriesTable {
  code: string;
  name_zh: string;
  name_en: string;
  sort: Generated<number>;
  is_active: Generated<boolean>;
}

/** A service list (服务清单) of the assistance catalogue. */
export interface AssistanceServiceListsTable {
  code: string;
  name_zh: string;
  name_en: string;
  description: Generated<string>;
  sort: Generated<number>;
  is_active: Generated<boolean>;
}

/** A local standard assistance rules read as `params.<key>`. */
export interface AssistanceParametersTable {
  key: string;
  value_type: 'int' | 'double';
  unit: string;
  name_zh: string;
  name_en: string;
}

/** A local standard's value in an area (GB/T 2260 code) from a year on. */
export interface AssistanceParameterValuesTable {
  key: string;
  area_code: string;
  year: number;
  value: number;
}

/** An assistance policy: eligibility rule and benefit formula in CEL, materials, time limit, 免审即享. */
export interface AssistancePoliciesTable {
  id: Id;
  code: string;
  name_zh: string;
  name_en: string;
  department_code: string;
  category_code: string;
  summary: Generated<string>;
  /** The eligibility rule: a group of named conditions (assistance module's `RuleGroup`). */
  eligibility: ColumnType<unknown, string, string>;
  benefit_formula: string | null;
  benefit_period: 'monthly' | 'yearly' | 'once' | 'none';
  materials: ColumnType<string[], string, string>;
  time_limit_days: number;
  is_review_free: Generated<boolean>;
  legal_basis: Generated<string>;
  status: Generated<'draft' | 'active' | 'retired'>;
  version: Generated<number>;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** Every version of a policy as it was saved. */
export interface AssistancePolicyRevisionsTable {
  policy_id: number;
  version: number;
  snapshot: ColumnType<Record<string, unknown>, string, string>;
  changed_at: CreatedAt;
  changed_by: number | null;
}

/** Which service lists include which policies. */
export interface AssistanceServiceListPoliciesTable {
  service_list_code: string;
  policy_id: number;
}

/** A member of an application's household as lists show it (ID number masked). */
export interface ApplicationMemberMasked {
  name: string;
  idNumberMasked: string | null;
  relation: string;
}

/** An application for social assistance (一件事联办), draft or submitted (migration 0017). */
export interface AssistanceApplicationsTable {
  id: Id;
  reference: string;
  status: Generated<'draft' | 'submitted' | 'withdrawn'>;
  channel: 'resident' | 'adviser';
  created_by: number;
  applicant_name: Generated<string>;
  applicant_id_number_enc: Bytes | null;
  applicant_id_number_index: Bytes | null;
  applicant_id_number_masked: string | null;
  phone_enc: Bytes | null;
  phone_masked: string | null;
  place_id: number | null;
  place_path: string | null;
  /** SM4 ciphertext of the members' names and ID numbers (JSON). */
  members_enc: Bytes | null;
  members_masked: ColumnType<ApplicationMemberMasked[], string | undefined, string>;
  /** Declared facts of the household, members' facts in the members' order, without names or IDs. */
  household: ColumnType<Record<string, unknown>, string | undefined, string>;
  situation: Generated<string>;
  consent_data_check: Generated<boolean>;
  materials: ColumnType<Array<{ code: string; sha256: string; fileName: string; contentType: string; size: number }>, string | undefined, string>;
  missing: ColumnType<Array<{ field: string; message: string }>, string | undefined, string>;
  economic_check: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  evaluated_facts: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  area_code: string | null;
  year: number | null;
  bundle_matter_id: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  submitted_at: Date | null;
}

/** One item of a bundle: a policy the household qualifies for, with its own matter (migration 0017). */
export interface AssistanceApplicationItemsTable {
  id: Id;
  application_id: number;
  policy_id: number;
  policy_code: string;
  policy_version: number;
  department_code: string;
  category_code: string;
  outcome: 'eligible' | 'error';
  mode: 'review_free' | 'review' | 'rule_error';
  mode_reason: Generated<string>;
  amount_fen: ColumnType<number | null, number | null, number | null>;
  benefit_period: 'monthly' | 'yearly' | 'once' | 'none';
  explanation: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  errors: ColumnType<string[], string | undefined, string>;
  matter_id: number;
  decision: 'granted' | 'refused' | 'withdrawn' | null;
  decision_reason: string | null;
  decided_at: Date | null;
  decided_by: number | null;
}

/** A grant paid month by month (or once) to the payee's social-security card (一卡通). */
export interface AssistanceEntitlementsTable {
  id: Id;
  item_id: number;
  application_id: number;
  payee_name: string;
  payee_id_number_index: Bytes;
  payee_id_number_masked: string;
  place_path: string;
  department_code: string;
  policy_code: string;
  category_code: string;
  period: 'monthly' | 'yearly' | 'once';
  amount_fen: ColumnType<number, number, number>;
  /** First day of the first month paid. */
  start_month: ColumnType<string, string, string>;
  /** First day of the last month paid; null while it runs. */
  end_month: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<'active' | 'stopped'>;
  stop_reason: 'death' | 'ineligible' | 'withdrawn' | null;
  stop_note: string | null;
  stopped_at: Date | null;
  created_at: CreatedAt;
}

/** The payment ledger: one row per entitlement and month paid. */
export interface AssistancePaymentsTable {
  entitlement_id: number;
  month: ColumnType<string, string, string>;
  amount_fen: ColumnType<number, number, number>;
  department_code: string;
  /** `to_recover`: paid for a month after the entitlement stopped (e.g. after a death found later). */
  status: Generated<'paid' | 'to_recover'>;
  created_at: CreatedAt;
}

/** A category of the low-income monitoring list (低收入人口动态监测) and the registry tags that feed it (migration 0018). */
export interface AssistanceMonitoringCategoriesTable {
  code: string;
  name_zh: string;
  name_en: string;
  source_tags: string[];
  /** `any`: one of the tags puts a resident on the list; `all`: every one of them must be present. */
  tag_match: 'any' | 'all';
  /** Coverage (保障对象): leaving it raises a `left_coverage` warning. */
  is_coverage: boolean;
  sort: number;
  is_active: boolean;
}

/** Why a monitoring entry ended. */
export type MonitoringEndReason = 'no_longer_tagged' | 'deceased' | 'moved_out' | 'manual';

/** One person in one monitored category for one period; an ended entry keeps its row with `until`. */
export interface AssistanceMonitoringEntriesTable {
  id: Id;
  category_code: string;
  resident_id: number | null;
  id_number_index: Bytes;
  id_number_enc: Bytes;
  id_number_masked: string;
  name: string;
  household_id: number | null;
  place_id: number;
  place_path: string;
  since: ColumnType<string, string, string>;
  until: ColumnType<string | null, string | null | undefined, string | null>;
  source: 'registry' | 'manual' | 'warning';
  end_reason: MonitoringEndReason | null;
  note: Generated<string>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A kind of need a warning records and a social resource meets (助学, 助餐, 医疗…). */
export interface AssistanceNeedKindsTable {
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
}

/** What raised a warning (预警). */
export type WarningKind = 'illness_poverty_risk' | 'breadwinner_death' | 'job_loss' | 'new_disability' | 'left_coverage' | 'grid_visit';

/** How a warning's 预警核查 matter ended: the final state of the matter. */
export type WarningOutcome = 'included' | 'benefit_raised' | 'temporary_assistance' | 'resources_linked' | 'not_needed';

/** A warning (预警) about a person, handled as one 预警核查 matter (migration 0018). */
export interface AssistanceWarningsTable {
  id: Id;
  kind: WarningKind;
  matter_id: number;
  id_number_index: Bytes;
  id_number_enc: Bytes;
  id_number_masked: string;
  name: string;
  resident_id: number | null;
  household_id: number | null;
  place_id: number;
  place_path: string;
  /** The community organisation (社区) the matter was handed to, when one covers the place. */
  organisation_id: number | null;
  source_listing_id: number | null;
  source_run_id: number | null;
  source_monitoring_entry_id: number | null;
  /** When the comparison stopped listing the person: a later listing is a new episode. */
  source_lapsed_at: Date | null;
  raised_by: number | null;
  evidence: ColumnType<Record<string, unknown>, string | undefined, string>;
  needs: Generated<string[]>;
  note: Generated<string>;
  outcome: WarningOutcome | null;
  outcome_reason: string | null;
  decided_by: number | null;
  decided_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** An offer of help in the social-resource catalogue (社会资源), with its region and capacity. */
export interface AssistanceResourcesTable {
  id: Id;
  name: string;
  provider_name: string;
  provider_organisation_id: number | null;
  kind: string;
  description: Generated<string>;
  place_id: number;
  place_path: string;
  capacity: number;
  places_taken: Generated<number>;
  contact_name: Generated<string>;
  contact_phone_enc: Bytes | null;
  contact_phone_masked: string | null;
  valid_from: ColumnType<string, string, string>;
  valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  is_active: Generated<boolean>;
  version: Generated<number>;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A resource linked to a warning (it took one of the resource's places). */
export interface AssistanceWarningResourcesTable {
  warning_id: number;
  resource_id: number;
  note: Generated<string>;
  linked_by: number | null;
  linked_at: CreatedAt;
}

/** The whole schema. */
export interface Database {
  places: PlacesTable;
  organisations: OrganisationsTable;
  households: HouseholdsTable;
  residents: ResidentsTable;
  roles: RolesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  reference_versions: ReferenceVersionsTable;
  calendar_years: CalendarYearsTable;
  calendar_days: CalendarDaysTable;
  import_jobs: ImportJobsTable;
  import_errors: ImportErrorsTable;
  settings: SettingsTable;
  matter_types: MatterTypesTable;
  matters: MattersTable;
  matter_events: MatterEventsTable;
  matter_attachments: MatterAttachmentsTable;
  matter_co_handlers: MatterCoHandlersTable;
  appeal_categories: AppealCategoriesTable;
  triage_rules: TriageRulesTable;
  appeals: AppealsTable;
  appeal_category_attributes: AppealCategoryAttributesTable;
  appeal_attribute_values: AppealAttributeValuesTable;
  open311_submissions: Open311SubmissionsTable;
  knowledge_articles: KnowledgeArticlesTable;
  comparison_datasets: ComparisonDatasetsTable;
  comparison_dataset_rejects: ComparisonDatasetRejectsTable;
  comparison_runs: ComparisonRunsTable;
  comparison_rule_settings: ComparisonRuleSettingsTable;
  comparison_findings: ComparisonFindingsTable;
  comparison_recoveries: ComparisonRecoveriesTable;
  comparison_listings: ComparisonListingsTable;
  assistance_departments: AssistanceDepartmentsTable;
  assistance_categories: AssistanceCategoriesTable;
  assistance_service_lists: AssistanceServiceListsTable;
  assistance_parameters: AssistanceParametersTable;
  assistance_parameter_values: AssistanceParameterValuesTable;
  assistance_policies: AssistancePoliciesTable;
  assistance_policy_revisions: AssistancePolicyRevisionsTable;
  assistance_service_list_policies: AssistanceServiceListPoliciesTable;
  assistance_applications: AssistanceApplicationsTable;
  assistance_application_items: AssistanceApplicationItemsTable;
  assistance_entitlements: AssistanceEntitlementsTable;
  assistance_payments: AssistancePaymentsTable;
  assistance_monitoring_categories: AssistanceMonitoringCategoriesTable;
  assistance_monitoring_entries: AssistanceMonitoringEntriesTable;
  assistance_need_kinds: AssistanceNeedKindsTable;
  assistance_warnings: AssistanceWarningsTable;
  assistance_resources: AssistanceResourcesTable;
  assistance_warning_resources: AssistanceWarningResourcesTable;
}

export type PlaceRow = Selectable<PlacesTable>;
export type NewPlace = Insertable<PlacesTable>;
export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type ResidentRow = Selectable<ResidentsTable>;
export type NewResident = Insertable<ResidentsTable>;
export type ResidentUpdate = Updateable<ResidentsTable>;
export type HouseholdRow = Selectable<HouseholdsTable>;
export type NewHousehold = Insertable<HouseholdsTable>;
export type UserRow = Selectable<UsersTable>;
export type AuditRow = Selectable<AuditLogTable>;
