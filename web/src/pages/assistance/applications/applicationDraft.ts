import {
  DISABILITY_KINDS,
  EMPLOYMENT,
  HEALTH,
  HOUSING,
  RELATIONS,
  SCHOOL_STAGES,
  SELF_CARE,
  type ApplicationInput,
  type HouseholdInput,
  type MemberInput,
} from '../../../api/applications';
import { fenFromYuan } from '../assistanceLabels';

/**
 * The application form's own model: what a person types (money as yuan text, lists with stable
 * keys), turned into the API's input (money as fen) and back, so that a draft saved at one step
 * and opened again later shows exactly what was entered.
 */

/** The place the household is filed under: its code and how to show it. */
export interface PlaceValue {
  code: string;
  label: string;
}

/** One member as the form holds them. */
export interface MemberDraft {
  key: string;
  name: string;
  idNumber: string;
  relation: (typeof RELATIONS)[number];
  health: (typeof HEALTH)[number];
  employment: (typeof EMPLOYMENT)[number];
  schoolStage: (typeof SCHOOL_STAGES)[number];
  isBoarding: boolean;
  selfCare: (typeof SELF_CARE)[number];
  disabilityGrade: number;
  disabilityKind: (typeof DISABILITY_KINDS)[number];
  /** Yuan per month, as typed. */
  incomeYuan: string;
  livesAlone: boolean;
  isOrphan: boolean;
  isUnsupportedChild: boolean;
  hasCapableSupporter: boolean;
  isVeteran: boolean;
}

/** A vehicle as the form holds it. */
export interface VehicleDraft {
  key: string;
  kind: string;
  valueYuan: string;
}

/** A business as the form holds it. */
export interface BusinessDraft {
  key: string;
  kind: string;
  isActive: boolean;
  capitalYuan: string;
}

/** The household's facts as the form holds them. */
export interface HouseholdDraft {
  housing: (typeof HOUSING)[number];
  isRural: boolean;
  isPovertyAlleviated: boolean;
  otherIncomeYuan: string;
  financialAssetsYuan: string;
  homes: number;
  homeAreaPerHead: number;
  hasCommercialProperty: boolean;
  vehicles: VehicleDraft[];
  businesses: BusinessDraft[];
  hospitalCostsYuan: string;
  benefits: string[];
  hardships: string[];
}

/** The whole form. */
export interface ApplicationDraft {
  place: PlaceValue | null;
  applicant: { name: string; idNumber: string; phone: string };
  members: MemberDraft[];
  household: HouseholdDraft;
  situation: string;
  consent: boolean;
}

let keys = 0;
/** A key for a new row of a list, stable while the form lives. */
export function newKey(): string {
  keys += 1;
  return `row-${keys}`;
}

/** A new member with the facts' defaults. */
export function newMember(relation: MemberDraft['relation'] = 'other'): MemberDraft {
  return {
    key: newKey(),
    name: '',
    idNumber: '',
    relation,
    health: 'healthy',
    employment: 'none',
    schoolStage: 'none',
    isBoarding: false,
    selfCare: 'full',
    disabilityGrade: 0,
    disabilityKind: 'none',
    incomeYuan: '',
    livesAlone: false,
    isOrphan: false,
    isUnsupportedChild: false,
    hasCapableSupporter: true,
    isVeteran: false,
  };
}

/** An empty form: one member, the head of the household. */
export function emptyDraft(): ApplicationDraft {
  return {
    place: null,
    applicant: { name: '', idNumber: '', phone: '' },
    members: [newMember('head')],
    household: {
      housing: 'owned',
      isRural: false,
      isPovertyAlleviated: false,
      otherIncomeYuan: '',
      financialAssetsYuan: '',
      homes: 0,
      homeAreaPerHead: 0,
      hasCommercialProperty: false,
      vehicles: [],
      businesses: [],
      hospitalCostsYuan: '',
      benefits: [],
      hardships: [],
    },
    situation: '',
    consent: false,
  };
}

/** Fen as yuan text for a field ("1575.5" for 157550); empty for nothing. */
export function yuanText(fen: number | undefined | null): string {
  if (fen === undefined || fen === null || !Number.isFinite(fen)) return '';
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** True when a typed amount is empty or an amount the server takes. */
export function isAmountValid(text: string): boolean {
  return text.trim() === '' || fenFromYuan(text) !== null;
}

/** Fen of a typed amount; undefined when empty or not an amount (the field shows why). */
function fenOf(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  return fenFromYuan(text) ?? undefined;
}

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** The API input of the form: what is typed, trimmed; amounts in fen; empty amounts left out. */
export function toInput(draft: ApplicationDraft): ApplicationInput {
  const members: MemberInput[] = draft.members.map((m) => {
    const member: MemberInput = {
      name: m.name.trim(),
      idNumber: m.idNumber.trim(),
      relation: m.relation,
      health: m.health,
      employment: m.employment,
      schoolStage: m.schoolStage,
      isBoarding: m.schoolStage !== 'none' && m.isBoarding,
      selfCare: m.selfCare,
      disabilityGrade: m.disabilityGrade,
      disabilityKind: m.disabilityGrade > 0 ? m.disabilityKind : 'none',
      livesAlone: m.livesAlone,
      isOrphan: m.isOrphan,
      isUnsupportedChild: m.isUnsupportedChild,
      hasCapableSupporter: m.hasCapableSupporter,
      isVeteran: m.isVeteran,
    };
    const income = fenOf(m.incomeYuan);
    if (income !== undefined) member.monthlyIncome = income;
    return member;
  });
  const h = draft.household;
  const household: HouseholdInput = {
    housing: h.housing,
    isRural: h.isRural,
    isPovertyAlleviated: h.isPovertyAlleviated,
    property: { homes: h.homes, homeAreaPerHead: h.homeAreaPerHead, hasCommercialProperty: h.hasCommercialProperty },
    vehicles: h.vehicles.map((v) => ({ kind: v.kind, ...(fenOf(v.valueYuan) !== undefined ? { value: fenOf(v.valueYuan) } : {}) })),
    businesses: h.businesses.map((b) => ({ kind: b.kind, isActive: b.isActive, ...(fenOf(b.capitalYuan) !== undefined ? { registeredCapital: fenOf(b.capitalYuan) } : {}) })),
    benefits: h.benefits,
    hardships: h.hardships,
  };
  const otherIncome = fenOf(h.otherIncomeYuan);
  if (otherIncome !== undefined) household.otherMonthlyIncome = otherIncome;
  const assets = fenOf(h.financialAssetsYuan);
  if (assets !== undefined) household.property = { ...household.property, financialAssets: assets };
  const hospital = fenOf(h.hospitalCostsYuan);
  if (hospital !== undefined) household.hospitalCostsLast12Months = hospital;
  return {
    ...(draft.place ? { placeCode: draft.place.code } : {}),
    applicant: { name: draft.applicant.name.trim(), idNumber: draft.applicant.idNumber.trim(), phone: draft.applicant.phone.trim() },
    members,
    household,
    situation: draft.situation.trim(),
    consentDataCheck: draft.consent,
  };
}

/** The form of a saved draft, as its author continues it. */
export function fromInput(input: ApplicationInput, place: { code: string; name: string } | null): ApplicationDraft {
  const empty = emptyDraft();
  const h = input.household ?? {};
  const members = (input.members ?? []).map((m): MemberDraft => {
    const base = newMember();
    return {
      ...base,
      name: m.name ?? '',
      idNumber: m.idNumber ?? '',
      relation: oneOf(RELATIONS, m.relation, base.relation),
      health: oneOf(HEALTH, m.health, base.health),
      employment: oneOf(EMPLOYMENT, m.employment, base.employment),
      schoolStage: oneOf(SCHOOL_STAGES, m.schoolStage, base.schoolStage),
      isBoarding: bool(m.isBoarding, false),
      selfCare: oneOf(SELF_CARE, m.selfCare, base.selfCare),
      disabilityGrade: num(m.disabilityGrade, 0),
      disabilityKind: oneOf(DISABILITY_KINDS, m.disabilityKind, base.disabilityKind),
      incomeYuan: yuanText(m.monthlyIncome),
      livesAlone: bool(m.livesAlone, false),
      isOrphan: bool(m.isOrphan, false),
      isUnsupportedChild: bool(m.isUnsupportedChild, false),
      hasCapableSupporter: bool(m.hasCapableSupporter, true),
      isVeteran: bool(m.isVeteran, false),
    };
  });
  return {
    place: input.placeCode ? { code: input.placeCode, label: place && place.code === input.placeCode ? place.name : input.placeCode } : null,
    applicant: { name: input.applicant?.name ?? '', idNumber: input.applicant?.idNumber ?? '', phone: input.applicant?.phone ?? '' },
    members: members.length > 0 ? members : empty.members,
    household: {
      housing: oneOf(HOUSING, h.housing, empty.household.housing),
      isRural: bool(h.isRural, false),
      isPovertyAlleviated: bool(h.isPovertyAlleviated, false),
      otherIncomeYuan: yuanText(h.otherMonthlyIncome),
      financialAssetsYuan: yuanText(h.property?.financialAssets),
      homes: num(h.property?.homes, 0),
      homeAreaPerHead: num(h.property?.homeAreaPerHead, 0),
      hasCommercialProperty: bool(h.property?.hasCommercialProperty, false),
      vehicles: (h.vehicles ?? []).map((v) => ({ key: newKey(), kind: v.kind, valueYuan: yuanText(v.value) })),
      businesses: (h.businesses ?? []).map((b) => ({ key: newKey(), kind: b.kind, isActive: bool(b.isActive, true), capitalYuan: yuanText(b.registeredCapital) })),
      hospitalCostsYuan: yuanText(h.hospitalCostsLast12Months),
      benefits: [...(h.benefits ?? [])],
      hardships: [...(h.hardships ?? [])],
    },
    situation: input.situation ?? '',
    consent: input.consentDataCheck === true,
  };
}

/** Amount fields typed wrongly, by the path the server would use, so the form can hold them back. */
export function invalidAmounts(draft: ApplicationDraft): string[] {
  const fields: string[] = [];
  draft.members.forEach((m, index) => {
    if (!isAmountValid(m.incomeYuan)) fields.push(`members.${index}.monthlyIncome`);
  });
  const h = draft.household;
  if (!isAmountValid(h.otherIncomeYuan)) fields.push('household.otherMonthlyIncome');
  if (!isAmountValid(h.financialAssetsYuan)) fields.push('household.property.financialAssets');
  if (!isAmountValid(h.hospitalCostsYuan)) fields.push('household.hospitalCostsLast12Months');
  h.vehicles.forEach((v, index) => {
    if (!isAmountValid(v.valueYuan)) fields.push(`household.vehicles.${index}.value`);
  });
  h.businesses.forEach((b, index) => {
    if (!isAmountValid(b.capitalYuan)) fields.push(`household.businesses.${index}.registeredCapital`);
  });
  return fields;
}
