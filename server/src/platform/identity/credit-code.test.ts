import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckCharacter,
  makeCreditCode,
  normaliseCreditCode,
  organisationCodeCheckCharacter,
  validateCreditCode,
} from './credit-code.ts';

// The example printed in GB 32100-2015, then published codes of Huawei Technologies, Shenzhen Tencent
// Computer Systems and Alibaba (China); each passes both its organisation-code and its final check.
const STANDARD_EXAMPLE = '91350100M000100Y43';
const PUBLISHED_CODES = [STANDARD_EXAMPLE, '914403001922038216', '91440300708461136T', '91330100716105852F'];

describe('credit code validation', () => {
  it('splits the standard example into its parts', () => {
    expect(validateCreditCode(STANDARD_EXAMPLE)).toEqual({
      isValid: true,
      code: STANDARD_EXAMPLE,
      registrationAuthority: '9',
      registrationAuthorityName: '工商',
      category: '1',
      categoryName: '企业',
      areaCode: '350100',
      organisationCode: 'M000100Y4',
    });
  });

  it.each(PUBLISHED_CODES)('accepts the published code %s', (code) => {
    expect(validateCreditCode(code)).toMatchObject({ isValid: true, code });
  });

  it('computes the check characters of the standard example by hand-verified values', () => {
    // M000100Y: 3·22 + 5·1 + 2·34 = 139, 139 mod 11 = 7, 11 − 7 = 4.
    expect(organisationCodeCheckCharacter('M000100Y')).toBe('4');
    // Weighted sum of the first 17 is 1640, 1640 mod 31 = 28, 31 − 28 = 3.
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it.each(PUBLISHED_CODES)('rejects every other character at position 18 of %s', (code) => {
    for (const char of CREDIT_CODE_CHARSET) {
      if (char === code[17]) continue;
      const result = validateCreditCode(code.slice(0, 17) + char);
      expect(result).toMatchObject({ isValid: false, reason: 'CHECK_CHARACTER' });
    }
  });

  it('rejects every single-character substitution anywhere in the standard example', () => {
    for (let position = 0; position < 18; position++) {
      for (const char of CREDIT_CODE_CHARSET) {
        if (char === STANDARD_EXAMPLE[position]) continue;
        const mutated = STANDARD_EXAMPLE.slice(0, position) + char + STANDARD_EXAMPLE.slice(position + 1);
        if (validateCreditCode(mutated).isValid) expect.fail(`${mutated} was accepted`);
      }
    }
  });

  it('names the expected check character when the last one is wrong', () => {
    expect(validateCreditCode('91350100M000100Y44')).toEqual({
      isValid: false,
      reason: 'CHECK_CHARACTER',
      message: 'check character should be 3, found 4',
    });
  });

  it('rejects a wrong organisation-code check before looking at the last character', () => {
    expect(validateCreditCode('91350100M000100Y53')).toEqual({
      isValid: false,
      reason: 'ORGANISATION_CODE',
      message: 'organisation code M000100Y5 should end in 4, found 5',
    });
  });

  it('rejects the letters I, O, Z, S and V', () => {
    for (const letter of 'IOZSV') {
      expect(validateCreditCode(`91350100M000100${letter}43`)).toMatchObject({ isValid: false, reason: 'CHARSET' });
    }
  });

  it('rejects empty input and input of the wrong length', () => {
    expect(validateCreditCode('')).toMatchObject({ reason: 'EMPTY' });
    expect(validateCreditCode('91350100M000100Y4')).toMatchObject({ reason: 'LENGTH' });
  });

  it('rejects a category the registration authority does not define', () => {
    // Market regulation (9) registers enterprises, sole traders and co-operatives only.
    expect(validateCreditCode(makeCheckOnly('94350100M000100Y4'))).toEqual({
      isValid: false,
      reason: 'CATEGORY',
      message: 'category 4 is not defined for registration authority 9 (allowed: 1, 2, 3)',
    });
    expect(validateCreditCode(makeCheckOnly('Y2350100M000100Y4'))).toMatchObject({ reason: 'CATEGORY' });
    expect(validateCreditCode(makeCheckOnly('B1350100M000100Y4'))).toMatchObject({ reason: 'CATEGORY' });
  });

  it('accepts the categories of social organisations and Party-and-state organs', () => {
    for (const prefix of ['51', '52', '53', '59', '11', '12', '31', '35', 'N2', 'Y1']) {
      expect(validateCreditCode(makeCheckOnly(`${prefix}350100M000100Y4`))).toMatchObject({ isValid: true });
    }
  });

  it('rejects an area code that is not a GB/T 2260 division', () => {
    expect(validateCreditCode(makeCheckOnly('91990100M000100Y4'))).toMatchObject({ reason: 'AREA_CODE' });
    expect(validateCreditCode(makeCheckOnly('913501A0M000100Y4'))).toMatchObject({ reason: 'AREA_CODE' });
  });

  it('folds full-width and lower-case input before validating', () => {
    expect(normaliseCreditCode(' ９１３５０１００ｍ０００１００ｙ４３ ')).toBe(STANDARD_EXAMPLE);
    expect(validateCreditCode('91350100m000100y43')).toMatchObject({ isValid: true, code: STANDARD_EXAMPLE });
  });
});

describe('makeCreditCode', () => {
  it('appends the check character to a valid prefix', () => {
    expect(makeCreditCode('91350100M000100Y4')).toBe(STANDARD_EXAMPLE);
  });

  it('makes codes for a social organisation that validate', () => {
    const prefix = `51330100${'MA2H0001'}`;
    const code = makeCreditCode(prefix + organisationCodeCheckCharacter('MA2H0001'));
    expect(validateCreditCode(code)).toMatchObject({ isValid: true, category: '1', registrationAuthority: '5' });
  });

  it('rejects a prefix whose organisation code check is wrong', () => {
    try {
      makeCreditCode('91350100M000100Y5');
      expect.fail('makeCreditCode accepted a wrong organisation code');
    } catch (error) {
      expect(isAppError(error, 'INVALID_CREDIT_CODE')).toBe(true);
    }
  });

  it('rejects a prefix with a character outside the charset', () => {
    expect(() => makeCreditCode('91350100M000100O4')).toThrow(/"O" is not allowed/);
  });
});

// Builds a code whose two checks are right, so that only the part under test can be at fault.
function makeCheckOnly(prefix17: string): string {
  return prefix17 + creditCodeCheckCharacter(prefix17);
}
