import { postJson, request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { BenefitPeriod, ExplanationNode, FormulaExplanation } from './assistance';
import type { Id, Page } from './types';

/**
 * 一件事联办 in the console and on the residents' phones: drafts that list what is missing,
 * materials, submission, each item's department decision, and the entitlement ledger (一卡通)
 * with its monthly payment run and reconciliation. Wire types mirror
 * `server/src/modules/assistance/applications.routes.ts`.
 */

/** A name in both languages. */
export interface Names {
  zh: string;
  en: string;
}

/** An application's life: a draft until submitted; withdrawn when given up. */
export type ApplicationStatus = 'draft' | 'submitted' | 'withdrawn';

/** The statuses, for filters. */
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['draft', 'submitted', 'withdrawn'];

/** The bundle (联办总件) as one matter: in progress until its last item is decided. */
export type BundleState = 'processing' | 'completed' | 'withdrawn';

/** One item's matter: granted without review, under department review, stopped on a rule, or decided. */
export type ItemState = 'granting' | 'reviewing' | 'rule_error' | 'granted' | 'refused' | 'withdrawn';

/** The item states in the order the bundle moves through them. */
export const ITEM_STATES: readonly ItemState[] = ['granting', 'reviewing', 'rule_error', 'granted', 'refused', 'withdrawn'];

/** How an item is decided: on verified data (免审即享), by its department, or by staff after a rule error. */
export type ItemMode = 'review_free' | 'review' | 'rule_error';

/** Something that keeps a draft from being submitted: a field path and the server's sentence. */
export interface MissingItem {
  field: string;
  message: string;
}

/** Where a material's name starts in a missing field (`materials.房屋租赁合同`). */
export const MATERIAL_PREFIX = 'materials.';

/** The material names a list of missing things asks for. */
export function missingMaterials(missing: readonly MissingItem[]): string[] {
  return missing.filter((m) => m.field.startsWith(MATERIAL_PREFIX)).map((m) => m.field.slice(MATERIAL_PREFIX.length));
}

/** Relations to the head of the household (与户主关系). */
export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;
/** Health (健康状况). */
export const HEALTH = ['healthy', 'chronic_illness', 'serious_illness'] as const;
/** Work (就业状况). */
export const EMPLOYMENT = ['employed', 'flexible', 'farming', 'unemployed', 'retired', 'student', 'unable_to_work', 'none'] as const;
/** School stage (学段). */
export const SCHOOL_STAGES = ['none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college'] as const;
/** Ability to care for oneself (生活自理能力). */
export const SELF_CARE = ['full', 'partial', 'none'] as const;
/** Kind of disability (残疾类别). */
export const DISABILITY_KINDS = ['none', 'physical', 'visual', 'hearing', 'speech', 'intellectual', 'mental', 'multiple'] as const;
/** Where the household lives. */
export const HOUSING = ['owned', 'public_rental', 'private_rental', 'with_relatives', 'none', 'dilapidated'] as const;
/** Hardships the household is living through (急难情形). */
export const HARDSHIPS = ['serious_illness', 'accident', 'fire', 'natural_disaster', 'breadwinner_death', 'bereavement', 'job_loss', 'caregiver_ill'] as const;
/** The assistance a household may already receive, as a resident would name it (catalogue category codes). */
export const RECEIVED_BENEFITS = [
  'subsistence_allowance',
  'low_income_household',
  'destitute_support',
  'orphan_allowance',
  'children_in_difficulty',
  'disability_subsidies',
  'elderly_allowance',
  'poverty_prevention',
] as const;

/** A member as the form declares them: who they are, and the facts the ID number does not give. */
export interface MemberInput {
  name?: string;
  idNumber?: string;
  relation?: (typeof RELATIONS)[number];
  health?: (typeof HEALTH)[number];
  employment?: (typeof EMPLOYMENT)[number];
  schoolStage?: (typeof SCHOOL_STAGES)[number];
  isBoarding?: boolean;
  selfCare?: (typeof SELF_CARE)[number];
  disabilityGrade?: number;
  disabilityKind?: (typeof DISABILITY_KINDS)[number];
  /** Fen per month. */
  monthlyIncome?: number;
  livesAlone?: boolean;
  isOrphan?: boolean;
  isUnsupportedChild?: boolean;
  hasCapableSupporter?: boolean;
  isVeteran?: boolean;
}

/** What the household owns (家庭财产). */
export interface PropertyInput {
  /** Fen. */
  financialAssets?: number;
  homes?: number;
  homeAreaPerHead?: number;
  hasCommercialProperty?: boolean;
}

/** The household's facts other than its members. */
export interface HouseholdInput {
  isRural?: boolean;
  housing?: (typeof HOUSING)[number];
  isPovertyAlleviated?: boolean;
  /** Fen per month. */
  otherMonthlyIncome?: number;
  property?: PropertyInput;
  vehicles?: Array<{ kind: string; value?: number }>;
  businesses?: Array<{ kind: string; isActive?: boolean; registeredCapital?: number }>;
  /** Fen, last 12 months. */
  hospitalCostsLast12Months?: number;
  benefits?: string[];
  hardships?: string[];
}

/** A whole application as the form sends it; a draft may leave anything out. */
export interface ApplicationInput {
  placeCode?: string;
  applicant?: { name?: string; idNumber?: string; phone?: string };
  members?: MemberInput[];
  household?: HouseholdInput;
  situation?: string;
  consentDataCheck?: boolean;
}

/** What saving a draft answers: its number and what is still missing. */
export interface DraftSaved {
  id: number;
  reference: string;
  missing: MissingItem[];
}

/** An application in a list. */
export interface ApplicationSummary {
  id: number;
  reference: string;
  status: ApplicationStatus | string;
  channel: 'resident' | 'adviser' | string;
  applicantName: string;
  applicantIdNumberMasked: string | null;
  placeName: string | null;
  missingCount: number;
  bundleReference: string | null;
  bundleState: BundleState | string | null;
  bundleDueAt: string | null;
  /** How many items are in each state. */
  itemStates: Record<string, number>;
  createdAt: string;
  submittedAt: string | null;
}

/** What an item's evaluation recorded (staff only): the rule and the formula, explained. */
export interface ItemExplanation {
  rule?: ExplanationNode | null;
  formula?: FormulaExplanation | null;
}

/** One item of the bundle: a policy, its department, its matter and its decision. */
export interface ApplicationItem {
  id: number;
  policyCode: string;
  policyName: Names;
  department: { code: string; zh: string; en: string };
  organisationName: string | null;
  categoryCode: string;
  mode: ItemMode | string;
  modeReason: string;
  amountFen: number | null;
  benefitPeriod: BenefitPeriod;
  matterId: number;
  matterReference: string;
  state: ItemState | string;
  dueAt: string | null;
  duePendingYear: number | null;
  decision: 'granted' | 'refused' | 'withdrawn' | string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  /** How to appeal a refusal (行政复议、行政诉讼); null unless refused. */
  appealAdvice: Names | null;
  /** Why the rule could not decide (staff only). */
  errors: string[];
  explanation: ItemExplanation | null;
}

/** A data source the economic check read. */
export interface CheckedSource {
  kind: string;
  datasetId: number;
  name: string;
  fileName: string;
  profiledAt: string | null;
}

/** The household economic check (家庭经济状况核对) as recorded with the application (staff only). */
export interface EconomicCheck {
  checkedAt: string;
  asOf: string;
  sources: CheckedSource[];
  missingSources: string[];
  members?: Array<{
    index: number;
    idNumberMasked: string;
    payroll: { months: number; totalFen: number; averageMonthlyFen: number; employers: string[] } | null;
    businesses: Array<{ name: string; status: string; isActive: boolean; registeredCapitalFen: number; kind: string }>;
    hospitalOutOfPocketFen: number;
    assistance: Array<{ category: string; categoryCode: string | null; monthlyAmountFen: number }>;
    deathDate: string | null;
  }>;
  adjustments: Array<{ field: string; declared: unknown; verified: unknown; source: string }>;
  doubts: string[];
  alreadyReceived?: string[];
}

/** One application in full. */
export interface ApplicationView {
  id: number;
  reference: string;
  status: ApplicationStatus | string;
  channel: string;
  applicantName: string;
  applicantIdNumberMasked: string | null;
  phoneMasked: string | null;
  place: { code: string; name: string } | null;
  members: Array<{ name: string; idNumberMasked: string | null; relation: string }>;
  situation: string;
  consentDataCheck: boolean;
  materials: Array<{ index: number; code: string; fileName: string; contentType: string; size: number }>;
  missing: MissingItem[];
  createdAt: string;
  submittedAt: string | null;
  bundle: { matterId: number; reference: string; state: BundleState | string; dueAt: string | null; duePendingYear: number | null } | null;
  items: ApplicationItem[];
  economicCheck: EconomicCheck | null;
  evaluatedFacts: unknown;
  /** The draft as entered, for its author to continue (ID numbers and phone as typed). */
  draft: ApplicationInput | null;
}

/** What the application list searches by. */
export interface ApplicationSearch {
  status?: ApplicationStatus;
  /** Reference, applicant name, or an exact ID number. */
  q?: string;
  /** The application holding this matter (its bundle or one of its items). */
  matterId?: number;
}

/** A page of applications: the resident's own, or those of the staff member's region. */
export function applicationsEndpoint(search: ApplicationSearch & PageQuery) {
  return endpoint<Page<ApplicationSummary>>('/api/assistance/applications', { ...search });
}

/** One application. */
export function applicationEndpoint(id: Id) {
  return endpoint<ApplicationView>(`/api/assistance/applications/${encodeURIComponent(String(id))}`);
}

/** Where the browser loads a material from (the session cookie goes along). */
export function materialUrl(applicationId: Id, index: number): string {
  return `/api/assistance/applications/${encodeURIComponent(String(applicationId))}/materials/${index}`;
}

/** Saves a new draft; nothing is refused for being incomplete. */
export function createApplication(input: ApplicationInput): Promise<DraftSaved> {
  return postJson<DraftSaved>('/api/assistance/applications', input);
}

/** Replaces a draft's content (the form sends it whole). */
export function updateApplication(id: Id, input: ApplicationInput): Promise<DraftSaved> {
  return request<DraftSaved>('PUT', `/api/assistance/applications/${encodeURIComponent(String(id))}`, { body: input });
}

/**
 * Submits a draft. 422 APPLICATION_INCOMPLETE with `details.missing` when something is missing
 * (notably the materials of the items that go to review); the draft is kept.
 */
export function submitApplication(id: Id): Promise<ApplicationView> {
  return postJson<ApplicationView>(`/api/assistance/applications/${encodeURIComponent(String(id))}/submit`);
}

/**
 * Withdraws an application (撤回) with its reason: a draft ends; a submitted one withdraws every
 * item not yet decided and the bundle with them, while grants already made stay.
 */
export function withdrawApplication(id: Id, reason: string): Promise<ApplicationView> {
  return postJson<ApplicationView>(`/api/assistance/applications/${encodeURIComponent(String(id))}/withdraw`, { reason });
}

/** Uploads one material (a photo or PDF) under the name the server asked for. */
export function uploadMaterial(id: Id, material: string, file: Blob, fileName: string): Promise<{ missing: MissingItem[]; materials: Array<{ code: string; fileName: string }> }> {
  const form = new FormData();
  // The field goes first: the server reads the parts in order and names the file by it.
  form.append('material', material);
  form.append('file', file, fileName);
  return postJson(`/api/assistance/applications/${encodeURIComponent(String(id))}/materials`, form);
}

/** A department's decision on an item under review. */
export interface ItemDecision {
  decision: 'grant' | 'refuse';
  /** Required for a refusal: the resident reads it. */
  reason?: string;
  /** Fen per period, when the department sets another amount than the evaluated one. */
  amountFen?: number;
}

/** Grants or refuses an item (the department the item was sent to). */
export function decideItem(itemId: Id, decision: ItemDecision): Promise<ApplicationView> {
  return postJson<ApplicationView>(`/api/assistance/items/${encodeURIComponent(String(itemId))}/decision`, decision);
}

/** Takes an item stopped on a rule error into manual review, with what staff checked. */
export function takeItemIntoReview(itemId: Id, note: string): Promise<ApplicationView> {
  return postJson<ApplicationView>(`/api/assistance/items/${encodeURIComponent(String(itemId))}/review`, { note });
}

/** An entitlement's life: paid monthly while active. */
export type EntitlementStatus = 'active' | 'stopped';

/** A monthly (or one-off, yearly) entitlement paid to the payee's social-security card (一卡通). */
export interface Entitlement {
  id: number;
  applicationId: number;
  applicationReference: string;
  payeeName: string;
  payeeIdNumberMasked: string;
  departmentCode: string;
  policyCode: string;
  policyName: Names;
  categoryCode: string;
  period: BenefitPeriod;
  amountFen: number;
  startMonth: string;
  endMonth: string | null;
  status: EntitlementStatus | string;
  stopReason: 'death' | 'ineligible' | 'withdrawn' | string | null;
  stopNote: string | null;
  paidFen: number;
  toRecoverFen: number;
}

/** What the entitlement list filters by. */
export interface EntitlementSearch {
  status?: EntitlementStatus;
  departmentCode?: string;
  applicationId?: number;
}

/** A page of entitlements in the account's region. */
export function entitlementsEndpoint(search: EntitlementSearch & PageQuery) {
  return endpoint<Page<Entitlement>>('/api/assistance/entitlements', { ...search });
}

/** One payment of the ledger. */
export interface LedgerPayment {
  month: string;
  amountFen: number;
  status: 'paid' | 'to_recover' | string;
}

/** An entitlement's ledger, month by month. */
export function ledgerEndpoint(id: Id) {
  return endpoint<{ id: number; payments: LedgerPayment[] }>(`/api/assistance/entitlements/${encodeURIComponent(String(id))}/ledger`);
}

/** Why an entitlement is stopped by hand (a death is applied from the deaths extract). */
export type StopReason = 'ineligible' | 'withdrawn';

/** Stops an entitlement, paid through `lastMonth` (YYYY-MM); later payments are marked to recover. */
export function stopEntitlement(id: Id, input: { reason: StopReason; note: string; lastMonth: string }): Promise<{ id: number; lastMonth: string | null; paymentsToRecover: number }> {
  return postJson(`/api/assistance/entitlements/${encodeURIComponent(String(id))}/stop`, input);
}

/** What applying a deaths extract did. */
export interface DeathsOutcome {
  datasetId: number | null;
  deathsRead: number;
  stopped: number;
  paymentsToRecover: number;
  amountToRecoverFen: number;
}

/** The monthly payment run's answer. */
export interface PaymentRun {
  month: string;
  payments: number;
  totalFen: number;
  deaths: DeathsOutcome;
}

/** Pays a month (it must have begun); a repeated run pays nothing twice. */
export function runPayments(month: string): Promise<PaymentRun> {
  return postJson<PaymentRun>('/api/assistance/payments/runs', { month });
}

/** One department's line of a month's reconciliation (对账). */
export interface ReconciliationLine {
  departmentCode: string;
  departmentName: Names;
  owedCount: number;
  owedFen: number;
  paidCount: number;
  paidFen: number;
  toRecoverCount: number;
  toRecoverFen: number;
  unpaidCount: number;
  paidNotOwedCount: number;
  balances: boolean;
}

/** A month's reconciliation per department, with its totals. */
export interface Reconciliation {
  month: string;
  lines: ReconciliationLine[];
  totals: { owedFen: number; paidFen: number; toRecoverFen: number; balances: boolean };
}

/** The reconciliation of a month in the account's region. */
export function reconciliationEndpoint(month: string) {
  return endpoint<Reconciliation>('/api/assistance/payments/reconciliation', { month });
}
