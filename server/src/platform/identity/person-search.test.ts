import { describe, expect, it } from 'vitest';
import { FieldCipher } from '../crypto/field-cipher.ts';
import { personSearchTerms } from './person-search.ts';

const cipher = new FieldCipher(new Uint8Array(32).fill(7));

describe('personSearchTerms', () => {
  it('looks up a valid ID number by its blind index, whatever its spelling (lower-case x, spaces)', () => {
    expect(personSearchTerms(' 11010519491231002x ', cipher)).toEqual({ idNumberIndex: cipher.blindIndex('11010519491231002X') });
  });

  it('reads a mobile number as a phone only when the caller searches phones', () => {
    expect(personSearchTerms('138-0013-8000', cipher, { phones: true })).toEqual({ phoneIndex: cipher.blindIndex('13800138000') });
    expect(personSearchTerms('+86 138 0013 8000', cipher, { phones: true })).toEqual({ phoneIndex: cipher.blindIndex('13800138000') });
    expect(personSearchTerms('13800138000', cipher)).toEqual({ namePrefix: '13800138000' });
  });

  it('takes anything else, an ID with a wrong check character included, as the start of a name; a blank box asks for nothing', () => {
    expect(personSearchTerms('陈建', cipher)).toEqual({ namePrefix: '陈建' });
    expect(personSearchTerms('110105194912310021', cipher)).toEqual({ namePrefix: '110105194912310021' });
    expect(personSearchTerms('  ', cipher)).toEqual({});
    expect(personSearchTerms(undefined, cipher)).toEqual({});
  });
});
