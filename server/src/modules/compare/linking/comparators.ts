import { foldName, normaliseLatinText, profileChineseName, type ChineseNameProfile, type NameSyllable, type ResidentIdParts } from './normalise.ts';
import { isSimilarShape } from './similar-shapes.ts';
import { residentIdCheckCharacter } from '../../../platform/identity/index.ts';

/**
 * How two characters of a Chinese name agree, strongest first: the same character; traditional and
 * simplified forms of one character (陳/陈); homophones with the same tone (张/章) or only the same
 * toneless syllable (李/理 li3 vs 丽 li4); near-sounds of dialect speech (刘/牛, 黄/方); characters
 * commonly confused by shape (己/已); or different.
 */
export const CHARACTER_AGREEMENTS = ['identical', 'variant', 'homophone_tone', 'homophone', 'near_sound', 'similar_shape', 'different'] as const;
/** One of {@link CHARACTER_AGREEMENTS}. */
export type CharacterAgreement = (typeof CHARACTER_AGREEMENTS)[number];

const RANK: Readonly<Record<CharacterAgreement, number>> = Object.fromEntries(CHARACTER_AGREEMENTS.map((agreement, index) => [agreement, index])) as Record<CharacterAgreement, number>;

/** Compares two characters already read in their name's context (see {@link profileChineseName}). */
export function compareNameSyllables(a: NameSyllable, b: NameSyllable): CharacterAgreement {
  if (a.character === b.character) return 'identical';
  if (a.simplified === b.simplified) return 'variant';
  if (a.isChinese && b.isChinese) {
    if (a.pinyin === b.pinyin) return a.tone === b.tone ? 'homophone_tone' : 'homophone';
    if (a.dialectKey === b.dialectKey) return 'near_sound';
  }
  return isSimilarShape(a.simplified, b.simplified) ? 'similar_shape' : 'different';
}

/** Compares two single characters with their ordinary (not surname) readings. */
export function compareChineseCharacters(a: string, b: string): CharacterAgreement {
  const left = profileChineseName(a, { hasSurname: false }).syllables[0];
  const right = profileChineseName(b, { hasSurname: false }).syllables[0];
  if (!left || !right) return 'different';
  return compareNameSyllables(left, right);
}

/**
 * Graded agreement of two Chinese names, strongest first. `exact`: the same after folding (spaces,
 * full-width). `variant`: the same after traditional → simplified. `homophone`: every character sounds
 * the same. `near`: every character at least a near-sound or a similar shape. `partial`: a name of
 * three or more characters with all but one agreeing at least that well, or one character missing or
 * extra. `different`: anything else (张伟/张丽 included: a shared surname alone is no agreement).
 */
export const CHINESE_NAME_LEVELS = ['exact', 'variant', 'homophone', 'near', 'partial', 'different'] as const;
/** One of {@link CHINESE_NAME_LEVELS}. */
export type ChineseNameLevel = (typeof CHINESE_NAME_LEVELS)[number];

/** A name comparison with the per-character findings an auditor reads. */
export interface ChineseNameComparison {
  level: ChineseNameLevel;
  /** Aligned characters; `a` or `b` is '' where a character is missing on that side. */
  characters: { a: string; b: string; agreement: CharacterAgreement | 'missing' }[];
}

/** Compares two Chinese names character by character (names may be given as text or as profiles). */
export function compareChineseNames(a: string | ChineseNameProfile, b: string | ChineseNameProfile): ChineseNameComparison {
  const left = typeof a === 'string' ? profileChineseName(a) : a;
  const right = typeof b === 'string' ? profileChineseName(b) : b;
  const x = left.syllables;
  const y = right.syllables;
  if (x.length === 0 || y.length === 0) return { level: 'different', characters: [] };
  if (x.length === y.length) {
    const characters = x.map((syllable, index) => ({ a: syllable.character, b: y[index]!.character, agreement: compareNameSyllables(syllable, y[index]!) }));
    return { level: left.folded === right.folded ? 'exact' : levelOfAligned(characters.map((pair) => pair.agreement)), characters };
  }
  if (Math.abs(x.length - y.length) === 1 && Math.min(x.length, y.length) >= 2) {
    const [longer, shorter, isLeftLonger] = x.length > y.length ? [x, y, true] : [y, x, false];
    // Try dropping each character of the longer name; keep the alignment that agrees best.
    let best: ChineseNameComparison | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    for (let skip = 0; skip < longer.length; skip++) {
      const rest = longer.filter((_, index) => index !== skip);
      const agreements = rest.map((syllable, index) => compareNameSyllables(syllable, shorter[index]!));
      const worst = Math.max(...agreements.map((agreement) => RANK[agreement]));
      if (worst < bestRank) {
        bestRank = worst;
        const characters: ChineseNameComparison['characters'] = [];
        rest.forEach((syllable, index) => {
          if (index === skip) characters.push(missingPair(longer[skip]!.character, isLeftLonger));
          characters.push(isLeftLonger
            ? { a: syllable.character, b: shorter[index]!.character, agreement: agreements[index]! }
            : { a: shorter[index]!.character, b: syllable.character, agreement: agreements[index]! });
        });
        if (skip === rest.length) characters.push(missingPair(longer[skip]!.character, isLeftLonger));
        best = { level: worst <= RANK.similar_shape ? 'partial' : 'different', characters };
      }
    }
    return best!;
  }
  return { level: 'different', characters: [] };
}

function missingPair(character: string, isLeftLonger: boolean): ChineseNameComparison['characters'][number] {
  return isLeftLonger ? { a: character, b: '', agreement: 'missing' } : { a: '', b: character, agreement: 'missing' };
}

function levelOfAligned(agreements: CharacterAgreement[]): ChineseNameLevel {
  const worst = Math.max(...agreements.map((agreement) => RANK[agreement]));
  if (worst <= RANK.variant) return 'variant';
  if (worst <= RANK.homophone) return 'homophone';
  if (worst <= RANK.similar_shape) return 'near';
  // One character off in a two-character name leaves only the surname, which is no agreement at all.
  const different = agreements.filter((agreement) => agreement === 'different').length;
  return different === 1 && agreements.length >= 3 ? 'partial' : 'different';
}

/** Jaro similarity of two strings, 0…1 (1 = identical). */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  return (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
}

/**
 * Jaro-Winkler similarity (Winkler 1990): Jaro boosted by the common prefix, up to four characters,
 * because typing errors are rarer at the start of a name.
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const similarity = jaro(a, b);
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return similarity + prefix * prefixScale * (1 - similarity);
}

/** Graded agreement of two Latin-script texts: identical, Jaro-Winkler ≥ 0.94, ≥ 0.85, or different. */
export const TEXT_LEVELS = ['exact', 'close', 'similar', 'different'] as const;
/** One of {@link TEXT_LEVELS}. */
export type TextLevel = (typeof TEXT_LEVELS)[number];

/**
 * Compares two Latin-script names or text fields after {@link normaliseLatinText}, ignoring spaces
 * (so "elk i" and "elki" are the same); null when either side is empty, which the weights treat as
 * "no evidence" rather than disagreement.
 */
export function compareLatinText(a: string | null | undefined, b: string | null | undefined, thresholds = { close: 0.94, similar: 0.85 }): TextLevel | null {
  const left = normaliseLatinText(a ?? '').replaceAll(' ', '');
  const right = normaliseLatinText(b ?? '').replaceAll(' ', '');
  if (left === '' || right === '') return null;
  if (left === right) return 'exact';
  const similarity = jaroWinkler(left, right);
  if (similarity >= thresholds.close) return 'close';
  return similarity >= thresholds.similar ? 'similar' : 'different';
}

/** Agreement of two values that are either equal or not (a state, a gender). */
export const EXACT_LEVELS = ['exact', 'different'] as const;
/** One of {@link EXACT_LEVELS}. */
export type ExactLevel = (typeof EXACT_LEVELS)[number];

/** Exact comparison after trimming and case folding; null when either side is empty. */
export function compareExact(a: string | null | undefined, b: string | null | undefined): ExactLevel | null {
  const left = foldName(a ?? '').toLowerCase();
  const right = foldName(b ?? '').toLowerCase();
  if (left === '' || right === '') return null;
  return left === right ? 'exact' : 'different';
}

/** Agreement of two numbers: equal, within a tolerance, or different. */
export const NUMBER_LEVELS = ['exact', 'close', 'different'] as const;
/** One of {@link NUMBER_LEVELS}. */
export type NumberLevel = (typeof NUMBER_LEVELS)[number];

/** Compares two numbers written as text; null when either is missing or not a number. */
export function compareNumbers(a: string | number | null | undefined, b: string | number | null | undefined, tolerance = 0): NumberLevel | null {
  const left = toNumber(a);
  const right = toNumber(b);
  if (left === null || right === null) return null;
  if (left === right) return 'exact';
  return Math.abs(left - right) <= tolerance ? 'close' : 'different';
}

function toNumber(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const folded = foldName(value ?? '');
  if (folded === '' || !/^-?\d+(\.\d+)?$/u.test(folded)) return null;
  return Number(folded);
}

/**
 * Agreement of two dates: the same day; day and month swapped (03/04 for 04/03); one digit typed
 * wrong or two adjacent digits swapped; different.
 */
export const DATE_LEVELS = ['exact', 'day_month_swapped', 'one_digit', 'different'] as const;
/** One of {@link DATE_LEVELS}. */
export type DateLevel = (typeof DATE_LEVELS)[number];

/**
 * Compares two dates written `YYYYMMDD`, `YYYY-MM-DD` or `YYYY/MM/DD` digit by digit, so a typo that
 * makes an impossible date (19501345) still counts as one digit off; null when either is unreadable.
 */
export function compareDates(a: string | null | undefined, b: string | null | undefined): DateLevel | null {
  const left = dateDigits(a);
  const right = dateDigits(b);
  if (left === null || right === null) return null;
  if (left === right) return 'exact';
  if (left.slice(0, 4) === right.slice(0, 4) && left.slice(4, 6) === right.slice(6, 8) && left.slice(6, 8) === right.slice(4, 6)) return 'day_month_swapped';
  return editDistance(left, right) === 1 ? 'one_digit' : 'different';
}

/** `YYYYMMDD` from a date written with or without separators, or null. */
export function dateDigits(value: string | null | undefined): string | null {
  const digits = foldName(value ?? '').replace(/[-/]/gu, '');
  return /^\d{8}$/u.test(digits) ? digits : null;
}

/** Agreement of two codes (ID numbers, postcodes) by the edits needed to turn one into the other. */
export const CODE_LEVELS = ['exact', 'one_edit', 'two_edits', 'different'] as const;
/** One of {@link CODE_LEVELS}. */
export type CodeLevel = (typeof CODE_LEVELS)[number];

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two adjacent
 * characters each cost one, which is how digits are mistyped (a wrong key, a swapped pair).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance = new Array<number>(rows * columns);
  for (let i = 0; i < rows; i++) distance[i * columns] = i;
  for (let j = 0; j < columns; j++) distance[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(distance[(i - 1) * columns + j]! + 1, distance[i * columns + j - 1]! + 1, distance[(i - 1) * columns + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, distance[(i - 2) * columns + j - 2]! + 1);
      distance[i * columns + j] = best;
    }
  }
  return distance[rows * columns - 1]!;
}

/** Compares two codes after folding (spaces, full-width, case); null when either is empty. */
export function compareCodes(a: string | null | undefined, b: string | null | undefined): CodeLevel | null {
  const left = foldName(a ?? '').toUpperCase();
  const right = foldName(b ?? '').toUpperCase();
  if (left === '' || right === '') return null;
  return codeLevel(editDistance(left, right));
}

function codeLevel(distance: number): CodeLevel {
  return distance === 0 ? 'exact' : distance === 1 ? 'one_edit' : distance === 2 ? 'two_edits' : 'different';
}

/**
 * Agreement of a written ID with an insured person's ID: the same; one or two typing edits apart
 * while the written ID fails its check character, as a mistyped ID does (ISO 7064 MOD 11-2 catches
 * every single substitution and adjacent swap, and ten in eleven double slips); one or two edits apart
 * although the written ID passes its check, which is more often another person's real ID than a slip;
 * or further apart.
 */
export const RESIDENT_ID_LEVELS = ['exact', 'one_edit', 'two_edits', 'near_but_checks', 'different'] as const;
/** One of {@link RESIDENT_ID_LEVELS}. */
export type ResidentIdLevel = (typeof RESIDENT_ID_LEVELS)[number];

/** How a written ID compares with an insured person's valid 18-character ID. */
export interface ResidentIdComparison {
  level: ResidentIdLevel;
  /** Which form of the insured ID was compared, in words for the evidence. */
  compared: string;
  distance: number;
  /** Whether the written ID is 18 characters that pass the check character; a 15-digit or malformed one has none to pass. */
  passesCheck: boolean;
}

/**
 * Compares a written ID with an insured person's ID by the typing edits between them: an 18-character
 * ID with the 18-character form, a 15-digit one with the legacy 15-digit form, and an ID of another
 * length with whichever form is nearer (a dropped or doubled digit). The whole ID is compared, birth
 * date digits included: two people sharing area and order codes but born on different days are not
 * near, while a two-digit slip anywhere is. Null when no ID was written.
 */
export function compareResidentIds(written: ResidentIdParts, insuredId18: string): ResidentIdComparison | null {
  const id15 = insuredId18.slice(0, 6) + insuredId18.slice(8, 17);
  switch (written.shape) {
    case 'missing':
      return null;
    case 'id18': {
      const distance = editDistance(written.cleaned, insuredId18);
      const passesCheck = residentIdCheckCharacter(written.cleaned.slice(0, 17)) === written.check;
      return { level: residentIdLevel(distance, passesCheck), compared: '18-character ID', distance, passesCheck };
    }
    case 'id15': {
      const distance = editDistance(written.cleaned, id15);
      return { level: residentIdLevel(distance, false), compared: '15-digit form of the ID', distance, passesCheck: false };
    }
    case 'other': {
      const distance = Math.min(editDistance(written.cleaned, insuredId18), editDistance(written.cleaned, id15));
      const compared = `ID of ${written.cleaned.length} characters as written, against the nearer of the 18- and 15-character forms`;
      return { level: residentIdLevel(distance, false), compared, distance, passesCheck: false };
    }
  }
}

function residentIdLevel(distance: number, passesCheck: boolean): ResidentIdLevel {
  if (distance === 0) return 'exact';
  if (distance > 2) return 'different';
  if (passesCheck) return 'near_but_checks';
  return distance === 1 ? 'one_edit' : 'two_edits';
}
