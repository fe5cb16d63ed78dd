import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, hasPermission, isInScope, requirePermission, systemPrincipal, type Principal } from '../../platform/auth/index.ts';
import { maskIdNumber, maskPhone } from '../../platform/crypto/masking.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { ApplicationMemberMasked } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { normaliseMainlandMobile, validateResidentId } from '../../platform/identity/index.ts';
import { applyAction, applyActionIn, chinaDate, openMattersIn, warmMatterReference, type MattersDeps } from '../matters/index.ts';
import { findPlaceByCode } from '../places/index.ts';
import * as repo from './applications.repository.ts';
import { compiledCatalogue, resolveParameters, type CompiledPolicy } from './catalogue.ts';
import { runEconomicCheck, type EconomicCheck } from './economic-check.ts';
import { grantEntitlement } from './entitlements.service.ts';
import { evaluateRules, type ParameterValues, type PolicyEvaluation } from './evaluation.ts';
import { prepareHousehold, type FactValue, type HouseholdContext } from './facts.ts';

/**
 * One application, many items (一件事联办). A resident, or an adviser on their behalf, applies once
 * for the household; a draft keeps whatever was entered and lists what is still missing. On
 * submission the household economic check (家庭经济状况核对) reads the departments' data, every
 * active policy is evaluated on the declared facts corrected by that data, and each policy the
 * household qualifies for becomes an item: a matter of its own for its department, with the
 * policy's time limit. Items the data proves for a policy marked 免审即享 are granted at once
 * (their 5-working-day limit is met on the spot); a rule that cannot be evaluated stops only its
 * item, for staff to look at. The bundle (联办总件) is due in 20 working days and completes when
 * its last item is decided.
 */

/** The member facts an application may declare (age and gender come from the ID number). */
export type MemberInput = { name?: string | undefined; idNumber?: string | undefined } & Record<string, unknown>;

/** What an application holds; every part may be left out of a draft. */
export interface ApplicationInput {
  placeCode?: string | undefined;
  applicant?: { name?: string | undefined; idNumber?: string | undefined; phone?: string | undefined } | undefined;
  members?: MemberInput[] | undefined;
  /** Household facts other than the members (housing, property, hardships …). */
  household?: Record<string, unknown> | undefined;
  situation?: string | undefined;
  consentDataCheck?: boolean | undefined;
}

/** One thing keeping a draft from being submitted. */
export interface MissingItem {
  field: string;
  message: string;
}

type ApplicationRow = NonNullable<Awaited<ReturnType<typeof repo.findApplication>>>;

const BUNDLE_TYPE = 'assistance_bundle';
const ITEM_TYPE = 'assistance_item';
const PLACE_LEVELS_ACCEPTED = new Set(['community', 'grid', 'microgrid']);
const MAX_MATERIALS = 30;

function mattersDeps(services: Pick<AppServices, 'db' | 'jobs'>, now?: Date): MattersDeps {
  return { db: services.db, jobs: services.jobs, ...(now ? { now: () => now } : {}) };
}

/** Who may see which applications: a resident their own, staff those of their region. */
function accessOf(principal: Principal): repo.ApplicationAccess {
  if (hasPermission(principal, 'assistance:application:read')) return { scopePath: principal.scopePath, userId: principal.userId };
  requirePermission(principal, 'assistance:own_application:read');
  return { createdBy: principal.userId };
}

function requireWriter(principal: Principal): 'resident' | 'adviser' {
  if (hasPermission(principal, 'assistance:application:write')) return 'adviser';
  requirePermission(principal, 'assistance:own_application:write');
  return 'resident';
}

/** The stored members (names and ID numbers as typed), decrypted. */
function membersOf(services: Pick<AppServices, 'cipher'>, row: Pick<ApplicationRow, 'members_enc'>): Array<{ name: string; idNumber: string }> {
  if (!row.members_enc) return [];
  return JSON.parse(services.cipher.decrypt(row.members_enc)) as Array<{ name: string; idNumber: string }>;
}

/** The whole input as stored in a row: identities encrypted and masked, facts as JSON. */
function storedFields(services: Pick<AppServices, 'cipher'>, input: ApplicationInput, place: { id: number; path: string } | null) {
  const members = input.members ?? [];
  const identities = members.map((m) => ({ name: (m.name ?? '').trim(), idNumber: (m.idNumber ?? '').trim() }));
  const facts = members.map(({ name: _name, idNumber: _id, ...rest }) => rest);
  const masked: ApplicationMemberMasked[] = identities.map((m, i) => {
    const id = validateResidentId(m.idNumber);
    return { name: m.name, idNumberMasked: id.isValid ? maskIdNumber(id.idNumber) : m.idNumber ? '（格式有误）' : null, relation: String(members[i]!.relation ?? 'other') };
  });
  const applicantId = validateResidentId(input.applicant?.idNumber ?? '');
  const rawApplicantId = (input.applicant?.idNumber ?? '').trim();
  const phone = normaliseMainlandMobile(input.applicant?.phone ?? '');
  const rawPhone = (input.applicant?.phone ?? '').trim();
  return {
    applicant_name: (input.applicant?.name ?? '').trim(),
    applicant_id_number_enc: rawApplicantId ? services.cipher.encrypt(applicantId.isValid ? applicantId.idNumber : rawApplicantId) : null,
    applicant_id_number_index: applicantId.isValid ? services.cipher.blindIndex(applicantId.idNumber) : null,
    applicant_id_number_masked: applicantId.isValid ? maskIdNumber(applicantId.idNumber) : null,
    phone_enc: rawPhone ? services.cipher.encrypt(phone ?? rawPhone) : null,
    phone_masked: phone ? maskPhone(phone) : null,
    place_id: place?.id ?? null,
    place_path: place?.path ?? null,
    members_enc: identities.length > 0 ? services.cipher.encrypt(JSON.stringify(identities)) : null,
    members_masked: JSON.stringify(masked),
    household: JSON.stringify({ ...(input.household ?? {}), members: facts }),
    situation: (input.situation ?? '').trim(),
    consent_data_check: input.consentDataCheck === true,
  };
}

/** The place an application is filed in: a community (or a grid in one) of the city. */
async function resolvePlace(db: Executor, code: string | undefined): Promise<{ place: { id: number; code: string; path: string } | null; problem: MissingItem | null }> {
  if (!code) return { place: null, problem: { field: 'placeCode', message: 'choose the community where the household lives' } };
  const place = await findPlaceByCode(db, code);
  if (!place) return { place: null, problem: { field: 'placeCode', message: `no place with code ${code}` } };
  if (!PLACE_LEVELS_ACCEPTED.has(place.level)) return { place: null, problem: { field: 'placeCode', message: 'must be a community, or a grid within one' } };
  return { place: { id: place.id, code: place.code, path: place.path }, problem: null };
}

/**
 * What keeps the application from being submitted, apart from materials (which depend on the
 * items the evaluation finds): every required part, each ID number valid and unique, the applicant
 * one of the members, consent to the economic check.
 */
function findMissing(input: ApplicationInput, placeProblem: MissingItem | null, today: Date): MissingItem[] {
  const missing: MissingItem[] = [];
  if (placeProblem) missing.push(placeProblem);
  const applicant = input.applicant ?? {};
  if (!applicant.name?.trim()) missing.push({ field: 'applicant.name', message: 'is required' });
  const applicantId = validateResidentId(applicant.idNumber ?? '', { today });
  if (!applicant.idNumber?.trim()) missing.push({ field: 'applicant.idNumber', message: 'is required' });
  else if (!applicantId.isValid) missing.push({ field: 'applicant.idNumber', message: applicantId.message });
  if (!applicant.phone?.trim()) missing.push({ field: 'applicant.phone', message: 'is required' });
  else if (!normaliseMainlandMobile(applicant.phone)) missing.push({ field: 'applicant.phone', message: 'must be a mainland mobile number' });
  const members = input.members ?? [];
  if (members.length === 0) missing.push({ field: 'members', message: 'list at least one member of the household' });
  const seen = new Set<string>();
  members.forEach((member, index) => {
    if (!member.name?.trim()) missing.push({ field: `members.${index}.name`, message: 'is required' });
    const id = validateResidentId(member.idNumber ?? '', { today });
    if (!member.idNumber?.trim()) missing.push({ field: `members.${index}.idNumber`, message: 'is required' });
    else if (!id.isValid) missing.push({ field: `members.${index}.idNumber`, message: id.message });
    else if (seen.has(id.idNumber)) missing.push({ field: `members.${index}.idNumber`, message: 'is listed twice' });
    else seen.add(id.idNumber);
  });
  if (applicantId.isValid && members.length > 0 && !seen.has(applicantId.idNumber)) {
    missing.push({ field: 'applicant.idNumber', message: 'the applicant must be one of the members' });
  }
  if (!input.situation?.trim()) missing.push({ field: 'situation', message: 'describe the household’s situation' });
  if (input.consentDataCheck !== true) missing.push({ field: 'consentDataCheck', message: 'consent to the household economic check is required' });
  return missing;
}

function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** What the data changed in the declared facts, for the record and the reviewer. */
interface Adjustment {
  field: string;
  declared: FactValue;
  verified: FactValue;
  source: string;
}

/**
 * The facts evaluated: the declared ones with age and gender from each ID number, corrected by the
 * economic check (wages above the declared income, businesses, hospital costs, assistance already
 * received), and whether the data proves them enough to grant without review.
 */
function mergeFacts(input: ApplicationInput, ids: string[], check: EconomicCheck) {
  const adjustments: Adjustment[] = [];
  const doubts: string[] = [];
  const household: Record<string, unknown> = structuredClone(input.household ?? {});
  const members = (input.members ?? []).map(({ name: _name, idNumber: _id, ...facts }, index) => {
    const id = validateResidentId(ids[index]!);
    const member: Record<string, unknown> = { ...facts, age: id.isValid ? ageOn(id.birthDate, check.asOf) : 0, gender: id.isValid ? id.gender : 'female' };
    const found = check.members[index]!;
    const declared = Number(member.monthlyIncome ?? 0);
    if (found.payroll && found.payroll.averageMonthlyFen > declared) {
      member.monthlyIncome = found.payroll.averageMonthlyFen;
      adjustments.push({ field: `members.${index}.monthlyIncome`, declared, verified: found.payroll.averageMonthlyFen, source: 'payroll' });
    }
    if (found.deathDate) doubts.push(`members.${index}: the deaths extract records a death on ${found.deathDate}`);
    return member;
  });
  household.members = members;
  if (!check.missingSources.includes('business')) {
    const found = check.members.flatMap((m) => m.businesses.map((b) => ({ kind: b.kind, isActive: b.isActive, registeredCapital: b.registeredCapitalFen })));
    const declared = (household.businesses as unknown[] | undefined) ?? [];
    if (found.length > declared.length) {
      adjustments.push({ field: 'businesses', declared: declared as FactValue, verified: found, source: 'business' });
      household.businesses = found;
    }
  }
  const paid = check.members.reduce((sum, m) => sum + m.hospitalOutOfPocketFen, 0);
  const declaredPaid = Number(household.hospitalCostsLast12Months ?? 0);
  if (paid > declaredPaid) {
    adjustments.push({ field: 'hospitalCostsLast12Months', declared: declaredPaid, verified: paid, source: 'hospital' });
    household.hospitalCostsLast12Months = paid;
  }
  const onRoll = new Set(check.members.flatMap((m) => m.assistance.map((a) => a.categoryCode).filter((c): c is string => c !== null)));
  const declaredBenefits = (household.benefits as string[] | undefined) ?? [];
  if (!check.missingSources.includes('assistance')) {
    for (const benefit of declaredBenefits) if (!onRoll.has(benefit)) doubts.push(`benefits: ${benefit} is declared but not on the assistance roll`);
  }
  const benefits = [...new Set([...declaredBenefits, ...onRoll])];
  if (benefits.length > declaredBenefits.length) adjustments.push({ field: 'benefits', declared: declaredBenefits, verified: benefits, source: 'assistance' });
  household.benefits = benefits;
  if (check.missingSources.length > 0) doubts.push(`no ready dataset of ${check.missingSources.join(', ')} to check against`);
  return { household, adjustments, doubts };
}

/** The Beijing year of a day. */
const yearOf = (day: string) => Number(day.slice(0, 4));

/** A draft's stored input, read back. */
function inputOf(services: Pick<AppServices, 'cipher'>, row: ApplicationRow): ApplicationInput {
  const identities = membersOf(services, row);
  const { members: facts = [], ...household } = row.household as { members?: Array<Record<string, unknown>> };
  return {
    placeCode: row.place_code ?? undefined,
    applicant: {
      name: row.applicant_name,
      idNumber: row.applicant_id_number_enc ? services.cipher.decrypt(row.applicant_id_number_enc) : undefined,
      phone: row.phone_enc ? services.cipher.decrypt(row.phone_enc) : undefined,
    },
    members: identities.map((identity, index) => ({ ...(facts[index] ?? {}), ...identity })),
    household,
    situation: row.situation,
    consentDataCheck: row.consent_data_check,
  };
}

/**
 * Saves a new draft. Nothing entered is refused for being incomplete: the draft lists what is
 * missing, and the resident can come back to it. Values of the wrong type are refused by the
 * route's schema before they get here.
 */
export async function createDraft(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, input: ApplicationInput, now: Date = new Date()) {
  const channel = requireWriter(principal);
  const { place, problem } = await resolvePlace(services.db, input.placeCode);
  requirePlaceInRegion(principal, channel, place);
  const missing = findMissing(input, problem, now);
  return services.db.transaction().execute(async (trx) => {
    const id = await repo.nextApplicationId(trx);
    const reference = `SA${chinaDate(now).replaceAll('-', '')}${String(id).padStart(6, '0')}`;
    await repo.insertApplication(trx, { id, reference, channel, created_by: principal.userId, ...storedFields(services, input, place), missing: JSON.stringify(missing), materials: '[]' });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.application.drafted', entityType: 'assistance_application', entityId: id, details: { channel, missing: missing.length } });
    return { id, reference, missing };
  });
}

/** Replaces a draft's content (the form sends it whole); only a draft can change. */
export async function updateDraft(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, id: number, input: ApplicationInput, now: Date = new Date()) {
  const channel = requireWriter(principal);
  const { place, problem } = await resolvePlace(services.db, input.placeCode);
  requirePlaceInRegion(principal, channel, place);
  const missing = findMissing(input, problem, now);
  return services.db.transaction().execute(async (trx) => {
    const row = await requireApplication(trx, principal, id, true);
    if (row.status !== 'draft') throw new AppError('CONFLICT', `application ${row.reference} is ${row.status}, not a draft`, { status: row.status });
    const stillMissing = [...missing, ...materialsMissing(row)];
    await repo.updateApplication(trx, id, { ...storedFields(services, input, place), missing: JSON.stringify(stillMissing) });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.application.updated', entityType: 'assistance_application', entityId: id, details: { missing: stillMissing.length } });
    return { id, reference: row.reference, missing: stillMissing };
  });
}

/** An adviser files applications for places of their own region; a resident for any place of the city. */
function requirePlaceInRegion(principal: Principal, channel: 'resident' | 'adviser', place: { path: string } | null): void {
  if (place && channel === 'adviser' && !isInScope(principal, place.path)) throw new AppError('OUT_OF_SCOPE', 'the place is outside your region');
}

/** The materials a previous submission attempt found missing (kept until uploaded). */
function materialsMissing(row: Pick<ApplicationRow, 'missing' | 'materials'>): MissingItem[] {
  const uploaded = new Set(row.materials.map((m) => m.code));
  return row.missing.filter((m) => m.field.startsWith('materials.') && !uploaded.has(m.field.slice('materials.'.length)));
}

async function requireApplication(db: Executor, principal: Principal, id: number, forUpdate = false): Promise<ApplicationRow> {
  const row = await repo.findApplication(db, accessOf(principal), id, forUpdate);
  if (!row) throw new AppError('ASSISTANCE_APPLICATION_NOT_FOUND', `no application ${id} you may see`);
  return row;
}

/** Records an uploaded material (a photo or PDF already stored) on a draft. */
export async function addMaterial(services: Pick<AppServices, 'db'>, principal: Principal, id: number, material: { code: string; sha256: string; fileName: string; contentType: string; size: number }) {
  requireWriter(principal);
  const code = material.code.trim();
  if (!code || code.length > 100) throw new AppError('VALIDATION_FAILED', 'name the material uploaded', { fields: [{ field: 'material', message: 'is required (at most 100 characters)' }] });
  return services.db.transaction().execute(async (trx) => {
    const row = await requireApplication(trx, principal, id, true);
    if (row.status !== 'draft') throw new AppError('CONFLICT', `application ${row.reference} is ${row.status}, not a draft`, { status: row.status });
    if (row.materials.length >= MAX_MATERIALS) throw new AppError('VALIDATION_FAILED', `at most ${MAX_MATERIALS} files per application`, { fields: [{ field: 'file', message: 'too many files' }] });
    const materials = [...row.materials, { ...material, code }];
    const missing = row.missing.filter((m) => m.field !== `materials.${code}`);
    await repo.updateApplication(trx, id, { materials: JSON.stringify(materials), missing: JSON.stringify(missing) });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.application.material_added', entityType: 'assistance_application', entityId: id, details: { material: code, sha256: material.sha256, size: material.size } });
    return { materials, missing };
  });
}

/** A material's stored file, for its author or staff of the region. */
export async function getMaterial(services: Pick<AppServices, 'db'>, principal: Principal, id: number, index: number) {
  const row = await requireApplication(services.db, principal, id);
  const material = row.materials[index];
  if (!material) throw new AppError('NOT_FOUND', `no material ${index} on application ${id}`);
  return material;
}

/** What one policy gives the household, evaluated and placed: review-free, review or stopped on an error. */
interface PlannedItem {
  policy: CompiledPolicy;
  evaluation: PolicyEvaluation | null;
  errors: string[];
  mode: 'review_free' | 'review' | 'rule_error';
  modeReason: string;
}

function planItems(policies: CompiledPolicy[], household: HouseholdContext, params: ParameterValues, doubts: string[]): { items: PlannedItem[]; alreadyReceived: string[] } {
  const received = new Set(household.facts.benefits as string[]);
  const items: PlannedItem[] = [];
  const alreadyReceived: string[] = [];
  for (const policy of policies) {
    if (!policy.compiled) {
      const errors = policy.problems.map((p) => `${p.condition ?? p.path}: ${p.message}`);
      items.push({ policy, evaluation: null, errors, mode: 'rule_error', modeReason: 'the stored rule no longer checks' });
      continue;
    }
    let evaluation: PolicyEvaluation;
    try {
      evaluation = evaluateRules(policy.compiled, household, params);
    } catch (error) {
      items.push({ policy, evaluation: null, errors: [`evaluation failed: ${error instanceof Error ? error.message : String(error)}`], mode: 'rule_error', modeReason: 'the rule failed' });
      continue;
    }
    if (evaluation.outcome === 'ineligible') continue;
    if (evaluation.outcome === 'error') {
      items.push({ policy, evaluation, errors: evaluation.errors, mode: 'rule_error', modeReason: 'the rule could not be evaluated for this household' });
      continue;
    }
    // What the household already receives is not applied for again (a 低保 household keeps its 低保).
    if (received.has(policy.row.category_code) && policy.row.category_code !== 'temporary_assistance') {
      alreadyReceived.push(policy.row.code);
      continue;
    }
    const proven = policy.row.is_review_free && doubts.length === 0;
    const modeReason = !policy.row.is_review_free ? 'the policy is decided by department review' : proven ? 'eligible on verified data (免审即享)' : `the data does not prove it: ${doubts.join('; ')}`;
    items.push({ policy, evaluation, errors: [], mode: proven ? 'review_free' : 'review', modeReason });
  }
  return { items, alreadyReceived };
}

/**
 * Submits a draft. Checks it is complete; runs the economic check and evaluates every active
 * policy; asks for the materials of the items that go to review (a review-free item needs none);
 * then, in one transaction, opens the bundle and one matter per item, grants the review-free
 * items, and records what was checked and evaluated. An incomplete draft stays a draft, with the
 * list of what is missing (APPLICATION_INCOMPLETE).
 */
export async function submitApplication(services: Pick<AppServices, 'db' | 'cipher' | 'jobs'>, principal: Principal, id: number, now: Date = new Date()) {
  requireWriter(principal);
  const asOf = chinaDate(now);
  const row = await requireApplication(services.db, principal, id);
  if (row.status !== 'draft') throw new AppError('CONFLICT', `application ${row.reference} is ${row.status}, not a draft`, { status: row.status });
  const input = inputOf(services, row);
  const { place, problem } = await resolvePlace(services.db, input.placeCode);
  const missing = findMissing(input, problem, now);
  if (missing.length > 0 || !place) return refuseIncomplete(services, row, missing);

  const ids = (input.members ?? []).map((m) => (validateResidentId(m.idNumber ?? '') as { idNumber: string }).idNumber);
  const check = await runEconomicCheck(services.db, ids, asOf, now);
  const merged = mergeFacts(input, ids, check);
  const prepared = prepareHousehold(merged.household);
  if (!prepared.context) {
    return refuseIncomplete(services, row, prepared.problems.map((p) => ({ field: `household.${p.field}`, message: p.message })));
  }
  const catalogue = await compiledCatalogue(services.db);
  const { values, sources } = await resolveParameters(services.db, catalogue.parameters, place.code, yearOf(asOf));
  const active = catalogue.policies.filter((p) => p.row.status === 'active');
  const { items, alreadyReceived } = planItems(active, prepared.context, values, merged.doubts);
  if (items.length === 0) throw new AppError('CONFLICT', 'the household qualifies for no policy it does not already receive; nothing to apply for', { alreadyReceived });

  const uploaded = new Set(row.materials.map((m) => m.code));
  const needed = [...new Set(items.filter((i) => i.mode === 'review').flatMap((i) => i.policy.row.materials))];
  const materialsMissingNow = needed.filter((m) => !uploaded.has(m)).map((m) => ({ field: `materials.${m}`, message: 'upload this material' }));
  if (materialsMissingNow.length > 0) return refuseIncomplete(services, row, materialsMissingNow);

  const deps = mattersDeps(services, now);
  await warmMatterReference(deps);
  const departmentRows = await repo.findDepartments(services.db, [...new Set(items.map((i) => i.policy.row.department_code))]);
  const offices = await repo.findDepartmentOrganisations(services.db, place.path, departmentRows.map((d) => d.organisation_name));
  const officeOf = new Map(departmentRows.map((d) => [d.code, offices.get(d.organisation_name) ?? null]));
  const community = await repo.findCommunityOrganisation(services.db, place.path);
  const system = systemPrincipal('assistance');

  return services.db.transaction().execute(async (trx) => {
    const locked = await requireApplication(trx, principal, id, true);
    if (locked.status !== 'draft') throw new AppError('CONFLICT', `application ${locked.reference} is ${locked.status}, not a draft`, { status: locked.status });
    // What was checked and evaluated is the draft as read above; an edit meanwhile must be submitted anew.
    if (locked.updated_at.getTime() !== row.updated_at.getTime()) throw new AppError('CONFLICT', `application ${row.reference} changed while it was being submitted; submit it again`);
    const title = `${row.applicant_name}家庭社会救助联办`;
    const opened = await openMattersIn(deps, trx, [
      {
        principal,
        place,
        input: { typeCode: BUNDLE_TYPE, title: `${title}（${items.length} 项）`, description: row.situation },
        organisationId: community,
        receivedAt: now,
      },
      ...items.map((item) => ({
        principal,
        place,
        input: { typeCode: ITEM_TYPE, title: `${item.policy.row.name_zh}：${row.applicant_name}家庭`, description: item.modeReason },
        organisationId: officeOf.get(item.policy.row.department_code) ?? null,
        receivedAt: now,
        initialState: item.mode === 'review_free' ? 'granting' : item.mode === 'review' ? 'reviewing' : 'rule_error',
        ...(item.mode === 'review' ? { limit: { workingDays: item.policy.row.time_limit_days } } : {}),
      })),
    ]);
    const bundle = opened[0]!;
    const itemIds = await repo.insertItems(
      trx,
      items.map((item, index) => ({
        application_id: id,
        policy_id: item.policy.row.id,
        policy_code: item.policy.row.code,
        policy_version: item.policy.row.version,
        department_code: item.policy.row.department_code,
        category_code: item.policy.row.category_code,
        outcome: item.mode === 'rule_error' ? 'error' : 'eligible',
        mode: item.mode,
        mode_reason: item.modeReason,
        amount_fen: item.evaluation?.amountFen ?? null,
        benefit_period: item.policy.row.benefit_period,
        explanation: item.evaluation ? JSON.stringify({ rule: item.evaluation.rule, formula: item.evaluation.formula }) : null,
        errors: JSON.stringify(item.errors),
        matter_id: opened[index + 1]!.id,
      })),
    );
    await repo.updateApplication(trx, id, {
      status: 'submitted',
      submitted_at: now,
      missing: '[]',
      bundle_matter_id: bundle.id,
      area_code: place.code,
      year: yearOf(asOf),
      economic_check: JSON.stringify({ ...check, adjustments: merged.adjustments, doubts: merged.doubts, alreadyReceived, parameters: sources }),
      evaluated_facts: JSON.stringify(prepared.context.facts),
    });
    await appendAudit(trx, auditActorOf(principal), {
      action: 'assistance.application.submitted',
      entityType: 'assistance_application',
      entityId: id,
      details: { bundleMatterId: bundle.id, items: items.length, reviewFree: items.filter((i) => i.mode === 'review_free').length, sources: check.sources.map((s) => s.datasetId) },
    });
    for (const [index, item] of items.entries()) {
      if (item.mode !== 'review_free') continue;
      const itemId = itemIds[index]!;
      await applyActionIn(deps, trx, system, opened[index + 1]!.id, 'grant_without_review', { note: '家庭经济状况核对数据证明符合条件，免审即享' }, (inner) =>
        recordDecision(inner, system, itemId, { decision: 'granted', reason: null, at: now }),
      );
    }
    await completeBundleIfDecided(deps, trx, id, bundle.id);
    return { id, reference: row.reference, bundleReference: bundle.reference, items: items.length };
  });
}

async function refuseIncomplete(services: Pick<AppServices, 'db'>, row: ApplicationRow, missing: MissingItem[]): Promise<never> {
  await repo.updateApplication(services.db, row.id, { missing: JSON.stringify(missing) });
  throw new AppError('APPLICATION_INCOMPLETE', `application ${row.reference} cannot be submitted yet: ${missing.length} thing(s) missing`, { missing, fields: missing });
}

/**
 * Writes an item's decision; a grant with money becomes an entitlement paid to the applicant from
 * the month of the decision. Runs inside the action's transaction.
 */
async function recordDecision(
  trx: Executor,
  principal: Principal,
  itemId: number,
  decision: { decision: 'granted' | 'refused' | 'withdrawn'; reason: string | null; at: Date; amountFen?: number | null },
): Promise<void> {
  const item = await repo.findItemForUpdate(trx, itemId);
  if (!item) throw new AppError('NOT_FOUND', `no item ${itemId}`);
  await repo.setItemDecision(trx, itemId, { ...decision, by: principal.via === 'system' ? null : principal.userId });
  await appendAudit(trx, auditActorOf(principal), {
    action: `assistance.item.${decision.decision}`,
    entityType: 'assistance_application_item',
    entityId: itemId,
    details: { applicationId: item.application_id, policy: item.policy_code, amountFen: decision.amountFen ?? item.amount_fen },
  });
  const amount = decision.amountFen ?? item.amount_fen;
  if (decision.decision === 'granted' && amount !== null && amount > 0 && item.benefit_period !== 'none') {
    await grantEntitlement(trx, { ...item, amount_fen: amount }, decision.at);
  }
}

/** Completes the bundle when no item waits for a decision (the application row is locked first). */
async function completeBundleIfDecided(deps: MattersDeps, trx: Executor, applicationId: number, bundleMatterId: number): Promise<void> {
  await trx.selectFrom('assistance_applications').select('id').where('id', '=', applicationId).forUpdate().execute();
  if ((await repo.countUndecidedItems(trx, applicationId)) > 0) return;
  const system = systemPrincipal('assistance');
  await applyActionIn(deps, trx, system, bundleMatterId, 'complete_bundle', { note: '全部事项已办结' }, (inner) =>
    appendAudit(inner, auditActorOf(system), { action: 'assistance.application.completed', entityType: 'assistance_application', entityId: applicationId }),
  );
}

/**
 * Withdraws an application (撤回): a draft simply ends; a submitted one withdraws every item not
 * yet decided and the bundle with them. What was already granted stays granted (its entitlement
 * is stopped through the ledger, like any other). The matters move by the module's hand, so the
 * timeline names the reason; the audit trail names who withdrew.
 */
export async function withdrawApplication(services: Pick<AppServices, 'db' | 'cipher' | 'jobs'>, principal: Principal, id: number, reason: string, now: Date = new Date()) {
  requireWriter(principal);
  const note = reason.trim();
  if (!note) throw new AppError('VALIDATION_FAILED', 'say why the application is withdrawn', { fields: [{ field: 'reason', message: 'required' }] });
  const deps = mattersDeps(services, now);
  await warmMatterReference(deps);
  await services.db.transaction().execute(async (trx) => {
    const row = await requireApplication(trx, principal, id, true);
    if (row.status === 'withdrawn') throw new AppError('CONFLICT', `application ${row.reference} is already withdrawn`, { status: row.status });
    if (row.bundle_state && row.bundle_state !== 'processing') throw new AppError('CONFLICT', `application ${row.reference} is ${row.bundle_state}; nothing is left to withdraw`, { status: row.bundle_state });
    const system = systemPrincipal('assistance');
    const withdrawn: string[] = [];
    for (const item of await repo.findItems(trx, id)) {
      if (item.decision !== null) continue;
      await applyActionIn(deps, trx, system, item.matter_id, 'withdraw_item', { note }, (inner) => recordDecision(inner, system, item.id, { decision: 'withdrawn', reason: note, at: now }));
      withdrawn.push(item.policy_code);
    }
    const recordWithdrawal = async (inner: Executor) => {
      await repo.updateApplication(inner, id, { status: 'withdrawn' });
      await appendAudit(inner, auditActorOf(principal), { action: 'assistance.application.withdrawn', entityType: 'assistance_application', entityId: id, details: { reason: note, items: withdrawn } });
    };
    if (row.bundle_matter_id) await applyActionIn(deps, trx, system, row.bundle_matter_id, 'withdraw_bundle', { note }, recordWithdrawal);
    else await recordWithdrawal(trx);
  });
  return getApplication(services, principal, id);
}

/** A department's decision on an item under review: grant (optionally at another amount) or refuse with the reason. */
export interface ItemDecisionInput {
  decision: 'grant' | 'refuse';
  reason?: string | undefined;
  /** The amount granted when the department sets it (fen per period); the evaluated amount otherwise. */
  amountFen?: number | undefined;
}

async function requireItem(services: Pick<AppServices, 'db'>, principal: Principal, itemId: number) {
  const item = await services.db.selectFrom('assistance_application_items').selectAll().where('id', '=', itemId).executeTakeFirst();
  if (!item) throw new AppError('NOT_FOUND', `no item ${itemId}`);
  // The application decides who may see it; a matter outside the region is then refused by the engine too.
  const application = await requireApplication(services.db, principal, item.application_id);
  return { item, application };
}

/**
 * Decides an item under review (部门审核). Only staff of the department the item was sent to (or
 * an administrator) decide it; a refusal needs its reason, which the resident sees.
 */
export async function decideItem(services: Pick<AppServices, 'db' | 'cipher' | 'jobs'>, principal: Principal, itemId: number, input: ItemDecisionInput, now: Date = new Date()) {
  requirePermission(principal, 'assistance:item:review');
  const { item, application } = await requireItem(services, principal, itemId);
  await requireDepartmentMember(services.db, principal, item.matter_id);
  const reason = input.reason?.trim() ?? '';
  if (input.decision === 'refuse' && !reason) throw new AppError('VALIDATION_FAILED', 'a refusal needs its reason', { fields: [{ field: 'reason', message: 'required' }] });
  if (input.decision === 'refuse' && input.amountFen !== undefined) throw new AppError('VALIDATION_FAILED', 'a refusal grants no amount', { fields: [{ field: 'amountFen', message: 'not allowed' }] });
  const deps = mattersDeps(services, now);
  await applyAction(deps, principal, item.matter_id, input.decision === 'grant' ? 'grant_item' : 'refuse_item', { note: reason || undefined }, async (trx) => {
    await recordDecision(trx, principal, itemId, { decision: input.decision === 'grant' ? 'granted' : 'refused', reason: reason || null, at: now, ...(input.amountFen !== undefined ? { amountFen: input.amountFen } : {}) });
    await completeBundleIfDecided(deps, trx, item.application_id, application.bundle_matter_id!);
  });
  return getApplication(services, principal, item.application_id);
}

/** Takes an item stopped on a rule error into manual review, with the note of what staff checked. */
export async function takeItemIntoReview(services: Pick<AppServices, 'db' | 'cipher' | 'jobs'>, principal: Principal, itemId: number, note: string, now: Date = new Date()) {
  requirePermission(principal, 'assistance:item:review');
  const { item } = await requireItem(services, principal, itemId);
  await requireDepartmentMember(services.db, principal, item.matter_id);
  await applyAction(mattersDeps(services, now), principal, item.matter_id, 'take_into_review', { note }, (trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'assistance.item.taken_into_review', entityType: 'assistance_application_item', entityId: itemId, details: { note } }),
  );
  return getApplication(services, principal, item.application_id);
}

async function requireDepartmentMember(db: Executor, principal: Principal, matterId: number): Promise<void> {
  if (hasPermission(principal, '*')) return;
  const matter = await db.selectFrom('matters').select('assignee_organisation_id').where('id', '=', matterId).executeTakeFirstOrThrow();
  if (matter.assignee_organisation_id === null || matter.assignee_organisation_id !== principal.organisationId) {
    throw new AppError('FORBIDDEN', 'only the department the item was sent to decides it', { reason: 'not_item_department' });
  }
}

// Administrative Reconsideration Law art. 20 (60 days) and Administrative Litigation Law art. 46 (6 months).
const APPEAL_ADVICE = {
  zh: '对不予批准决定不服的，可自知道该决定之日起60日内向作出决定部门的本级人民政府申请行政复议，或者自知道之日起6个月内向人民法院提起行政诉讼；也可拨打12345热线反映。',
  en: 'If you disagree with a refusal, you may apply for administrative reconsideration to the people’s government at the level of the deciding department within 60 days of learning of it, or bring an administrative lawsuit within 6 months; you may also call the 12345 hotline.',
};

/**
 * An application as its author or staff see it: the bundle's state and deadline, each item's
 * department, state, deadline, amount and decision (a refusal with its reason and how to appeal).
 * Staff see the economic check and each item's explanation too; no one sees a clear ID number here.
 */
export async function getApplication(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, id: number) {
  const row = await requireApplication(services.db, principal, id);
  const isStaff = hasPermission(principal, 'assistance:application:read');
  const items = row.status === 'draft' ? [] : await repo.findItems(services.db, id);
  const input = row.status === 'draft' && row.created_by === principal.userId ? inputOf(services, row) : null;
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    channel: row.channel,
    applicantName: row.applicant_name,
    applicantIdNumberMasked: row.applicant_id_number_masked,
    phoneMasked: row.phone_masked,
    place: row.place_code ? { code: row.place_code, name: row.place_name ?? '' } : null,
    members: row.members_masked,
    situation: row.situation,
    consentDataCheck: row.consent_data_check,
    materials: row.materials.map((m, index) => ({ index, code: m.code, fileName: m.fileName, contentType: m.contentType, size: m.size })),
    missing: row.missing,
    createdAt: row.created_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
    bundle: row.bundle_matter_id
      ? {
          matterId: row.bundle_matter_id,
          reference: row.bundle_reference!,
          state: row.bundle_state!,
          dueAt: row.bundle_due_at ? new Date(row.bundle_due_at).toISOString() : null,
          duePendingYear: row.bundle_due_pending_year,
        }
      : null,
    items: items.map((item) => ({
      id: item.id,
      policyCode: item.policy_code,
      policyName: { zh: item.policy_name_zh, en: item.policy_name_en },
      department: { code: item.department_code, zh: item.department_name_zh, en: item.department_name_en },
      organisationName: item.organisation_name,
      categoryCode: item.category_code,
      mode: item.mode,
      modeReason: item.mode_reason,
      amountFen: item.amount_fen === null ? null : Number(item.amount_fen),
      benefitPeriod: item.benefit_period,
      matterId: item.matter_id,
      matterReference: item.matter_reference,
      state: item.matter_state,
      dueAt: item.matter_due_at ? new Date(item.matter_due_at).toISOString() : null,
      duePendingYear: item.matter_due_pending_year,
      decision: item.decision,
      decisionReason: item.decision_reason,
      decidedAt: item.decided_at?.toISOString() ?? null,
      appealAdvice: item.decision === 'refused' ? APPEAL_ADVICE : null,
      errors: isStaff ? item.errors : [],
      explanation: isStaff ? item.explanation : null,
    })),
    economicCheck: isStaff ? row.economic_check : null,
    evaluatedFacts: isStaff ? row.evaluated_facts : null,
    /** The draft as entered, for its author to continue (ID numbers and phone as typed). */
    draft: input,
  };
}

/** A page of applications: a resident's own, or those of the staff member's region. */
export async function listApplications(
  services: Pick<AppServices, 'db' | 'cipher'>,
  principal: Principal,
  filter: { status?: 'draft' | 'submitted' | 'withdrawn' | undefined; q?: string | undefined; matterId?: number | undefined },
  page: { limit: number; offset: number },
) {
  const access = accessOf(principal);
  const q = filter.q?.trim();
  const id = q ? validateResidentId(q) : null;
  const { rows, total } = await repo.listApplications(
    services.db,
    access,
    { status: filter.status, matterId: filter.matterId, ...(id?.isValid ? { applicantIndex: services.cipher.blindIndex(id.idNumber) } : q ? { text: q } : {}) },
    page,
  );
  return {
    total,
    items: rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      status: row.status,
      channel: row.channel,
      applicantName: row.applicant_name,
      applicantIdNumberMasked: row.applicant_id_number_masked,
      placeName: row.place_name,
      missingCount: row.missing.length,
      bundleReference: row.bundle_reference,
      bundleState: row.bundle_state,
      bundleDueAt: row.bundle_due_at ? new Date(row.bundle_due_at).toISOString() : null,
      itemStates: row.item_states ?? {},
      createdAt: row.created_at.toISOString(),
      submittedAt: row.submitted_at?.toISOString() ?? null,
    })),
  };
}
