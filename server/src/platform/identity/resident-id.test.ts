import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import {
  describeResidentIdCheck,
  normaliseResidentId,
  residentIdCheckCharacter,
  upgradeResidentId15,
  validateResidentId,
  type ResidentIdOptions,
} from './resident-id.ts';

const TODAY = { today: new Date('2025-06-01T04:00:00Z') };

// Check characters below were worked out by hand with the MOD 11-2 weights, not by the code under test.
// The first two are the samples printed in GB 11643-1999; the 1880 one needs a lowered birth-date floor.
const KNOWN_VALID: Array<{ id: string; options: ResidentIdOptions }> = [
  { id: '11010519491231002X', options: TODAY },
  { id: '440524188001010014', options: { ...TODAY, earliestBirthDate: '1800-01-01' } },
  { id: '130503196704010016', options: TODAY },
  { id: '320106200002290510', options: TODAY },
  { id: '50010619900307122X', options: TODAY },
];

function expectRejected(id: string, options: ResidentIdOptions): void {
  const result = validateResidentId(id, options);
  if (result.isValid) expect.fail(`${id} was accepted`);
}

describe('resident ID check character', () => {
  it('computes the published check characters of the GB 11643 samples', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('44052418800101001')).toBe('4');
  });

  it('rejects a prefix that is not 17 digits', () => {
    expect(() => residentIdCheckCharacter('1101051949123100')).toThrow(/17 digits/);
  });
});

describe('resident ID validation', () => {
  it.each(KNOWN_VALID)('accepts the known-valid ID $id', ({ id, options }) => {
    expect(validateResidentId(id, options)).toMatchObject({ isValid: true, idNumber: id, upgradedFrom15: false });
  });

  it.each(KNOWN_VALID)('rejects every single-digit substitution of $id', ({ id, options }) => {
    let tried = 0;
    for (let position = 0; position < 18; position++) {
      const alphabet = position === 17 ? '0123456789X' : '0123456789';
      for (const char of alphabet) {
        if (char === id[position]) continue;
        expectRejected(id.slice(0, position) + char + id.slice(position + 1), options);
        tried++;
      }
    }
    expect(tried).toBe(17 * 9 + 10);
  });

  it.each(KNOWN_VALID)('rejects every adjacent transposition of $id that changes it', ({ id, options }) => {
    for (let position = 0; position < 17; position++) {
      if (id[position] === id[position + 1]) continue;
      const swapped = id.slice(0, position) + id[position + 1] + id[position] + id.slice(position + 2);
      expectRejected(swapped, options);
    }
  });

  it('rejects a wrong check character with a message naming the expected one', () => {
    expect(validateResidentId('130503196704010014', TODAY)).toEqual({
      isValid: false,
      reason: 'CHECK_CHARACTER',
      message: 'check character should be 6, found 4',
    });
  });

  it('reports the sample 11010519491231002X as a woman born 1949-12-31 in 110105', () => {
    expect(validateResidentId('11010519491231002X', TODAY)).toEqual({
      isValid: true,
      idNumber: '11010519491231002X',
      areaCode: '110105',
      birthDate: '1949-12-31',
      gender: 'female',
      sequence: '002',
      upgradedFrom15: false,
    });
  });

  it('derives male from an odd 17th digit and female from an even one', () => {
    expect(validateResidentId('440524188001010014', { earliestBirthDate: '1800-01-01' })).toMatchObject({ gender: 'male' });
    expect(validateResidentId('50010619900307122X', TODAY)).toMatchObject({ gender: 'female' });
  });

  it('rejects empty input and input of the wrong length', () => {
    expect(validateResidentId('   ', TODAY)).toMatchObject({ isValid: false, reason: 'EMPTY' });
    expect(validateResidentId('11010519491231002', TODAY)).toMatchObject({ isValid: false, reason: 'LENGTH' });
    expect(validateResidentId('11010519491231002X1', TODAY)).toMatchObject({ isValid: false, reason: 'LENGTH' });
  });

  it('rejects an X anywhere but the last position as a format error', () => {
    expect(validateResidentId('1101051949123100X2', TODAY)).toEqual({
      isValid: false,
      reason: 'FORMAT',
      message: 'character 17 must be a digit, found "X"',
    });
  });

  it('rejects an area code whose province prefix is not in GB/T 2260', () => {
    // 19 and 90 are not provinces; the check character is made right so only the area code is at fault.
    for (const first17 of ['19010519491231002', '90010519491231002']) {
      const result = validateResidentId(first17 + residentIdCheckCharacter(first17), TODAY);
      expect(result).toMatchObject({ isValid: false, reason: 'AREA_CODE' });
    }
  });

  it('accepts 29 February in a leap year and rejects it in a common year', () => {
    expect(validateResidentId('320106200002290510', TODAY)).toMatchObject({ isValid: true, birthDate: '2000-02-29' });
    expect(validateResidentId('320106202302290514', TODAY)).toEqual({
      isValid: false,
      reason: 'BIRTH_DATE',
      message: 'birth date 20230229 is not a real calendar date',
    });
    // 1900 is divisible by 100 but not by 400, so it was not a leap year.
    expect(validateResidentId('320106190002290513', TODAY)).toMatchObject({ isValid: false, reason: 'BIRTH_DATE' });
  });

  it('rejects a birth date in the future but accepts one born today', () => {
    expect(validateResidentId('110105202506010010', TODAY)).toMatchObject({ isValid: true, birthDate: '2025-06-01' });
    expect(validateResidentId('110105202506020016', TODAY)).toEqual({
      isValid: false,
      reason: 'BIRTH_DATE',
      message: 'birth date 2025-06-02 is in the future (today is 2025-06-01)',
    });
  });

  it('takes today in China Standard Time, so a baby born at 01:00 Beijing time is not in the future', () => {
    const beijingOneAm = { today: new Date('2025-06-01T17:00:00Z') };
    expect(validateResidentId('110105202506020016', beijingOneAm)).toMatchObject({ isValid: true });
  });

  it('rejects a birth date before 1900-01-01 unless the floor is lowered', () => {
    expect(validateResidentId('440524188001010014', TODAY)).toEqual({
      isValid: false,
      reason: 'BIRTH_DATE',
      message: 'birth date 1880-01-01 is before 1900-01-01',
    });
  });

  it('rejects an impossible month or day', () => {
    expect(validateResidentId('110105194913310021', TODAY)).toMatchObject({ reason: 'BIRTH_DATE' });
    expect(validateResidentId('110105194904310021', TODAY)).toMatchObject({ reason: 'BIRTH_DATE' });
  });
});

describe('resident ID normalisation', () => {
  it('folds full-width digits, removes spaces and upper-cases a full-width lower-case x', () => {
    expect(normaliseResidentId(' ５００１０６ １９９００３０７\u3000１２２ｘ ')).toBe('50010619900307122X');
    expect(validateResidentId('５００１０６１９９００３０７１２２ｘ', TODAY)).toMatchObject({
      isValid: true,
      idNumber: '50010619900307122X',
    });
  });

  it('accepts a lower-case x check character as X', () => {
    expect(validateResidentId('11010519491231002x', TODAY)).toMatchObject({ isValid: true, idNumber: '11010519491231002X' });
  });
});

describe('15-digit legacy IDs', () => {
  it('upgrades 130503670401001 to 130503196704010016', () => {
    expect(upgradeResidentId15('130503670401001')).toBe('130503196704010016');
    expect(validateResidentId('130503670401001', TODAY)).toEqual({
      isValid: true,
      idNumber: '130503196704010016',
      areaCode: '130503',
      birthDate: '1967-04-01',
      gender: 'male',
      sequence: '001',
      upgradedFrom15: true,
    });
  });

  it('upgrades 110105491231002 to the GB 11643 sample 11010519491231002X', () => {
    expect(upgradeResidentId15('110105491231002')).toBe('11010519491231002X');
  });

  it('rejects a legacy ID whose birth date is not real', () => {
    expect(validateResidentId('130503670431001', TODAY)).toMatchObject({ isValid: false, reason: 'BIRTH_DATE' });
    try {
      upgradeResidentId15('130503670431001');
      expect.fail('upgrade accepted 31 April');
    } catch (error) {
      expect(isAppError(error, 'INVALID_ID_NUMBER')).toBe(true);
    }
  });

  it('refuses to upgrade an ID that is already 18 characters long', () => {
    expect(() => upgradeResidentId15('130503196704010016')).toThrow(/15 digits/);
  });
});

describe('describeResidentIdCheck', () => {
  it('describes a valid upgraded ID line by line', () => {
    expect(describeResidentIdCheck('130503670401001', TODAY)).toBe(
      [
        'Valid resident ID: 130503196704010016',
        'Birth date: 1967-04-01',
        'Gender: male',
        'Area code: 130503 (河北省)',
        'Upgraded from 15 digits: yes (from 130503670401001)',
      ].join('\n'),
    );
  });

  it('names the reason for an invalid ID', () => {
    expect(describeResidentIdCheck('130503196704010014', TODAY)).toBe(
      'Invalid resident ID: 130503196704010014\nReason: CHECK_CHARACTER: check character should be 6, found 4',
    );
  });
});
