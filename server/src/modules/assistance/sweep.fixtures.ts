import { CATALOGUE_AREA, SHIPPED_PARAMETERS } from '../../platform/db/migrations/0015-assistance-policies.data.ts';
import { Random, weightedTable } from '../demo/index.ts';
import type { SweepHousehold } from './sweep.ts';

/**
 * A deterministic city of households for the monitoring sweep (主动发现): the declared facts of
 * every household of a city of N people, drawn from a seeded generator so that a test or a
 * benchmark sees the same city on every machine. The shares are plausible for Chongqing, not
 * statistics: households of 1–6 people averaging about 2.6, three in ten rural, one person in
 * five 60 or older, about one household in fourteen economically fragile with incomes around the
 * shipped 低保 lines, a few percent on 低保 — most of those who qualify, some who no longer do —
 * and the disabilities, illnesses, students, vehicles, businesses, property, hospital costs and
 * hardships that the shipped rules read.
 */

/** What city to generate. */
export interface HouseholdGenerationOptions {
  /** Exact number of people in the city. */
  persons: number;
  seed: number;
}

type Member = {
  age: number;
  gender: 'male' | 'female';
  relation: 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'grandparent' | 'sibling' | 'other';
  disabilityGrade: number;
  disabilityKind: string;
  health: 'healthy' | 'chronic_illness' | 'serious_illness';
  selfCare: 'full' | 'partial' | 'none';
  employment: string;
  schoolStage: string;
  isBoarding: boolean;
  monthlyIncome: number;
  livesAlone: boolean;
  isOrphan: boolean;
  isUnsupportedChild: boolean;
  hasCapableSupporter: boolean;
  isVeteran: boolean;
};

type HouseholdKind = 'single' | 'couple' | 'singleParent' | 'nuclear' | 'threeGenerations' | 'grandparentsAndGrandchildren' | 'elderWithAdultChild';

// Shares chosen so that sizes average about 2.6 (capped at 6) and one person in five is 60 or older.
const HOUSEHOLD_KINDS = weightedTable<HouseholdKind>([
  ['single', 23],
  ['couple', 25],
  ['singleParent', 5],
  ['nuclear', 31],
  ['threeGenerations', 8],
  ['grandparentsAndGrandchildren', 4],
  ['elderWithAdultChild', 4],
]);
const SINGLE_AGES = weightedTable<[number, number]>([
  [[20, 29], 18],
  [[30, 44], 16],
  [[45, 59], 18],
  [[60, 69], 18],
  [[70, 79], 18],
  [[80, 98], 12],
]);
const COUPLE_AGES = weightedTable<[number, number]>([
  [[22, 34], 15],
  [[35, 54], 12],
  [[55, 64], 25],
  [[65, 79], 33],
  [[80, 96], 15],
]);
const CHILD_COUNTS = weightedTable([
  [1, 55],
  [2, 38],
  [3, 7],
]);
const DISABILITY_GRADES = weightedTable([
  [1, 15],
  [2, 20],
  [3, 30],
  [4, 35],
]);
const DISABILITY_KINDS = weightedTable([
  ['physical', 45],
  ['visual', 12],
  ['hearing', 14],
  ['speech', 2],
  ['intellectual', 8],
  ['mental', 11],
  ['multiple', 8],
]);
const MAX_MEMBERS = 6;

/** The latest shipped value of a standard for the city (the lines incomes are drawn around). */
function shippedValue(key: string): number {
  const parameter = SHIPPED_PARAMETERS.find((p) => p.key === key);
  const latest = parameter?.values.filter((v) => v.areaCode === CATALOGUE_AREA).sort((a, b) => b.year - a.year)[0];
  if (!latest) throw new Error(`the shipped catalogue has no value of ${key}`);
  return latest.value;
}

const LINE_URBAN = shippedValue('subsistenceLineUrban');
const LINE_RURAL = shippedValue('subsistenceLineRural');
const ASSET_LIMIT_MONTHS = shippedValue('assetLimitMonths');

const clampAge = (age: number) => Math.max(0, Math.min(100, Math.round(age)));
/** A log-normal amount of fen around `median` yuan (σ of the logarithm), in whole fen. */
const yuan = (random: Random, median: number, sigma: number) => Math.max(0, Math.round(Math.exp(random.normal(Math.log(median), sigma)) * 100));

function member(age: number, gender: 'male' | 'female', relation: Member['relation']): Member {
  return {
    age: clampAge(age),
    gender,
    relation,
    disabilityGrade: 0,
    disabilityKind: 'none',
    health: 'healthy',
    selfCare: 'full',
    employment: 'none',
    schoolStage: 'none',
    isBoarding: false,
    monthlyIncome: 0,
    livesAlone: false,
    isOrphan: false,
    isUnsupportedChild: false,
    hasCapableSupporter: true,
    isVeteran: false,
  };
}

function compose(random: Random, kind: HouseholdKind): Member[] {
  const opposite = (gender: 'male' | 'female') => (gender === 'male' ? 'female' : 'male');
  const gender = (maleShare: number) => (random.chance(maleShare) ? 'male' : 'female');
  const spouseAge = (age: number) => clampAge(age + random.normal(-2, 3));
  const childOf = (parentAge: number, relation: Member['relation']) => (parentAge < 20 ? null : member(Math.max(0, parentAge - random.int(23, 36)), gender(0.515), relation));
  const members: Member[] = [];
  const add = (m: Member | null) => {
    if (m && members.length < MAX_MEMBERS) members.push(m);
  };
  switch (kind) {
    case 'single': {
      const [min, max] = random.weighted(SINGLE_AGES);
      const age = random.int(min, max);
      add(member(age, gender(age >= 60 ? 0.38 : 0.55), 'head'));
      members[0]!.livesAlone = true;
      break;
    }
    case 'couple': {
      const [min, max] = random.weighted(COUPLE_AGES);
      const age = random.int(min, max);
      const head = gender(0.7);
      add(member(age, head, 'head'));
      add(member(spouseAge(age), opposite(head), 'spouse'));
      break;
    }
    case 'singleParent': {
      const age = random.int(28, 55);
      add(member(age, gender(0.35), 'head'));
      const children = random.int(1, 2);
      for (let i = 0; i < children; i++) add(childOf(age, 'child'));
      break;
    }
    case 'nuclear': {
      const age = random.int(26, 58);
      const head = gender(0.75);
      add(member(age, head, 'head'));
      add(member(spouseAge(age), opposite(head), 'spouse'));
      const children = random.weighted(CHILD_COUNTS);
      for (let i = 0; i < children; i++) add(childOf(age, 'child'));
      break;
    }
    case 'threeGenerations': {
      const age = random.int(30, 55);
      const head = gender(0.75);
      add(member(age, head, 'head'));
      add(member(spouseAge(age), opposite(head), 'spouse'));
      const children = random.int(1, 2);
      for (let i = 0; i < children; i++) add(childOf(age, 'child'));
      const parentAge = age + random.int(24, 32);
      if (random.chance(0.6)) add(member(parentAge, 'female', 'parent'));
      if (members.length < 4 || random.chance(0.4)) add(member(parentAge + random.int(0, 4), 'male', 'parent'));
      break;
    }
    case 'grandparentsAndGrandchildren': {
      const age = random.int(55, 80);
      const head = gender(0.6);
      add(member(age, head, 'head'));
      if (random.chance(0.7)) add(member(spouseAge(age), opposite(head), 'spouse'));
      const grandchildren = random.int(1, 2);
      for (let i = 0; i < grandchildren; i++) add(member(random.int(0, 15), gender(0.515), 'grandchild'));
      break;
    }
    case 'elderWithAdultChild': {
      const age = random.int(60, 90);
      const head = gender(0.55);
      add(member(age, head, 'head'));
      if (random.chance(0.6)) add(member(spouseAge(age), opposite(head), 'spouse'));
      const adult = member(Math.max(22, age - random.int(23, 36)), gender(0.515), 'child');
      add(adult);
      if (random.chance(0.7)) add(member(spouseAge(adult.age), opposite(adult.gender), 'other'));
      const grandchildren = random.int(0, 2);
      for (let i = 0; i < grandchildren; i++) add(childOf(adult.age, 'grandchild'));
      break;
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown household kind ${String(unknown)}`);
    }
  }
  return members;
}

/** Disability, illness, ability to care for oneself, school, work and income of one person. */
function describePerson(random: Random, m: Member, isRural: boolean, isFragile: boolean): void {
  const { age } = m;
  if (random.chance((age >= 60 ? 0.1 : age < 18 ? 0.012 : 0.03) * (isFragile ? 2 : 1))) {
    m.disabilityGrade = random.weighted(DISABILITY_GRADES);
    m.disabilityKind = random.weighted(DISABILITY_KINDS);
  }
  if (random.chance((age >= 60 ? 0.03 : 0.008) * (isFragile ? 2.5 : 1))) m.health = 'serious_illness';
  else if (random.chance(age >= 60 ? 0.35 : age >= 40 ? 0.12 : 0.02)) m.health = 'chronic_illness';
  if (m.disabilityGrade === 1 && random.chance(0.5)) m.selfCare = 'none';
  else if (m.disabilityGrade === 2 && random.chance(0.4)) m.selfCare = 'partial';
  else if (age >= 60) {
    const frailty = age >= 80 ? 0.3 : 0.08;
    if (random.chance(frailty)) m.selfCare = random.chance(0.3) ? 'none' : 'partial';
  }

  if (age >= 3 && age <= 5) m.schoolStage = random.chance(0.9) ? 'preschool' : 'none';
  else if (age >= 6 && age <= 11) m.schoolStage = 'primary';
  else if (age >= 12 && age <= 14) m.schoolStage = 'junior';
  else if (age >= 15 && age <= 17) m.schoolStage = random.weighted(SENIOR_STAGES);
  else if (age >= 18 && age <= 21 && random.chance(0.5)) m.schoolStage = 'college';
  if (m.schoolStage === 'primary' || m.schoolStage === 'junior') m.isBoarding = random.chance(isRural ? (m.schoolStage === 'junior' ? 0.5 : 0.15) : 0.05);

  const cannotWork = m.selfCare === 'none' || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2) || m.health === 'serious_illness';
  if (m.schoolStage !== 'none' && age >= 6) m.employment = 'student';
  else if (age < 16) m.employment = 'none';
  else if (age < 60) {
    if (cannotWork && random.chance(0.7)) m.employment = 'unable_to_work';
    else m.employment = random.weighted(isRural ? (isFragile ? RURAL_WORK_FRAGILE : RURAL_WORK) : isFragile ? URBAN_WORK_FRAGILE : URBAN_WORK);
  } else if (isRural) m.employment = age < 75 && !cannotWork && random.chance(0.5) ? 'farming' : random.chance(0.4) ? 'retired' : 'none';
  else m.employment = random.chance(0.85) ? 'retired' : 'none';

  switch (m.employment) {
    case 'employed':
      m.monthlyIncome = yuan(random, isRural ? 3_600 : 5_200, 0.5);
      break;
    case 'flexible':
      m.monthlyIncome = yuan(random, 2_800, 0.6);
      break;
    case 'farming':
      m.monthlyIncome = yuan(random, 1_300, 0.6);
      break;
    case 'retired':
      // Urban employees' pensions; rural residents' basic pension is a few hundred yuan.
      m.monthlyIncome = isRural ? yuan(random, 380, 0.4) : yuan(random, 3_300, 0.4);
      break;
    default:
      m.monthlyIncome = 0;
  }
  if (m.gender === 'male' && age >= 25 && random.chance(0.03)) m.isVeteran = true;
}

const SENIOR_STAGES = weightedTable([
  ['senior', 60],
  ['vocational', 30],
  ['none', 10],
]);
const URBAN_WORK = weightedTable([
  ['employed', 70],
  ['flexible', 14],
  ['unemployed', 5],
  ['none', 11],
]);
const URBAN_WORK_FRAGILE = weightedTable([
  ['employed', 25],
  ['flexible', 35],
  ['unemployed', 22],
  ['none', 18],
]);
const RURAL_WORK = weightedTable([
  ['farming', 38],
  ['employed', 32],
  ['flexible', 16],
  ['unemployed', 6],
  ['none', 8],
]);
const RURAL_WORK_FRAGILE = weightedTable([
  ['farming', 45],
  ['employed', 10],
  ['flexible', 15],
  ['unemployed', 15],
  ['none', 15],
]);

function pushOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** One household's facts, in the shape the API takes (defaults left out where the fact is unremarkable). */
function generateHousehold(random: Random, maxMembers: number): Record<string, unknown> {
  const isRural = random.chance(0.3);
  // Fragile: low earnings, little saved; income per head lands around or below the line.
  const isFragile = random.chance(isRural ? 0.1 : 0.055);
  // Near the edge: low incomes that land between the line and twice it.
  const isModest = !isFragile && random.chance(0.08);
  const members = compose(random, random.weighted(HOUSEHOLD_KINDS)).slice(0, maxMembers);
  for (const m of members) describePerson(random, m, isRural, isFragile);
  const grandparentsOnly = members.every((m) => m.relation === 'head' || m.relation === 'spouse' || m.relation === 'grandchild');
  for (const m of members) {
    if (m.relation !== 'grandchild' || m.age >= 18 || !grandparentsOnly) continue;
    const draw = random.next();
    if (draw < 0.03) m.isOrphan = true;
    else if (draw < 0.06) m.isUnsupportedChild = true;
    if (m.isOrphan || m.isUnsupportedChild) m.hasCapableSupporter = false;
  }
  const scale = isFragile ? random.between(0.08, 0.45) : isModest ? random.between(0.25, 0.6) : 1;
  for (const m of members) m.monthlyIncome = Math.round(m.monthlyIncome * scale);

  const size = members.length;
  const line = isRural ? LINE_RURAL : LINE_URBAN;
  const otherMonthlyIncome = random.chance(isFragile ? 0.05 : 0.08) ? yuan(random, isFragile ? 150 : 800, 0.7) : 0;
  const totalIncome = members.reduce((sum, m) => sum + m.monthlyIncome, 0) + otherMonthlyIncome;
  const incomePerHead = Math.floor(totalIncome / size);
  const oldestAge = Math.max(...members.map((m) => m.age));
  const isElderAlone = size === 1 && oldestAge >= 60;
  if (isElderAlone && isFragile && random.chance(0.3)) members[0]!.hasCapableSupporter = false;

  const financialAssets = isFragile ? yuan(random, 3_000, 1.0) : isModest ? yuan(random, 20_000, 1.0) : yuan(random, 90_000, 1.1);
  let homes: number;
  if (isRural) homes = random.chance(0.94) ? 1 : random.chance(0.5) ? 0 : 2;
  else if (random.chance(isFragile ? 0.45 : 0.22)) homes = 0;
  else homes = random.chance(isFragile ? 0.97 : 0.85) ? 1 : random.int(2, 3);
  let housing: string;
  if (homes > 0) housing = isRural && random.chance(isFragile ? 0.08 : 0.01) ? 'dilapidated' : 'owned';
  else if (random.chance(0.003)) housing = 'none';
  else if (random.chance(isFragile ? 0.35 : 0.08)) housing = 'public_rental';
  else housing = random.chance(0.8) ? 'private_rental' : 'with_relatives';

  const vehicles: Array<Record<string, unknown>> = [];
  if (random.chance(isFragile ? 0.03 : isRural ? 0.2 : 0.42)) vehicles.push({ kind: 'car', value: yuan(random, 80_000, 0.6) });
  if (isRural && random.chance(isFragile ? 0.2 : 0.35)) vehicles.push({ kind: 'motorcycle', value: yuan(random, 5_000, 0.4) });
  if (isRural && random.chance(0.1)) vehicles.push({ kind: 'farm_machine', value: yuan(random, 12_000, 0.6) });
  if (!isFragile && random.chance(0.02)) vehicles.push({ kind: 'truck', value: yuan(random, 120_000, 0.5) });
  if (members.some((m) => m.disabilityKind === 'physical') && random.chance(0.1)) vehicles.push({ kind: 'disability_vehicle', value: yuan(random, 6_000, 0.3) });

  const businesses: Array<Record<string, unknown>> = [];
  if (random.chance(isFragile ? 0.02 : 0.07)) businesses.push({ kind: 'individual', isActive: random.chance(0.85), registeredCapital: yuan(random, 30_000, 1) });
  if (!isFragile && random.chance(0.02)) businesses.push({ kind: 'company', isActive: random.chance(0.85), registeredCapital: yuan(random, 500_000, 1) });

  let hospitalCosts = 0;
  if (members.some((m) => m.health === 'serious_illness')) hospitalCosts = yuan(random, 30_000, 0.8);
  else if (members.some((m) => m.health === 'chronic_illness') && random.chance(0.4)) hospitalCosts = yuan(random, 2_500, 0.8);
  else if (random.chance(0.12)) hospitalCosts = yuan(random, 1_200, 0.8);

  const hardships: string[] = [];
  if (hospitalCosts > 0 && members.some((m) => m.health === 'serious_illness') && random.chance(0.5)) hardships.push('serious_illness');
  if (members.some((m) => m.age < 18) && members.some((m) => m.age >= 18 && m.health === 'serious_illness') && random.chance(0.3)) hardships.push('caregiver_ill');
  if (random.chance(0.004)) hardships.push('accident');
  if (random.chance(0.0005)) hardships.push('fire');
  if (random.chance(isRural ? 0.005 : 0.0005)) hardships.push('natural_disaster');
  if (size > 1 && random.chance(0.002)) hardships.push('breadwinner_death');
  if (random.chance(0.01)) hardships.push('bereavement');
  if (members.some((m) => m.employment === 'unemployed') && random.chance(0.3)) hardships.push('job_loss');

  const isPovertyAlleviated = isRural ? random.chance(isFragile ? 0.4 : 0.06) : random.chance(0.003);

  // What the household receives now: most of those who qualify, a few who no longer do.
  const benefits: string[] = [];
  const assetsWithin = financialAssets <= line * ASSET_LIMIT_MONTHS * size;
  const hasCar = vehicles.some((v) => v.kind === 'car' || v.kind === 'truck');
  const belowLine = incomePerHead < line && assetsWithin && !hasCar && homes <= 1;
  const isDestitute = isElderAlone && !members[0]!.hasCapableSupporter && incomePerHead < line && random.chance(0.8);
  if (isDestitute) benefits.push('destitute_support');
  else if (belowLine ? random.chance(0.75) : random.chance(0.003)) benefits.push('subsistence_allowance');
  else if (incomePerHead >= line && incomePerHead * 100 < line * 150 && random.chance(0.45)) benefits.push('low_income_household');
  const onRoll = benefits.length > 0;
  if (members.some((m) => m.isOrphan) && random.chance(0.9)) benefits.push('orphan_allowance');
  if (members.some((m) => m.disabilityGrade > 0) && (onRoll || members.some((m) => m.disabilityGrade <= 2 && m.disabilityGrade > 0)) && random.chance(0.8)) benefits.push('disability_subsidies');
  if (oldestAge >= 80 && random.chance(0.85)) benefits.push('elderly_allowance');
  if (onRoll && hospitalCosts > 0 && random.chance(0.5)) benefits.push('medical_assistance');
  if (onRoll && (housing === 'public_rental' || housing === 'private_rental') && random.chance(0.4)) benefits.push('housing_assistance');
  if (onRoll && members.some((m) => m.employment === 'student') && random.chance(0.5)) benefits.push('education_assistance');
  if (hardships.length > 0 && random.chance(0.2)) pushOnce(benefits, 'temporary_assistance');

  const facts: Record<string, unknown> = {
    members: members.map((m) => {
      const out: Record<string, unknown> = { age: m.age, gender: m.gender, relation: m.relation, employment: m.employment, monthlyIncome: m.monthlyIncome };
      if (m.disabilityGrade > 0) {
        out.disabilityGrade = m.disabilityGrade;
        out.disabilityKind = m.disabilityKind;
      }
      if (m.health !== 'healthy') out.health = m.health;
      if (m.selfCare !== 'full') out.selfCare = m.selfCare;
      if (m.schoolStage !== 'none') out.schoolStage = m.schoolStage;
      if (m.isBoarding) out.isBoarding = true;
      if (m.livesAlone) out.livesAlone = true;
      if (m.isOrphan) out.isOrphan = true;
      if (m.isUnsupportedChild) out.isUnsupportedChild = true;
      if (!m.hasCapableSupporter) out.hasCapableSupporter = false;
      if (m.isVeteran) out.isVeteran = true;
      return out;
    }),
    isRural,
    housing,
    property: { financialAssets, homes, homeAreaPerHead: homes > 0 ? Math.round(random.between(15, 60) * 10) / 10 : 0, hasCommercialProperty: !isFragile && random.chance(0.04) },
    hospitalCostsLast12Months: hospitalCosts,
  };
  if (isPovertyAlleviated) facts.isPovertyAlleviated = true;
  if (otherMonthlyIncome > 0) facts.otherMonthlyIncome = otherMonthlyIncome;
  if (vehicles.length > 0) facts.vehicles = vehicles;
  if (businesses.length > 0) facts.businesses = businesses;
  if (benefits.length > 0) facts.benefits = benefits;
  if (hardships.length > 0) facts.hardships = hardships;
  return facts;
}

/**
 * Streams the households of a city of exactly `persons` people (the last household is cut short
 * if need be), each with an id (`H` and a seven-digit sequence); the same seed gives the same
 * city. Households are made one at a time, so a city of any size takes no memory to stream.
 */
export function* generateHouseholds(options: HouseholdGenerationOptions): Generator<SweepHousehold> {
  if (!Number.isInteger(options.persons) || options.persons < 1) throw new RangeError(`persons must be a whole number of at least 1, not ${options.persons}`);
  const random = new Random(options.seed);
  let left = options.persons;
  let sequence = 0;
  while (left > 0) {
    sequence += 1;
    const facts = generateHousehold(random, left);
    left -= (facts.members as unknown[]).length;
    yield { id: `H${String(sequence).padStart(7, '0')}`, facts };
  }
}
