import { describe, expect, it } from 'vitest';
import { Random } from '../../demo/random.ts';
import { pickFullName } from '../../demo/names.ts';
import { CHINESE_NAME_LEVELS, compareChineseNames, compareDates, DATE_LEVELS, editDistance } from './comparators.ts';
import { boundedEditDistance, compareDateLevels, compareNameLevels, dateNumber, MISSING_LEVEL, nameKeys } from './pair-levels.ts';

const codes = (text: string) => Uint16Array.from(text, (character) => character.charCodeAt(0));

describe("level-only comparisons (the fuzzy stage's first pass)", () => {
  it('caps the optimal-string-alignment distance exactly: the distance when within the cap, the cap + 1 beyond', () => {
    const random = new Random(3);
    const word = (length: number, alphabet: string) => Array.from({ length }, () => random.pick([...alphabet])).join('');
    let checked = 0;
    for (let round = 0; round < 20_000; round++) {
      // Small alphabets and near lengths make swaps, shifts and repeated digits common.
      const alphabet = random.pick(['01', '012', '0123456789X']);
      const a = word(random.int(0, 19), alphabet);
      const b = random.chance(0.5) ? word(random.int(0, 19), alphabet) : a.slice(0, random.int(0, a.length)) + word(random.int(0, 3), alphabet) + a.slice(random.int(0, a.length));
      const max = random.int(0, 3);
      expect(boundedEditDistance(codes(a), a.length, codes(b), b.length, max), `${a} / ${b}, cap ${max}`).toBe(Math.min(editDistance(a, b), max + 1));
      checked++;
    }
    expect(checked).toBe(20_000);
    expect(boundedEditDistance(codes('500101199001011234'), 18, codes('500101199001012134'), 18, 2)).toBe(1);
    expect(boundedEditDistance(codes('500101199001011234'), 18, codes('50010119900101234'), 17, 2)).toBe(1);
    expect(boundedEditDistance(codes('500101199001011234'), 18, codes('500101199001019999'), 18, 2)).toBe(3);
  });

  it('grades dates as compareDates does', () => {
    const random = new Random(4);
    const date = () => `${random.int(1900, 2030)}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(1, 31)).padStart(2, '0')}`;
    const variants = (digits: string) => {
      const swapAt = random.int(0, 6);
      const typoAt = random.int(0, 7);
      return [
        digits,
        digits.slice(0, 4) + digits.slice(6, 8) + digits.slice(4, 6),
        digits.slice(0, swapAt) + digits[swapAt + 1] + digits[swapAt] + digits.slice(swapAt + 2),
        digits.slice(0, typoAt) + String((Number(digits[typoAt]) + random.int(1, 9)) % 10) + digits.slice(typoAt + 1),
        date(),
      ];
    };
    const seen = new Set<number>();
    for (let round = 0; round < 5_000; round++) {
      const a = date();
      for (const b of variants(a)) {
        const level = compareDateLevels(dateNumber(a), dateNumber(b));
        const reference = compareDates(a, b);
        expect(level, `${a} / ${b}`).toBe(reference === null ? MISSING_LEVEL : DATE_LEVELS.indexOf(reference));
        seen.add(level);
      }
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
    expect(compareDateLevels(dateNumber('1990-01-02'), dateNumber(null))).toBe(MISSING_LEVEL);
    expect(dateNumber('not a date')).toBe(-1);
  });

  it('grades names as compareChineseNames does, ruling most pairs out by their keys alone', () => {
    const random = new Random(5);
    // Names as clerks write them: homophones, traditional forms, near-sounds, look-alikes, compound
    // surnames, a dropped or extra character, spaces, full-width and Latin letters.
    const written = ['张伟', '章伟', '張偉', '张玮', '刘兰', '牛南', '黄芳', '方芳', '王己', '王已', '李明', '李朋', '欧阳明', '歐陽明', '欧明', '单田芳', '单芳', '买买提·艾力', '买买提艾力', 'ＡＢ', 'ab', '张 伟', '陈国华', '陳國華', '陈国', '陈华国', ''];
    const pool = [...written, ...Array.from({ length: 200 }, () => pickFullName(random, random.chance(0.5) ? 'male' : 'female', random.int(1940, 2005)))];
    const prepared = new Map(pool.map((name) => [name, nameKeys(name)]));
    const levels = new Set<number>();
    const disagreements: string[] = [];
    for (const a of pool) {
      for (const b of pool) {
        const level = compareNameLevels(prepared.get(a)!, prepared.get(b)!);
        const reference = a === '' || b === '' ? MISSING_LEVEL : CHINESE_NAME_LEVELS.indexOf(compareChineseNames(a, b).level);
        if (level !== reference) disagreements.push(`${a} / ${b}: ${level} instead of ${reference}`);
        levels.add(level);
      }
    }
    expect(disagreements).toEqual([]);
    expect([...levels].sort()).toEqual([-1, 0, 1, 2, 3, 4, 5]);
  });
});
