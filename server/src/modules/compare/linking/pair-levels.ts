import { CHINESE_NAME_LEVELS, compareChineseNames, dateDigits, RESIDENT_ID_LEVELS } from './comparators.ts';
import { genderFromSequence, parseGender, profileChineseName, readResidentIdParts, type ChineseNameProfile } from './normalise.ts';
import { similarShapeClass } from './similar-shapes.ts';
import { residentIdCheckCharacter } from '../../../platform/identity/index.ts';

// The fuzzy stage's first pass compares every candidate pair of a dataset: tens of millions at a
// city's scale (its payroll against its roll). The comparators in comparators.ts build strings and
// objects per pair for the evidence; here are the same four comparisons (name, birth date, gender,
// ID) giving only the level, over values prepared once per identity and per distinct name, with the
// roll's ID as two integers. Each function returns exactly what the full comparison returns
// (pair-levels.test.ts checks them against each other); describing a linked pair in words still
// goes through the full comparison.

/** Level index meaning "missing on either side": no evidence, weight 0. */
export const MISSING_LEVEL = -1;

const NAME_DIFFERENT = CHINESE_NAME_LEVELS.indexOf('different');
const ID_LEVEL = Object.fromEntries(RESIDENT_ID_LEVELS.map((level, index) => [level, index])) as Record<(typeof RESIDENT_ID_LEVELS)[number], number>;

/**
 * A name prepared for level-only comparison: its profile, and three integer keys per character (its
 * simplified form, its dialect-folded reading in the name's context, its similar-shape class). Two
 * characters that agree at any level short of 'different' share at least one key: identical and
 * variant characters share the simplified form, homophones and near-sounds the reading, look-alikes
 * the class. So names whose keys cannot line up well enough are 'different' without the full
 * comparison, which is most pairs in a block chosen by ID parts.
 */
export interface NameKeys {
  profile: ChineseNameProfile;
  /** Per character: simplified form, reading, shape class (0 = none), flattened. */
  keys: Int32Array;
}

const KEY_CODES = new Map<string, number>();
const keyCode = (text: string): number => {
  let code = KEY_CODES.get(text);
  if (code === undefined) KEY_CODES.set(text, (code = KEY_CODES.size + 1));
  return code;
};

/**
 * Names prepared for comparison, kept for the datasets of one run: their insured candidates are
 * drawn from one roll, so most names come back dataset after dataset.
 */
export class PreparedNames {
  readonly #byName = new Map<string, NameKeys>();

  /** The name's keys, prepared on first use. */
  of(name: string): NameKeys {
    let keys = this.#byName.get(name);
    if (!keys) this.#byName.set(name, (keys = nameKeys(name)));
    return keys;
  }
}

/** Prepares a name as written for {@link compareNameLevels}. */
export function nameKeys(name: string): NameKeys {
  const profile = profileChineseName(name);
  const keys = new Int32Array(profile.syllables.length * 3);
  profile.syllables.forEach((syllable, index) => {
    keys[index * 3] = keyCode(`s:${syllable.simplified}`);
    keys[index * 3 + 1] = keyCode(`r:${syllable.dialectKey}`);
    keys[index * 3 + 2] = similarShapeClass(syllable.simplified);
  });
  return { profile, keys };
}

function mightAgree(x: Int32Array, i: number, y: Int32Array, j: number): boolean {
  return x[i * 3] === y[j * 3] || x[i * 3 + 1] === y[j * 3 + 1] || (x[i * 3 + 2] !== 0 && x[i * 3 + 2] === y[j * 3 + 2]);
}

/**
 * Whether the full comparison could find anything but 'different': equal lengths need every
 * character to agree (all but one from three characters up), lengths one apart need the shorter
 * name to line up with the longer one less a character (see compareChineseNames).
 */
function couldAgree(x: Int32Array, y: Int32Array): boolean {
  const m = x.length / 3;
  const n = y.length / 3;
  if (m === n) {
    let agreeing = 0;
    for (let index = 0; index < m; index++) if (mightAgree(x, index, y, index)) agreeing++;
    return m >= 3 ? agreeing >= m - 1 : agreeing === m;
  }
  if (Math.abs(m - n) !== 1 || Math.min(m, n) < 2) return false;
  const longer = m > n ? x : y;
  const shorter = m > n ? y : x;
  const length = Math.min(m, n);
  for (let skip = 0; skip <= length; skip++) {
    let lined = true;
    for (let index = 0; index < length && lined; index++) lined = mightAgree(longer, index < skip ? index : index + 1, shorter, index);
    if (lined) return true;
  }
  return false;
}

/** The name level of compareChineseNames as an index, or {@link MISSING_LEVEL} when either name is empty. */
export function compareNameLevels(a: NameKeys, b: NameKeys): number {
  if (a.profile.folded === '' || b.profile.folded === '') return MISSING_LEVEL;
  if (a.profile.folded === b.profile.folded) return 0;
  if (!couldAgree(a.keys, b.keys)) return NAME_DIFFERENT;
  return CHINESE_NAME_LEVELS.indexOf(compareChineseNames(a.profile, b.profile).level);
}

/**
 * Optimal-string-alignment distance of two code sequences (as editDistance), capped: any distance
 * above `max` comes back as `max + 1`. A shared beginning and end cost nothing and are skipped (two
 * IDs a block brings together share most of their digits); of the rest, only cells within `max` of
 * the diagonal are computed, since a path leaving that band already costs more, and the work stops
 * at the first row beyond `max`.
 */
export function boundedEditDistance(a: ArrayLike<number>, aLength: number, b: ArrayLike<number>, bLength: number, max: number): number {
  const beyond = max + 1;
  if (Math.abs(aLength - bLength) > max) return beyond;
  let start = 0;
  while (start < aLength && start < bLength && a[start] === b[start]) start++;
  let aEnd = aLength;
  let bEnd = bLength;
  while (aEnd > start && bEnd > start && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }
  const m = aEnd - start;
  const n = bEnd - start;
  if (m === 0 || n === 0) return Math.min(m + n, beyond);
  if (rows[0]!.length <= n + 1) for (let row = 0; row < 3; row++) rows[row] = new Int32Array(n + 2);
  let twoBack = rows[0]!;
  let previous = rows[1]!;
  let current = rows[2]!;
  for (let j = 0; j <= n; j++) previous[j] = Math.min(j, beyond);
  previous[n + 1] = beyond;
  for (let i = 1; i <= m; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(n, i + max);
    const x = a[start + i - 1];
    current[from - 1] = from === 1 ? Math.min(i, beyond) : beyond;
    let rowMinimum = current[from - 1]!;
    for (let j = from; j <= to; j++) {
      const y = b[start + j - 1];
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x === y ? 0 : 1));
      if (i > 1 && j > 1 && x === b[start + j - 2] && a[start + i - 2] === y) value = Math.min(value, twoBack[j - 2]! + 1);
      current[j] = Math.min(value, beyond);
      if (value < rowMinimum) rowMinimum = value;
    }
    if (to < n) current[to + 1] = beyond;
    // A cell of a later row comes from this row, or by a swap from the row before at a cost no lower.
    if (rowMinimum > max) return beyond;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[n]!;
}

const rows = [new Int32Array(24), new Int32Array(24), new Int32Array(24)];

/** A date `YYYYMMDD` as the number it spells, or -1 when the text is not one (see dateDigits). */
export function dateNumber(value: string | null | undefined): number {
  const digits = dateDigits(value);
  return digits === null ? -1 : Number(digits);
}

/** The level of compareDates as an index, for two dates given as {@link dateNumber}s. */
export function compareDateLevels(a: number, b: number): number {
  if (a < 0 || b < 0) return MISSING_LEVEL;
  if (a === b) return 0;
  const yearA = Math.floor(a / 10_000);
  const monthA = Math.floor(a / 100) % 100;
  const dayA = a % 100;
  if (yearA === Math.floor(b / 10_000) && monthA === b % 100 && dayA === Math.floor(b / 100) % 100) return 1;
  // One digit off: one digit differs, or two adjacent digits are swapped (the only single edits
  // between two strings of eight digits).
  let differing = 0;
  let first = -1;
  let x = a;
  let y = b;
  const digitsA = [0, 0];
  const digitsB = [0, 0];
  for (let position = 0; position < 8; position++, x = Math.floor(x / 10), y = Math.floor(y / 10)) {
    const p = x % 10;
    const q = y % 10;
    if (p === q) continue;
    if (++differing > 2) return 3;
    if (differing === 1) first = position;
    else if (position !== first + 1) return 3;
    digitsA[differing - 1] = p;
    digitsB[differing - 1] = q;
  }
  return differing === 1 || (digitsA[0] === digitsB[1] && digitsA[1] === digitsB[0]) ? 2 : 3;
}

const GENDER_CODE = { male: 1, female: 2 } as const;

/** 1 male, 2 female, 0 unknown: a gender as {@link compareGenderLevels} takes it. */
export function genderCode(gender: 'male' | 'female' | null): number {
  return gender === null ? 0 : GENDER_CODE[gender];
}

/** The gender level (exact 0, different 1) or {@link MISSING_LEVEL}. */
export function compareGenderLevels(a: number, b: number): number {
  return a === 0 || b === 0 ? MISSING_LEVEL : a === b ? 0 : 1;
}

/** What the first pass compares of a leftover identity, prepared once for all its candidates. */
export interface IdentitySide {
  /** 'id18', 'id15', 'other' or 'missing', as readResidentIdParts reads the written ID. */
  idShape: 'id18' | 'id15' | 'other' | 'missing';
  /** The cleaned written ID's UTF-16 code units. */
  idCodes: Uint16Array;
  /** Whether an 18-character written ID passes its check character. */
  idPassesCheck: boolean;
  /** The birth date the written ID shows, and the declared one, as {@link dateNumber}s. */
  idBirth: number;
  declaredBirth: number;
  /** From the written ID's order code when it has the standard shape, else as declared; a {@link genderCode}. */
  gender: number;
  name: NameKeys;
}

/** Prepares a leftover identity (its cleaned written ID, its name, what it declares) for {@link comparePairLevels}. */
export function identitySide(identity: { idClean: string; name: string; declaredBirth: string | null; declaredGender: string | null }, name: NameKeys = nameKeys(identity.name)): IdentitySide {
  const parts = readResidentIdParts(identity.idClean);
  const hasStandardShape = parts.shape === 'id18' || parts.shape === 'id15';
  return {
    idShape: parts.shape,
    idCodes: Uint16Array.from(parts.cleaned, (character) => character.charCodeAt(0)),
    idPassesCheck: parts.shape === 'id18' && residentIdCheckCharacter(parts.cleaned.slice(0, 17)) === parts.check,
    idBirth: dateNumber(parts.birthDigits),
    declaredBirth: dateNumber(identity.declaredBirth),
    gender: genderCode(hasStandardShape ? genderFromSequence(parts.sequence) : parseGender(identity.declaredGender)),
    name,
  };
}

/**
 * A roll row as the first pass reads it: the valid 18-character ID as its first nine digits, its
 * next eight and the check character's code, the roll's gender column as a {@link genderCode}
 * (0 when it says nothing readable), and the name.
 */
export interface InsuredSide {
  idHigh: number;
  idLow: number;
  idCheck: number;
  gender: number;
  name: NameKeys;
}

const ZERO = '0'.charCodeAt(0);
const insured18 = new Uint16Array(18);
const insured15 = new Uint16Array(15);

/**
 * Writes the pair's levels at `out[offset…offset + 3]` in the order of the fuzzy stage's fields
 * (name, birth date, gender, ID), {@link MISSING_LEVEL} where a side has nothing to compare:
 * what the full comparison gives, without the words.
 */
export function comparePairLevels(identity: IdentitySide, insured: InsuredSide, out: Int8Array, offset: number): void {
  let high = insured.idHigh;
  let low = insured.idLow;
  for (let position = 8; position >= 0; position--, high = Math.floor(high / 10)) insured18[position] = ZERO + (high % 10);
  for (let position = 16; position >= 9; position--, low = Math.floor(low / 10)) insured18[position] = ZERO + (low % 10);
  insured18[17] = insured.idCheck;
  // The birth date is positions 7–14 of the ID: the last three of the first nine digits, the first five of the next eight.
  const insuredBirth = (insured.idHigh % 1000) * 100_000 + Math.floor(insured.idLow / 1000);

  out[offset] = compareNameLevels(identity.name, insured.name);

  const fromId = compareDateLevels(identity.idBirth, insuredBirth);
  const declared = compareDateLevels(identity.declaredBirth, insuredBirth);
  out[offset + 1] = fromId === MISSING_LEVEL ? declared : declared === MISSING_LEVEL ? fromId : Math.min(fromId, declared);

  const rosterGender = insured.gender !== 0 ? insured.gender : (insured.idLow % 10) % 2 === 1 ? GENDER_CODE.male : GENDER_CODE.female;
  out[offset + 2] = compareGenderLevels(identity.gender, rosterGender);

  out[offset + 3] = idLevel(identity);
}

function idLevel(identity: IdentitySide): number {
  const codes = identity.idCodes;
  let distance: number;
  switch (identity.idShape) {
    case 'missing':
      return MISSING_LEVEL;
    case 'id18':
      distance = boundedEditDistance(codes, codes.length, insured18, 18, 2);
      break;
    case 'id15':
      distance = boundedEditDistance(codes, codes.length, fifteen(), 15, 2);
      break;
    case 'other':
      distance = Math.min(boundedEditDistance(codes, codes.length, insured18, 18, 2), boundedEditDistance(codes, codes.length, fifteen(), 15, 2));
      break;
  }
  if (distance === 0) return ID_LEVEL.exact;
  if (distance > 2) return ID_LEVEL.different;
  if (identity.idPassesCheck) return ID_LEVEL.near_but_checks;
  return distance === 1 ? ID_LEVEL.one_edit : ID_LEVEL.two_edits;
}

/** The legacy 15-digit form of the insured ID in {@link insured18}: area, birth date without the century, order code. */
function fifteen(): Uint16Array {
  insured15.set(insured18.subarray(0, 6), 0);
  insured15.set(insured18.subarray(8, 17), 6);
  return insured15;
}

/** Candidate pairs as integer columns (see readCandidatePairs), `rows` of them. */
export interface PairColumns {
  rows: number;
  identity: Int32Array;
  nameId: Int32Array;
  idHigh: Int32Array;
  idLow: Int32Array;
  idCheck: Int32Array;
  gender: Int32Array;
}

/** What comparing a dataset's pairs needs: its leftover identities, and the roll's names among the candidates by number. */
export interface PairLevelsSetup {
  identities: readonly { identity: number; idClean: string; name: string; declaredBirth: string | null; declaredGender: string | null }[];
  names: readonly string[];
}

/** Levels written per pair: name, birth date, gender, ID. */
export const LEVELS_PER_PAIR = 4;

/**
 * Prepares a dataset's identities and names once and returns the comparison of a batch of pairs:
 * {@link LEVELS_PER_PAIR} levels per pair, in the batch's order.
 */
export function pairLevelsComparer(setup: PairLevelsSetup, preparedNames = new PreparedNames()): (batch: PairColumns) => Int8Array {
  const sides: IdentitySide[] = [];
  for (const identity of setup.identities) sides[identity.identity] = identitySide(identity, preparedNames.of(identity.name));
  const names = setup.names.map((name) => preparedNames.of(name));
  const insured: InsuredSide = { idHigh: 0, idLow: 0, idCheck: 0, gender: 0, name: preparedNames.of('') };
  return (batch) => {
    const vectors = new Int8Array(batch.rows * LEVELS_PER_PAIR);
    for (let row = 0; row < batch.rows; row++) {
      const side = sides[batch.identity[row]!];
      if (!side) throw new Error(`candidate pair of unknown identity ${batch.identity[row]}`);
      insured.idHigh = batch.idHigh[row]!;
      insured.idLow = batch.idLow[row]!;
      insured.idCheck = batch.idCheck[row]!;
      insured.gender = batch.gender[row]!;
      insured.name = names[batch.nameId[row]!]!;
      comparePairLevels(side, insured, vectors, row * LEVELS_PER_PAIR);
    }
    return vectors;
  };
}
