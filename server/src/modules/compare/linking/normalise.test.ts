import { describe, expect, it } from 'vitest';
import {
  foldDialect,
  foldName,
  genderFromSequence,
  normaliseLatinText,
  parseGender,
  pinyinInitials,
  profileChineseName,
  readResidentIdParts,
  soundex,
  surnameKey,
  surnameOf,
  toSimplified,
} from './index.ts';

describe('name normalisation', () => {
  it('folds full-width letters and digits, removes every kind of space and the middle dots', () => {
    expect(foldName('ＬＩ　明')).toBe('LI明');
    expect(foldName(' 张\u00A0伟\t')).toBe('张伟');
    expect(foldName('买买提・艾力')).toBe('买买提艾力');
  });

  it('converts traditional characters to simplified with OpenCC, Taiwan and Hong Kong forms included', () => {
    expect(toSimplified('陳國華')).toBe('陈国华');
    expect(toSimplified('劉德華')).toBe('刘德华');
    expect(toSimplified('張偉')).toBe('张伟');
    expect(toSimplified('张伟')).toBe('张伟');
  });

  it('reads surnames with their surname readings: 单 shan, 曾 zeng, 解 xie, 仇 qiu, 区 ou, 朴 piao', () => {
    const surname = (name: string) => profileChineseName(name).syllables[0]!.pinyin;
    expect(surname('单田芳')).toBe('shan');
    expect(surname('曾国藩')).toBe('zeng');
    expect(surname('解缙')).toBe('xie');
    expect(surname('仇英')).toBe('qiu');
    expect(surname('区丽')).toBe('ou');
    expect(surname('朴英')).toBe('piao');
    // The same character in a given name keeps its ordinary reading.
    expect(profileChineseName('李单').syllables[1]!.pinyin).toBe('dan');
    expect(profileChineseName('单', { hasSurname: false }).syllables[0]!.pinyin).toBe('dan');
  });

  it('reads compound surnames as one, in either script', () => {
    expect(profileChineseName('欧阳修').surnameLength).toBe(2);
    expect(profileChineseName('歐陽修').surnameLength).toBe(2);
    expect(profileChineseName('万俟卨').syllables.slice(0, 2).map((syllable) => syllable.pinyin)).toEqual(['mo', 'qi']);
    expect(surnameOf('歐陽修')).toBe('歐陽');
    expect(surnameOf('欧修')).toBe('欧');
  });

  it('folds the dialect mergers into one key: n/l, f/hu, z/zh, c/ch, s/sh, an/ang, en/eng, in/ing', () => {
    expect(foldDialect('niu')).toBe(foldDialect('liu'));
    expect(foldDialect('huang')).toBe(foldDialect('fang'));
    expect(foldDialect('hui')).toBe(foldDialect('fei'));
    expect(foldDialect('hu')).toBe(foldDialect('fu'));
    expect(foldDialect('zhang')).toBe(foldDialect('zan'));
    expect(foldDialect('chen')).toBe(foldDialect('ceng'));
    expect(foldDialect('shi')).toBe(foldDialect('si'));
    expect(foldDialect('ling')).toBe(foldDialect('nin'));
    expect(foldDialect('wang')).not.toBe(foldDialect('huang'));
    expect(foldDialect('he')).not.toBe(foldDialect('fe'));
  });

  it('gives homophone, traditional and near-sound surnames one blocking key', () => {
    expect(surnameKey('张伟')).toBe(surnameKey('章伟'));
    expect(surnameKey('陳國華')).toBe(surnameKey('陈国华'));
    expect(surnameKey('刘明')).toBe(surnameKey('牛明'));
    expect(surnameKey('欧阳娜')).toBe(surnameKey('歐陽娜'));
    expect(surnameKey('欧阳娜')).not.toBe(surnameKey('欧娜'));
    expect(surnameKey('王明')).not.toBe(surnameKey('张明'));
    expect(pinyinInitials('單田芳')).toBe('stf');
  });

  it('normalises Latin-script text: case, diacritics, apostrophes and punctuation', () => {
    expect(normaliseLatinText("  O'Brien-Müller, Jr. ")).toBe('obrien muller jr');
    expect(normaliseLatinText('ＪＯＨＮ')).toBe('john');
  });

  it('computes American Soundex', () => {
    expect(soundex('Robert')).toBe('r163');
    expect(soundex('Rupert')).toBe('r163');
    expect(soundex('Ashcraft')).toBe('a261');
    expect(soundex('Tymczak')).toBe('t522');
    expect(soundex('Pfister')).toBe('p236');
    expect(soundex('Lee')).toBe('l000');
    expect(soundex('')).toBe('');
  });
});

describe('reading a written ID', () => {
  it('keeps the readable parts of an 18-character ID whatever its check character', () => {
    expect(readResidentIdParts('５００１０３19560214123x')).toEqual({
      shape: 'id18', cleaned: '50010319560214123X', area: '500103', birthDigits: '19560214', sequence: '123', check: 'X',
    });
  });

  it('reads the birth date of a 15-digit ID in the 1900s, and nothing from a malformed one', () => {
    expect(readResidentIdParts('500103560214123')).toMatchObject({ shape: 'id15', birthDigits: '19560214', sequence: '123', check: null });
    expect(readResidentIdParts('5001031956021412')).toMatchObject({ shape: 'other', birthDigits: null });
    expect(readResidentIdParts('  ')).toMatchObject({ shape: 'missing' });
  });

  it('reads the gender of the order code and of declared values', () => {
    expect(genderFromSequence('123')).toBe('male');
    expect(genderFromSequence('124')).toBe('female');
    expect(genderFromSequence(null)).toBeNull();
    expect(parseGender('男')).toBe('male');
    expect(parseGender(' female ')).toBe('female');
    expect(parseGender('未知')).toBeNull();
  });
});
