import { residentIdCheckCharacter } from '../../platform/identity/index.ts';
import type { DemoPlace } from './city-generator.ts';
import { pickGivenName, pickSurname, placeRoots } from './names.ts';
import { Random, weightedTable } from './random.ts';

/** A resident of the demo population, shaped like a row of residents.csv. */
export interface DemoResident {
  idNumber: string;
  name: string;
  gender: 'male' | 'female';
  /** `YYYY-MM-DD`, the date encoded in the ID. */
  birthDate: string;
  phone: string | null;
  address: string;
  /** Code of the micro-grid the resident lives in. */
  placeCode: string;
  householdNumber: string;
  relationToHead: string;
  ethnicity: string;
  /** Categories as the registry stores them (低保, 残疾, 高龄…). */
  tags: string[];
}

/** A household (户) with its members, head first. */
export interface DemoHousehold {
  /** The micro-grid code followed by a four-digit sequence within it. */
  householdNumber: string;
  placeCode: string;
  address: string;
  members: DemoResident[];
}

/** What population to generate, and over which city. */
export interface PopulationOptions {
  seed?: number | undefined;
  /** Exact number of residents; default 100,000. */
  persons?: number | undefined;
  /** The places of a generated city; residents live in its micro-grids. */
  places: readonly DemoPlace[];
  /** Date the ages refer to, `YYYY-MM-DD`; fixed by default so that a seed always gives the same people. */
  asOf?: string | undefined;
}

/** Default size of the demo population. */
export const DEFAULT_PERSONS = 100_000;
/** Default reference date of ages and birth dates. */
export const DEFAULT_AS_OF = '2024-12-31';

const DAY_MS = 86_400_000;
const EARLIEST_BIRTH_DAY = Date.UTC(1900, 0, 1) / DAY_MS;
const DAYS_PER_YEAR = 365.2425;
const MAX_AGE = 100;
const SEQUENCES_PER_GENDER = 500;
// Coprime with 500, so successive people born on one day in one area get distinct sequence slots.
const SEQUENCE_STRIDE = 7;
const MAX_HOUSEHOLDS_PER_MICROGRID = 9999;
// Chongqing became a municipality in 1997; IDs first issued before then carry Sichuan's 51 prefix.
const MUNICIPALITY_YEAR = 1997;

/** Area codes the districts had as part of Sichuan (重庆市 as a prefecture-level city, 5102xx). */
const SICHUAN_ERA_DISTRICT_CODES: Readonly<Record<string, string>> = {
  '500103': '510202',
  '500104': '510203',
  '500105': '510211',
  '500106': '510212',
  '500107': '510213',
  '500108': '510214',
  '500109': '510215',
  '500112': '510224',
  '500113': '510222',
};
/** Former Sichuan counties that are now part of Chongqing (万县, 涪陵 regions, 巴县…). */
const SICHUAN_ERA_OTHER_CODES = ['512221', '512222', '512223', '512224', '510222', '510223', '510225', '512301', '512322'];
/** Other Chongqing districts and counties people move in from. */
const OTHER_CHONGQING_CODES = ['500101', '500102', '500110', '500112', '500113', '500116', '500117', '500118', '500230', '500233', '500235', '500236', '500240', '500241', '500242', '500243'];
/** Migrants from Sichuan proper, Guizhou, Hubei, Hunan and further away. */
const MIGRANT_CODES = ['510104', '510107', '511302', '511623', '511702', '512930', '520102', '522121', '420106', '430104', '110105', '440305', '610113', '530102'];

const ETHNICITIES = weightedTable([
  ['汉族', 97.6],
  ['土家族', 1.3],
  ['苗族', 0.6],
  ['回族', 0.15],
  ['满族', 0.1],
  ['彝族', 0.08],
  ['藏族', 0.05],
  ['壮族', 0.05],
  ['蒙古族', 0.04],
  ['侗族', 0.03],
] as const);

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];
const ROAD_SUFFIXES = ['路', '街', '大道', '支路', '正街'];

type HouseholdKind = 'single' | 'couple' | 'singleParent' | 'nuclear' | 'threeGenerations' | 'grandparentsAndGrandchildren' | 'elderWithAdultChild';

// Shares of household kinds chosen so that sizes average about 2.6 and about one resident in five is 60 or older.
const HOUSEHOLD_KINDS = weightedTable<HouseholdKind>([
  ['single', 24],
  ['couple', 24],
  ['singleParent', 5],
  ['nuclear', 30],
  ['threeGenerations', 9],
  ['grandparentsAndGrandchildren', 4],
  ['elderWithAdultChild', 4],
]);
const SINGLE_AGES = weightedTable<[number, number]>([
  [[20, 29], 18],
  [[30, 39], 14],
  [[40, 49], 10],
  [[50, 59], 14],
  [[60, 69], 17],
  [[70, 79], 15],
  [[80, 96], 6],
]);
const COUPLE_AGES = weightedTable<[number, number]>([
  [[22, 34], 15],
  [[35, 54], 12],
  [[55, 64], 25],
  [[65, 79], 32],
  [[80, 94], 5],
]);

interface Member {
  age: number;
  gender: 'male' | 'female';
  relation: string;
  surname: string;
}

interface MicrogridInfo {
  code: string;
  districtCode: string;
  addressPrefix: string;
  road: string;
  houseNumber: number;
  isRural: boolean;
  /** Village group (组) for rural addresses. */
  group: number;
}

/**
 * Streams a deterministic population over the micro-grids of a generated city, one household at a
 * time, so that a million residents never sit in memory together. Residents have valid and unique
 * 18-digit IDs (area code of their district, or a Sichuan-era code for many born before 1997),
 * Chongqing surname frequencies, an ageing age structure and category tags at plausible rates.
 */
export function* generateResidents(options: PopulationOptions): Generator<DemoHousehold> {
  const persons = options.persons ?? DEFAULT_PERSONS;
  if (!Number.isInteger(persons) || persons < 0) throw new RangeError(`persons must be a whole number, got ${persons}`);
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const asOfDay = epochDay(asOf);
  const random = new Random(options.seed ?? 1);
  const microgrids = describeMicrogrids(options.places, random.fork(7));
  if (microgrids.length === 0) throw new RangeError('the places contain no micro-grids to house residents');
  const householdCounts = new Uint16Array(microgrids.length);
  const ids = new IdIssuer(asOfDay);

  let remaining = persons;
  while (remaining > 0) {
    const microgridIndex = random.int(0, microgrids.length - 1);
    const microgrid = microgrids[microgridIndex]!;
    const sequence = ++householdCounts[microgridIndex]!;
    if (sequence > MAX_HOUSEHOLDS_PER_MICROGRID) throw new RangeError(`more than ${MAX_HOUSEHOLDS_PER_MICROGRID} households in micro-grid ${microgrid.code}`);
    const householdNumber = microgrid.code + String(sequence).padStart(4, '0');
    const kind = random.weighted(HOUSEHOLD_KINDS);
    const draft = composeHousehold(random, kind).slice(0, remaining);
    remaining -= draft.length;
    const address = householdAddress(random, microgrid);
    const ethnicity = random.weighted(ETHNICITIES);
    const isPoor = random.chance(kind === 'single' || kind === 'singleParent' || kind === 'grandparentsAndGrandchildren' ? 0.035 : 0.015);
    const members = draft.map((member) =>
      finishResident(random, ids, member, { microgrid, householdNumber, address, asOf, asOfDay, kind, isPoor, size: draft.length, ethnicity }),
    );
    yield { householdNumber, placeCode: microgrid.code, address, members };
  }
}

interface HouseholdContext {
  microgrid: MicrogridInfo;
  householdNumber: string;
  address: string;
  asOf: string;
  asOfDay: number;
  kind: HouseholdKind;
  isPoor: boolean;
  size: number;
  ethnicity: string;
}

function composeHousehold(random: Random, kind: HouseholdKind): Member[] {
  const familyName = pickSurname(random);
  const otherName = () => pickSurname(random);
  const opposite = (gender: 'male' | 'female') => (gender === 'male' ? 'female' : 'male');
  const spouseAge = (age: number) => clampAge(Math.round(age + random.normal(-2, 3)));
  const child = (parentAge: number, relationOfSon: string, relationOfDaughter: string, surname: string): Member | null => {
    const oldest = parentAge - 20;
    if (oldest < 0) return null;
    const age = Math.max(0, Math.min(oldest, parentAge - random.int(23, 36)));
    const gender = random.chance(0.515) ? 'male' : 'female';
    return { age, gender, relation: gender === 'male' ? relationOfSon : relationOfDaughter, surname };
  };
  const members: Member[] = [];
  const add = (member: Member | null) => {
    if (member) members.push(member);
  };

  switch (kind) {
    case 'single': {
      const [min, max] = random.weighted(SINGLE_AGES);
      const age = random.int(min, max);
      // Women outlive men, so more old people living alone are women.
      const gender = random.chance(age >= 60 ? 0.38 : 0.55) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      break;
    }
    case 'couple': {
      const [min, max] = random.weighted(COUPLE_AGES);
      const age = random.int(min, max);
      const gender = random.chance(0.7) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      add({ age: spouseAge(age), gender: opposite(gender), relation: '配偶', surname: otherName() });
      break;
    }
    case 'singleParent': {
      const age = random.int(28, 55);
      const gender = random.chance(0.35) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      const children = random.int(1, 2);
      for (let i = 0; i < children; i++) add(child(age, '子', '女', random.chance(0.7) ? familyName : otherName()));
      break;
    }
    case 'nuclear': {
      const age = random.int(26, 60);
      const gender = random.chance(0.75) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      add({ age: spouseAge(age), gender: opposite(gender), relation: '配偶', surname: otherName() });
      const children = random.weighted(CHILD_COUNTS);
      const childSurname = gender === 'male' ? familyName : members[1]!.surname;
      for (let i = 0; i < children; i++) add(child(age, '子', '女', childSurname));
      break;
    }
    case 'threeGenerations': {
      const age = random.int(30, 55);
      const gender = random.chance(0.75) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      add({ age: spouseAge(age), gender: opposite(gender), relation: '配偶', surname: otherName() });
      const childSurname = gender === 'male' ? familyName : members[1]!.surname;
      const children = random.int(1, 2);
      for (let i = 0; i < children; i++) add(child(age, '子', '女', childSurname));
      const parentAge = clampAge(age + random.int(24, 32));
      const parentSurname = gender === 'male' ? familyName : otherName();
      if (random.chance(0.6)) add({ age: parentAge, gender: 'female', relation: '母亲', surname: otherName() });
      if (members.length < 4 || random.chance(0.4)) add({ age: clampAge(parentAge + random.int(0, 4)), gender: 'male', relation: '父亲', surname: parentSurname });
      break;
    }
    case 'grandparentsAndGrandchildren': {
      const age = random.int(55, 80);
      const gender = random.chance(0.6) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      if (random.chance(0.7)) add({ age: spouseAge(age), gender: opposite(gender), relation: '配偶', surname: otherName() });
      const grandchildren = random.int(1, 2);
      for (let i = 0; i < grandchildren; i++) {
        const grandchildGender = random.chance(0.515) ? 'male' : 'female';
        add({ age: random.int(0, 15), gender: grandchildGender, relation: grandchildGender === 'male' ? '孙子' : '孙女', surname: random.chance(0.7) ? familyName : otherName() });
      }
      break;
    }
    case 'elderWithAdultChild': {
      const age = random.int(60, 85);
      const gender = random.chance(0.55) ? 'male' : 'female';
      add({ age, gender, relation: '户主', surname: familyName });
      if (random.chance(0.6)) add({ age: spouseAge(age), gender: opposite(gender), relation: '配偶', surname: otherName() });
      const adult = child(age, '子', '女', gender === 'male' ? familyName : otherName());
      if (adult) {
        adult.age = Math.max(adult.age, 22);
        add(adult);
        if (random.chance(0.7)) {
          add({ age: spouseAge(adult.age), gender: opposite(adult.gender), relation: adult.gender === 'male' ? '儿媳' : '女婿', surname: otherName() });
        }
        const grandchildren = random.int(0, 2);
        const grandchildSurname = adult.gender === 'male' ? adult.surname : otherName();
        for (let i = 0; i < grandchildren; i++) add(child(adult.age, '孙子', '孙女', grandchildSurname));
      }
      break;
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown household kind ${String(unknown)}`);
    }
  }
  return members;
}

const CHILD_COUNTS = weightedTable([
  [1, 55],
  [2, 38],
  [3, 7],
]);

function finishResident(random: Random, ids: IdIssuer, member: Member, context: HouseholdContext): DemoResident {
  const wantedBirthDay = context.asOfDay - Math.floor(member.age * DAYS_PER_YEAR) - random.int(0, 364);
  const areaCode = pickAreaCode(random, context.microgrid.districtCode, Number(isoDate(wantedBirthDay).slice(0, 4)));
  const idNumber = ids.issue(areaCode, wantedBirthDay, member.gender);
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const age = ageOn(birthDate, context.asOf);
  const hasPhone = age >= 14 && random.chance(age >= 80 ? 0.6 : 0.95);
  return {
    idNumber,
    name: member.surname + pickGivenName(random, member.gender, Number(birthDate.slice(0, 4))),
    gender: member.gender,
    birthDate,
    phone: hasPhone ? random.pick(MOBILE_PREFIXES) + random.digits(8) : null,
    address: context.address,
    placeCode: context.microgrid.code,
    householdNumber: context.householdNumber,
    relationToHead: member.relation,
    ethnicity: random.chance(0.95) ? context.ethnicity : random.weighted(ETHNICITIES),
    tags: pickTags(random, member, age, context),
  };
}

function pickTags(random: Random, member: Member, age: number, context: HouseholdContext): string[] {
  const tags: string[] = [];
  const isAlone = context.size === 1;
  const isDisabled = random.chance(age >= 60 ? 0.12 : 0.03);
  // 特困 (destitute) support replaces 低保: the two are not paid together.
  const isDestitute = isAlone && (age >= 60 || isDisabled) && random.chance(0.045);
  if (isDestitute) tags.push('特困');
  else if (context.isPoor) tags.push('低保');
  if (isDisabled) tags.push('残疾');
  if (age >= 80) tags.push('高龄');
  if (isAlone && age >= 60) tags.push('独居老人');
  const isGrandchild = member.relation === '孙子' || member.relation === '孙女';
  if (isGrandchild && age < 18 && context.kind === 'grandparentsAndGrandchildren') {
    if (random.chance(0.02)) tags.push('孤儿');
    else if (age < 16 && random.chance(0.5)) tags.push('留守儿童');
  }
  if (age >= 20 && random.chance(member.gender === 'male' ? 0.03 : 0.002)) tags.push('退役军人');
  if (age >= 18 && age < 60 && random.chance(0.035)) tags.push('失业');
  return tags;
}

function pickAreaCode(random: Random, districtCode: string, birthYear: number): string {
  if (random.chance(0.05)) return random.pick(MIGRANT_CODES);
  const sichuanShare = birthYear < 1985 ? 0.7 : birthYear < MUNICIPALITY_YEAR ? 0.35 : 0;
  if (random.chance(sichuanShare)) {
    const own = SICHUAN_ERA_DISTRICT_CODES[districtCode];
    return own && random.chance(0.7) ? own : random.pick(SICHUAN_ERA_OTHER_CODES);
  }
  return random.chance(0.85) ? districtCode : random.pick(OTHER_CHONGQING_CODES);
}

/**
 * Issues IDs that are unique by construction: per area code, birth day and gender a counter walks
 * the 500 sequence slots of that gender; a full day moves the birth date one day earlier.
 */
class IdIssuer {
  readonly #counters = new Map<string, Uint16Array>();
  readonly #daySpan: number;

  constructor(asOfDay: number) {
    this.#daySpan = asOfDay - EARLIEST_BIRTH_DAY + 1;
  }

  issue(areaCode: string, birthDay: number, gender: 'male' | 'female'): string {
    let counters = this.#counters.get(areaCode);
    if (!counters) {
      counters = new Uint16Array(this.#daySpan * 2);
      this.#counters.set(areaCode, counters);
    }
    const parity = gender === 'male' ? 1 : 0;
    let day = birthDay;
    for (;;) {
      const slotIndex = (day - EARLIEST_BIRTH_DAY) * 2 + parity;
      const issued = counters[slotIndex]!;
      if (issued < SEQUENCES_PER_GENDER) {
        counters[slotIndex] = issued + 1;
        const start = (day * 31 + Number(areaCode) * 17) % SEQUENCES_PER_GENDER;
        const slot = (start + issued * SEQUENCE_STRIDE) % SEQUENCES_PER_GENDER;
        const first17 = `${areaCode}${isoDate(day).replaceAll('-', '')}${String(slot * 2 + parity).padStart(3, '0')}`;
        return first17 + residentIdCheckCharacter(first17);
      }
      day -= 1;
    }
  }
}

function describeMicrogrids(places: readonly DemoPlace[], random: Random): MicrogridInfo[] {
  const byCode = new Map(places.map((place) => [place.code, place]));
  const roots = placeRoots(random);
  const roadsByCommunity = new Map<string, string[]>();
  const result: MicrogridInfo[] = [];
  const groupsByCommunity = new Map<string, number>();
  for (const place of places) {
    if (place.level !== 'microgrid') continue;
    const grid = parentOf(byCode, place);
    const community = parentOf(byCode, grid);
    const street = parentOf(byCode, community);
    const district = parentOf(byCode, street);
    let roads = roadsByCommunity.get(community.code);
    if (!roads) {
      const offset = roadsByCommunity.size * 3;
      roads = [0, 1, 2].map((i) => roots[(offset + i) % roots.length]! + random.pick(ROAD_SUFFIXES));
      roadsByCommunity.set(community.code, roads);
    }
    const group = (groupsByCommunity.get(community.code) ?? 0) + 1;
    groupsByCommunity.set(community.code, group);
    result.push({
      code: place.code,
      districtCode: district.code,
      addressPrefix: `重庆市${district.name}${street.name}${community.name}`,
      road: random.pick(roads),
      houseNumber: random.int(1, 300),
      isRural: community.isRural,
      group,
    });
  }
  return result;
}

function parentOf(byCode: ReadonlyMap<string, DemoPlace>, place: DemoPlace): DemoPlace {
  const parent = place.parentCode === null ? undefined : byCode.get(place.parentCode);
  if (!parent) throw new RangeError(`place ${place.code} has no parent among the places given`);
  return parent;
}

function householdAddress(random: Random, microgrid: MicrogridInfo): string {
  if (microgrid.isRural) return `${microgrid.addressPrefix}${microgrid.group}组${random.int(1, 120)}号`;
  const building = random.int(1, 12);
  const unit = random.int(1, 4);
  const floor = random.int(1, 32);
  const room = random.int(1, 6);
  return `${microgrid.addressPrefix}${microgrid.road}${microgrid.houseNumber}号${building}栋${unit}单元${floor}-${room}`;
}

function clampAge(age: number): number {
  return Math.max(0, Math.min(MAX_AGE, age));
}

function epochDay(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got ${iso}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole years between a birth date and a date, both `YYYY-MM-DD`. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
