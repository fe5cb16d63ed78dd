import { AppError } from '../errors.ts';
import { foldToHalfWidth } from './normalise.ts';
import { RESIDENT_ID_PROVINCES } from './resident-id.ts';

/** Why a unified social credit code was rejected; checks run in this order. */
export type CreditCodeFailure =
  | 'EMPTY'
  | 'LENGTH'
  | 'CHARSET'
  | 'CATEGORY'
  | 'AREA_CODE'
  | 'ORGANISATION_CODE'
  | 'CHECK_CHARACTER';

/** A unified social credit code that passed every check of GB 32100-2015, split into its parts. */
export interface ValidCreditCode {
  isValid: true;
  code: string;
  /** Position 1: the registration authority (登记管理部门码), e.g. `9` for market regulation. */
  registrationAuthority: string;
  registrationAuthorityName: string;
  /** Position 2: the organisation category (机构类别码) within that authority. */
  category: string;
  categoryName: string;
  /** Positions 3–8: the administrative division of the registering authority. */
  areaCode: string;
  /** Positions 9–17: the organisation code of GB 11714, its last character being its own check. */
  organisationCode: string;
}

/** A rejected credit code: a stable reason and a precise English message. */
export interface InvalidCreditCode {
  isValid: false;
  reason: CreditCodeFailure;
  message: string;
}

/** Outcome of `validateCreditCode`. */
export type CreditCodeResult = ValidCreditCode | InvalidCreditCode;

/** The 31 characters a credit code may use: digits and capitals without I, O, Z, S, V. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

interface RegistrationAuthority {
  name: string;
  categories: Readonly<Record<string, string>>;
}

/**
 * Registration authorities and their organisation categories. Codes 1–9 and Y are from table 1 of
 * GB 32100-2015; A (military, 2017) and N (rural collectives, 2018) were added later by the authorities
 * concerned and are taken from their notices as remembered, so treat A and N as the least certain rows.
 */
export const CREDIT_CODE_AUTHORITIES: Readonly<Record<string, RegistrationAuthority>> = {
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', categories: { '1': '其他' } },
};

// Weight of position i is 3^i mod 31.
const CHECK_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
// GB 11714 organisation code: values 0–9 for digits and 10–35 for A–Z (the full alphabet).
const ORGANISATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ORGANISATION_CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// Organisations registered by central authorities carry 100000 rather than a province's code.
const CENTRAL_AREA_PREFIX = '10';

/** Trims, removes inner spaces, folds full-width characters to half-width and upper-cases. */
export function normaliseCreditCode(input: string): string {
  return foldToHalfWidth(input).toUpperCase();
}

/** The GB 32100 check character (position 18) for the first 17 characters of a credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) {
    throw new AppError('INVALID_CREDIT_CODE', `expected 17 characters to compute a check character, found ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += charsetValue(first17[i]!) * CHECK_WEIGHTS[i]!;
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** The GB 11714 check character (the organisation code's 9th) for its first 8 characters. */
export function organisationCodeCheckCharacter(first8: string): string {
  if (!/^[0-9A-Z]{8}$/u.test(first8)) {
    throw new AppError('INVALID_CREDIT_CODE', `expected 8 digits or capitals to compute an organisation code check, found "${first8}"`);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ORGANISATION_CODE_ALPHABET.indexOf(first8[i]!) * ORGANISATION_CODE_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Validates a unified social credit code against GB 32100-2015 and the GB 11714 organisation code in it. */
export function validateCreditCode(input: string): CreditCodeResult {
  const code = normaliseCreditCode(input);
  if (code.length === 0) return invalid('EMPTY', 'credit code is empty');
  if (code.length !== 18) return invalid('LENGTH', `credit code must have 18 characters, found ${code.length}`);
  for (let i = 0; i < code.length; i++) {
    if (!CREDIT_CODE_CHARSET.includes(code[i]!)) {
      return invalid('CHARSET', `character ${i + 1} "${code[i]}" is not allowed (digits and capitals except I, O, Z, S, V)`);
    }
  }

  const registrationAuthority = code[0]!;
  const category = code[1]!;
  const authority = CREDIT_CODE_AUTHORITIES[registrationAuthority];
  if (!authority) return invalid('CATEGORY', `registration authority code ${registrationAuthority} is not defined by GB 32100`);
  const categoryName = authority.categories[category];
  if (!categoryName) {
    const allowed = Object.keys(authority.categories).join(', ');
    const message = `category ${category} is not defined for registration authority ${registrationAuthority} (allowed: ${allowed})`;
    return invalid('CATEGORY', message);
  }

  const areaCode = code.slice(2, 8);
  const province = areaCode.slice(0, 2);
  if (!/^\d{6}$/u.test(areaCode) || !(province === CENTRAL_AREA_PREFIX || province in RESIDENT_ID_PROVINCES)) {
    return invalid('AREA_CODE', `area code ${areaCode} is not an administrative division code of GB/T 2260`);
  }

  const organisationCode = code.slice(8, 17);
  const organisationCheck = organisationCodeCheckCharacter(organisationCode.slice(0, 8));
  if (organisationCode[8] !== organisationCheck) {
    return invalid(
      'ORGANISATION_CODE',
      `organisation code ${organisationCode} should end in ${organisationCheck}, found ${organisationCode[8]}`,
    );
  }

  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) return invalid('CHECK_CHARACTER', `check character should be ${expected}, found ${code[17]}`);
  return {
    isValid: true,
    code,
    registrationAuthority,
    registrationAuthorityName: authority.name,
    category,
    categoryName,
    areaCode,
    organisationCode,
  };
}

/**
 * Completes 17 characters into a valid credit code by appending the check character; for test factories
 * and the demo city. Throws INVALID_CREDIT_CODE when the prefix cannot make a valid code (for example a
 * wrong organisation-code check), so a factory never hands out an invalid code silently.
 */
export function makeCreditCode(prefix17: string): string {
  const prefix = normaliseCreditCode(prefix17);
  if (prefix.length !== 17) {
    throw new AppError('INVALID_CREDIT_CODE', `a credit code prefix has 17 characters, found ${prefix.length}`, { reason: 'LENGTH' });
  }
  const invalidCharacter = [...prefix].find((char) => !CREDIT_CODE_CHARSET.includes(char));
  if (invalidCharacter !== undefined) {
    throw new AppError('INVALID_CREDIT_CODE', `character "${invalidCharacter}" is not allowed in a credit code`, { reason: 'CHARSET' });
  }
  const code = prefix + creditCodeCheckCharacter(prefix);
  const result = validateCreditCode(code);
  if (!result.isValid) throw new AppError('INVALID_CREDIT_CODE', result.message, { reason: result.reason });
  return code;
}

function charsetValue(char: string): number {
  const value = CREDIT_CODE_CHARSET.indexOf(char);
  if (value < 0) throw new AppError('INVALID_CREDIT_CODE', `character "${char}" is not allowed in a credit code`);
  return value;
}

function invalid(reason: CreditCodeFailure, message: string): InvalidCreditCode {
  return { isValid: false, reason, message };
}
