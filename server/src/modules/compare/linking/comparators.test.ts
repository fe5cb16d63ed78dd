import { describe, expect, it } from 'vitest';
import {
  compareChineseCharacters,
  compareChineseNames,
  compareCodes,
  compareDates,
  compareExact,
  compareLatinText,
  compareNumbers,
  compareResidentIds,
  editDistance,
  jaroWinkler,
  readResidentIdParts,
} from './index.ts';
import { residentIdCheckCharacter } from '../../../platform/identity/index.ts';

describe('the Chinese name comparator', () => {
  it('grades 张伟/章伟 as homophones (same pinyin and tone), not as different names', () => {
    const comparison = compareChineseNames('张伟', '章伟');
    expect(comparison.level).toBe('homophone');
    expect(comparison.characters[0]).toEqual({ a: '张', b: '章', agreement: 'homophone_tone' });
  });

  it('tells a homophone with the same tone from one with another tone', () => {
    expect(compareChineseCharacters('张', '章')).toBe('homophone_tone');
    expect(compareChineseCharacters('李', '丽')).toBe('homophone');
  });

  it('grades traditional and simplified forms (陳/陈, 陳國華/陈国华) as variants of one character', () => {
    expect(compareChineseCharacters('陳', '陈')).toBe('variant');
    expect(compareChineseNames('陳國華', '陈国华').level).toBe('variant');
  });

  it('hears the dialect near-sounds of south-western Mandarin: 刘/牛 (n/l), 黄/方 (f/h), 张/脏 (z/zh), 陈/岑 (en/eng)', () => {
    expect(compareChineseCharacters('刘', '牛')).toBe('near_sound');
    expect(compareChineseCharacters('黄', '方')).toBe('near_sound');
    expect(compareChineseCharacters('飞', '灰')).toBe('near_sound');
    expect(compareChineseCharacters('张', '脏')).toBe('near_sound');
    expect(compareChineseCharacters('成', '岑')).toBe('near_sound');
    expect(compareChineseCharacters('林', '宁')).toBe('near_sound');
    expect(compareChineseNames('刘兰英', '牛南英').level).toBe('near');
    // Not every pair of sounds is near: zhang and wang differ in their initials beyond any merger.
    expect(compareChineseCharacters('张', '王')).toBe('different');
  });

  it('sees characters confused by their shape: 己/已, 未/末', () => {
    expect(compareChineseCharacters('己', '已')).toBe('similar_shape');
    expect(compareChineseCharacters('未', '末')).toBe('similar_shape');
    expect(compareChineseNames('王未', '王末').level).toBe('near');
    expect(compareChineseCharacters('己', '末')).toBe('different');
  });

  it('reads a surname with its surname reading: 单 is shàn as a surname (善), dān in a given name (丹)', () => {
    expect(compareChineseNames('单田芳', '善田芳').level).toBe('homophone');
    expect(compareChineseNames('单田芳', '丹田芳').characters[0]!.agreement).toBe('different');
    expect(compareChineseNames('李单', '李丹').level).toBe('homophone');
    expect(compareChineseNames('李单', '李善').level).toBe('different');
    // 解 is xiè as a surname, so 解放 and 谢放 sound alike; 曾 is zēng, like 增.
    expect(compareChineseNames('解放', '谢放').level).toBe('homophone');
    expect(compareChineseNames('曾华', '增华').level).toBe('homophone');
  });

  it('ignores full-width forms and stray spaces, ideographic ones included', () => {
    expect(compareChineseNames('张　伟', '张伟').level).toBe('exact');
    expect(compareChineseNames(' 张 伟 ', '张伟').level).toBe('exact');
    expect(compareChineseNames('买买提·艾力', '买买提艾力').level).toBe('exact');
    expect(compareChineseNames('ＬＩ明', 'LI明').level).toBe('exact');
  });

  it('grades one character off in a three-character name as partial, but not in a two-character name', () => {
    expect(compareChineseNames('张建华', '张建平').level).toBe('partial');
    expect(compareChineseNames('张伟', '张丽').level).toBe('different');
    expect(compareChineseNames('张伟华', '张伟').level).toBe('partial');
    expect(compareChineseNames('张伟', '李建国').level).toBe('different');
  });
});

describe('Latin-script comparators', () => {
  it('computes Jaro-Winkler as published (Winkler 1990 examples)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('grades names by Jaro-Winkler after stripping case, diacritics, punctuation and spaces', () => {
    expect(compareLatinText('Müller', 'muller')).toBe('exact');
    expect(compareLatinText("O'Brien", 'obrien')).toBe('exact');
    expect(compareLatinText('elk i', 'elki')).toBe('exact');
    expect(compareLatinText('michaela', 'michafla')).toBe('close');
    expect(compareLatinText('mason', 'maxon')).toBe('similar');
    expect(compareLatinText('neumann', 'jakimow')).toBe('different');
    expect(compareLatinText('', 'jakimow')).toBeNull();
  });

  it('compares exact values and numbers with a tolerance, missing values as null', () => {
    expect(compareExact('NSW', 'nsw')).toBe('exact');
    expect(compareExact('nsw', 'vic')).toBe('different');
    expect(compareExact(null, 'vic')).toBeNull();
    expect(compareNumbers('12', '12')).toBe('exact');
    expect(compareNumbers('12', 13, 1)).toBe('close');
    expect(compareNumbers('12', '15', 1)).toBe('different');
    expect(compareNumbers('twelve', '12', 1)).toBeNull();
  });
});

describe('date comparator', () => {
  it('grades dates: exact, day and month swapped, one digit off, different', () => {
    expect(compareDates('1950-03-01', '19500301')).toBe('exact');
    expect(compareDates('19500301', '19500103')).toBe('day_month_swapped');
    expect(compareDates('19500301', '19500302')).toBe('one_digit');
    expect(compareDates('19500301', '19500310')).toBe('one_digit');
    expect(compareDates('19500301', '19620704')).toBe('different');
    expect(compareDates('1950-03', '19500301')).toBeNull();
  });

  it('counts a typo that makes an impossible date as one digit off', () => {
    expect(compareDates('19501301', '19500301')).toBe('one_digit');
  });
});

describe('ID comparators', () => {
  const id = (first17: string) => first17 + residentIdCheckCharacter(first17);
  const insured = id('50010319560214123');

  it('measures typing edits, with a swap of adjacent digits as one', () => {
    expect(editDistance('1234', '1243')).toBe(1);
    expect(editDistance('1234', '1234')).toBe(0);
    expect(editDistance('12345', '1345')).toBe(1);
    expect(compareCodes('5304218', '5304281')).toBe('one_edit');
    expect(compareCodes('5304218', '5301218')).toBe('one_edit');
    expect(compareCodes('5304218', '5314281')).toBe('two_edits');
    expect(compareCodes('5304218', '9999999')).toBe('different');
  });

  it('grades a written resident ID against an insured ID, telling a slip from another valid ID', () => {
    const oneDigit = `${insured.slice(0, 10)}9${insured.slice(11)}`;
    expect(compareResidentIds(readResidentIdParts(oneDigit), insured)).toMatchObject({ level: 'one_edit', passesCheck: false });
    expect(compareResidentIds(readResidentIdParts(insured), insured)?.level).toBe('exact');
    // Another person's real ID two edits away passes its check: not graded as a slip.
    const neighbour = id('50010319560214133');
    expect(compareResidentIds(readResidentIdParts(neighbour), insured)).toMatchObject({ level: 'near_but_checks', distance: 2, passesCheck: true });
    const fifteen = `${insured.slice(0, 6)}${insured.slice(8, 17)}`;
    expect(compareResidentIds(readResidentIdParts(fifteen), insured)?.level).toBe('exact');
    expect(compareResidentIds(readResidentIdParts(insured.slice(0, 16) + insured.slice(17)), insured)?.level).toBe('one_edit');
    expect(compareResidentIds(readResidentIdParts(''), insured)).toBeNull();
    expect(compareResidentIds(readResidentIdParts(id('11010519491231002')), insured)?.level).toBe('different');
  });
});
