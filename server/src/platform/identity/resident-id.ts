import { AppError } from '../errors.ts';
import { foldToHalfWidth } from './normalise.ts';

/** Why a resident ID was rejected; the checks run in this order and the first failure is reported. */
export type ResidentIdFailure = 'EMPTY' | 'LENGTH' | 'FORMAT' | 'AREA_CODE' | 'BIRTH_DATE' | 'CHECK_CHARACTER';

/** A resident ID that passed every check of GB 11643-1999, with what it encodes. */
export interface ValidResidentId {
  isValid: true;
  /** The 18-character form, upgraded when the input was a 15-digit legacy number. */
  idNumber: string;
  areaCode: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  gender: 'male' | 'female';
  /** The three-digit order code; its last digit carries the gender. */
  sequence: string;
  upgradedFrom15: boolean;
}

/** A rejected resident ID: a stable reason and an English message precise enough to fix the input. */
export interface InvalidResidentId {
  isValid: false;
  reason: ResidentIdFailure;
  message: string;
}

/** Outcome of `validateResidentId`. */
export type ResidentIdResult = ValidResidentId | InvalidResidentId;

/** Knobs for validation; the clock is injectable so that "not in the future" is testable. */
export interface ResidentIdOptions {
  /** The current instant; the calendar date is taken in China Standard Time. Defaults to now. */
  today?: Date;
  /**
   * Earliest accepted birth date, `YYYY-MM-DD`, default `1900-01-01`. Lower it only for historical
   * records such as the 1880 sample in the standard's appendix.
   */
  earliestBirthDate?: string;
}

/**
 * Two-digit province prefixes of GB/T 2260 that may start a resident ID. 83 is not a GB/T 2260 province
 * but the prefix of residence permits for Taiwan residents (830000), which share the ID format.
 */
export const RESIDENT_ID_PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
  '83': '台湾居民居住证',
};

// ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const DEFAULT_EARLIEST_BIRTH_DATE = '1900-01-01';
// China has kept UTC+8 all year since 1991, so a fixed offset gives the local calendar date.
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Trims, removes inner spaces, folds full-width digits and letters to half-width and upper-cases x. */
export function normaliseResidentId(input: string): string {
  return foldToHalfWidth(input).replace(/x/gu, 'X');
}

/** The ISO 7064 MOD 11-2 check character for the first 17 digits of an 18-digit resident ID. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/u.test(first17)) {
    throw new AppError('INVALID_ID_NUMBER', `expected 17 digits to compute a check character, found "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * CHECK_WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * Validates a resident ID (18 characters, or the 15-digit legacy format, which is upgraded) against
 * GB 11643-1999: format, province prefix, a real birth date that is not in the future, check character.
 */
export function validateResidentId(input: string, options: ResidentIdOptions = {}): ResidentIdResult {
  const id = normaliseResidentId(input);
  if (id.length === 0) return invalid('EMPTY', 'ID number is empty');
  if (id.length !== 18 && id.length !== 15) {
    return invalid('LENGTH', `ID number must have 18 characters (or 15 for the legacy format), found ${id.length}`);
  }
  const formatProblem = findFormatProblem(id);
  if (formatProblem) return invalid('FORMAT', formatProblem);

  const upgradedFrom15 = id.length === 15;
  const first17 = upgradedFrom15 ? `${id.slice(0, 6)}19${id.slice(6, 15)}` : id.slice(0, 17);
  const areaCode = first17.slice(0, 6);
  if (!(areaCode.slice(0, 2) in RESIDENT_ID_PROVINCES)) {
    return invalid('AREA_CODE', `area code ${areaCode} does not start with a province code of GB/T 2260`);
  }
  const birthDigits = first17.slice(6, 14);
  const birthProblem = findBirthDateProblem(birthDigits, options);
  if (birthProblem) return invalid('BIRTH_DATE', birthProblem);

  const expected = residentIdCheckCharacter(first17);
  if (!upgradedFrom15 && id[17] !== expected) {
    return invalid('CHECK_CHARACTER', `check character should be ${expected}, found ${id[17]}`);
  }
  return {
    isValid: true,
    idNumber: first17 + expected,
    areaCode,
    birthDate: `${birthDigits.slice(0, 4)}-${birthDigits.slice(4, 6)}-${birthDigits.slice(6, 8)}`,
    gender: Number(first17[16]) % 2 === 1 ? 'male' : 'female',
    sequence: first17.slice(14, 17),
    upgradedFrom15,
  };
}

/**
 * Upgrades a 15-digit legacy ID (born 1900–1999) to 18 characters: '19' goes before the year and
 * the check character is appended. Throws INVALID_ID_NUMBER when the legacy ID itself is invalid.
 */
export function upgradeResidentId15(id15: string, options: ResidentIdOptions = {}): string {
  const normalised = normaliseResidentId(id15);
  if (normalised.length !== 15) {
    throw new AppError('INVALID_ID_NUMBER', `a legacy ID number has 15 digits, found ${normalised.length} characters`, {
      reason: 'LENGTH',
    });
  }
  const result = validateResidentId(normalised, options);
  if (!result.isValid) throw new AppError('INVALID_ID_NUMBER', result.message, { reason: result.reason });
  return result.idNumber;
}

/** Multi-line, human-readable outcome of checking one ID, as printed by `minsheng id check <ID>`. */
export function describeResidentIdCheck(input: string, options: ResidentIdOptions = {}): string {
  const result = validateResidentId(input, options);
  if (!result.isValid) {
    const shown = normaliseResidentId(input) || '(empty)';
    return [`Invalid resident ID: ${shown}`, `Reason: ${result.reason}: ${result.message}`].join('\n');
  }
  const province = RESIDENT_ID_PROVINCES[result.areaCode.slice(0, 2)];
  return [
    `Valid resident ID: ${result.idNumber}`,
    `Birth date: ${result.birthDate}`,
    `Gender: ${result.gender}`,
    `Area code: ${result.areaCode} (${province})`,
    `Upgraded from 15 digits: ${result.upgradedFrom15 ? `yes (from ${normaliseResidentId(input)})` : 'no'}`,
  ].join('\n');
}

function invalid(reason: ResidentIdFailure, message: string): InvalidResidentId {
  return { isValid: false, reason, message };
}

function findFormatProblem(id: string): string | undefined {
  for (let i = 0; i < id.length; i++) {
    const char = id[i]!;
    const isCheckPosition = id.length === 18 && i === 17;
    if (/\d/u.test(char) || (isCheckPosition && char === 'X')) continue;
    const expected = isCheckPosition ? 'a digit or X' : 'a digit';
    return `character ${i + 1} must be ${expected}, found "${char}"`;
  }
  return undefined;
}

function findBirthDateProblem(digits: string, options: ResidentIdOptions): string | undefined {
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  if (!isRealDate(year, month, day)) return `birth date ${digits} is not a real calendar date`;
  const birthDate = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  const earliest = options.earliestBirthDate ?? DEFAULT_EARLIEST_BIRTH_DATE;
  // ISO dates of equal length compare correctly as strings.
  if (birthDate < earliest) return `birth date ${birthDate} is before ${earliest}`;
  const today = chinaCalendarDate(options.today ?? new Date());
  if (birthDate > today) return `birth date ${birthDate} is in the future (today is ${today})`;
  return undefined;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= daysInMonth;
}

function chinaCalendarDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}
