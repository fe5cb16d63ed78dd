import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

/**
 * Compound surnames (复姓) that must be read as one surname: the name's first two characters then form
 * the surname, which changes both the pinyin reading (万俟 is Mòqí, not Wàn…) and the blocking key.
 * The common ones of the Hundred Family Surnames plus the few minority-origin ones still in use.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕',
  '令狐', '端木', '独孤', '南宫', '西门', '万俟', '闻人', '澹台', '公冶', '宗政', '濮阳', '淳于', '单于', '太叔',
  '申屠', '仲孙', '钟离', '呼延', '百里', '东郭', '拓跋', '赫连', '完颜', '司空', '鲜于', '闾丘', '子车', '亓官',
  '司寇', '巫马', '公西', '颛孙', '壤驷', '公良', '漆雕', '乐正', '宰父', '谷梁', '段干', '东门', '左丘', '梁丘',
]);

const SIMPLIFIED_TO_TRADITIONAL = [
  OpenCC.Converter({ from: 'cn', to: 't' }),
  OpenCC.Converter({ from: 'cn', to: 'tw' }),
  OpenCC.Converter({ from: 'cn', to: 'hk' }),
];

/** Every compound surname in simplified and traditional writing (歐陽 as well as 欧阳), for SQL that must spot them. */
export const COMPOUND_SURNAME_FORMS: readonly string[] = [
  ...new Set([...COMPOUND_SURNAMES].flatMap((surname) => [surname, ...SIMPLIFIED_TO_TRADITIONAL.map((convert) => convert(surname))])),
];

/**
 * The surname as written: the first two characters when they are a compound surname (in either
 * script), else the first character. Works on the folded name, like the engine's SQL.
 */
export function surnameOf(name: string): string {
  const characters = [...foldName(name)];
  const firstTwo = characters.slice(0, 2).join('');
  return COMPOUND_SURNAME_FORMS.includes(firstTwo) ? firstTwo : (characters[0] ?? '');
}

// Middle dots and full stops separate the parts of transliterated minority names (买买提·艾力); clerks
// write them in half a dozen code points or leave them out, so they carry no information.
const NAME_SEPARATORS = /[\s\u00B7\u2022\u2027\u30FB\uFF0E\uFF65.·]+/gu;

/**
 * Folds a written name for comparison: Unicode NFKC (full-width letters and digits to half-width,
 * CJK compatibility ideographs to their unified form), then drops all whitespace (the ideographic
 * space included) and the middle dots of transliterated names.
 */
export function foldName(input: string): string {
  return input.normalize('NFKC').replace(NAME_SEPARATORS, '');
}

// OpenCC's generic traditional set first, then the Taiwan and Hong Kong variants it leaves alone
// (each converter passes simplified characters through unchanged).
const TRADITIONAL_CONVERTERS = [
  OpenCC.Converter({ from: 't', to: 'cn' }),
  OpenCC.Converter({ from: 'tw', to: 'cn' }),
  OpenCC.Converter({ from: 'hk', to: 'cn' }),
];

/** Traditional → simplified Chinese with OpenCC (陳國華 → 陈国华); other text is returned unchanged. */
export function toSimplified(text: string): string {
  let converted = text;
  for (const convert of TRADITIONAL_CONVERTERS) converted = convert(converted);
  return converted;
}

/** One character of a Chinese name with its reading in the name's context. */
export interface NameSyllable {
  /** The character as written (after folding). */
  character: string;
  /** The character after traditional → simplified conversion. */
  simplified: string;
  isChinese: boolean;
  /** Toneless pinyin with ü kept (zhang, lü); for a non-Chinese character its lower-case self. */
  pinyin: string;
  /** 1–4, 0 for the neutral tone or a non-Chinese character. */
  tone: number;
  /** The toneless reading folded across the dialect mergers of {@link foldDialect}. */
  dialectKey: string;
}

/** A Chinese name prepared for comparison: folded, simplified, split into surname and given name, read aloud. */
export interface ChineseNameProfile {
  /** As written after {@link foldName}. */
  folded: string;
  simplified: string;
  /** Number of leading characters that form the surname (2 for a compound surname, 1, or 0 when read without one). */
  surnameLength: number;
  syllables: NameSyllable[];
}

/**
 * Reads a Chinese name: folds it, converts it to simplified characters and gives each character its
 * pinyin with pinyin-pro's surname mode on the surname, so 单 reads shàn, 曾 zēng, 解 xiè, 仇 qiú and
 * 区 ōu as surnames do, while the given name keeps each character's ordinary reading. `hasSurname:
 * false` reads every character with its ordinary reading (for text that is not a full name).
 * Characters are read one by one (the surname, compound or not, as a unit) and cached: the engine's
 * blocking codes are made the same way, and a run reads hundreds of thousands of names.
 */
export function profileChineseName(name: string, options: { hasSurname?: boolean } = {}): ChineseNameProfile {
  const hasSurname = options.hasSurname ?? true;
  const folded = foldName(name);
  const written = [...folded];
  const firstTwo = written.slice(0, 2).join('');
  const surnameLength = !hasSurname || written.length === 0 ? 0 : COMPOUND_SURNAME_FORMS.includes(firstTwo) ? 2 : 1;
  const syllables = [
    ...(surnameLength === 0 ? [] : readText(written.slice(0, surnameLength).join(''), true)),
    ...written.slice(surnameLength).flatMap((character) => readText(character, false)),
  ];
  return { folded, simplified: syllables.map((syllable) => syllable.simplified).join(''), surnameLength, syllables };
}

const READINGS = { surname: new Map<string, NameSyllable[]>(), given: new Map<string, NameSyllable[]>() };

/** A surname (one or two characters) or one given-name character, read and cached. */
function readText(text: string, isSurname: boolean): NameSyllable[] {
  const cache = isSurname ? READINGS.surname : READINGS.given;
  const cached = cache.get(text);
  if (cached) return cached;
  const simplifiedCharacters = [...toSimplified(text)];
  const writtenCharacters = [...text];
  const readings = pinyin(simplifiedCharacters.join(''), { type: 'all', toneType: 'none', surname: isSurname ? 'head' : 'off' });
  const syllables = writtenCharacters.map((character, index): NameSyllable => {
    const simplified = simplifiedCharacters[index] ?? character;
    const reading = readings[index];
    const isChinese = reading?.isZh === true;
    const toneless = isChinese ? reading.pinyin : simplified.toLowerCase();
    return { character, simplified, isChinese, pinyin: toneless, tone: isChinese ? reading.num : 0, dialectKey: isChinese ? foldDialect(toneless) : toneless };
  });
  cache.set(text, syllables);
  return syllables;
}

/**
 * Folds a toneless pinyin syllable across the mergers of south-western and southern Mandarin that make
 * clerks write one sound for another: n/l (刘/牛), f/hu (方/黄, 飞/灰), z/zh, c/ch, s/sh, and the
 * nasal finals an/ang, en/eng, in/ing. Two syllables with the same key are near-sounds.
 */
export function foldDialect(syllable: string): string {
  let folded = syllable;
  // hu + vowel is heard as f in much of Sichuan, Chongqing and Hunan: huang→fang, hui→fei, hun→fen.
  if (folded === 'hu') folded = 'fu';
  else if (folded.startsWith('hu')) {
    const rest = folded.slice(2);
    folded = `f${rest === 'i' ? 'ei' : rest === 'n' ? 'en' : rest}`;
  }
  folded = folded.replace(/^([zcs])h/u, '$1').replace(/^n(?=[aeiouü])/u, 'l');
  return folded.replace(/([aei])ng$/u, '$1n');
}

/**
 * The blocking key of a name's surname: its dialect-folded toneless pinyin (compound surnames
 * joined), so homophones (张/章), traditional forms (陳/陈) and near-sounds (刘/牛) share a block.
 * Accepts a full name or just its surname (see {@link surnameOf}).
 */
export function surnameKey(name: string): string {
  const profile = profileChineseName(surnameOf(name));
  return profile.syllables
    .slice(0, profile.surnameLength)
    .map((syllable) => syllable.dialectKey)
    .join('');
}

/** Blocking keys of one character: read as a surname (单 → shan) and as in a given name (单 → dan), both dialect-folded. */
export function characterKeys(character: string): { asSurname: string; asGivenName: string } {
  return { asSurname: surnameKey(character), asGivenName: profileChineseName(character, { hasSurname: false }).syllables[0]?.dialectKey ?? '' };
}

// The CJK Unified Ideographs of the Basic Multilingual Plane (basic block, extension A, compatibility
// ideographs): the characters names are written in, traditional forms included.
const CJK_RANGES = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff]] as const;

/** Every CJK ideograph of the Basic Multilingual Plane, for tables keyed per character. */
export function* cjkCharacters(): Generator<string> {
  for (const [first, last] of CJK_RANGES) for (let code = first; code <= last; code++) yield String.fromCodePoint(code);
}

/** The first letters of a name's pinyin, e.g. 张伟 → zw, 單田芳 → stf. */
export function pinyinInitials(name: string): string {
  return profileChineseName(name)
    .syllables.map((syllable) => syllable.pinyin.charAt(0))
    .join('');
}

/**
 * Normalises a Latin-script name or text field for comparison: NFKC, diacritics stripped (Müller →
 * muller), lower-case, apostrophes dropped (o'brien → obrien), any other punctuation and runs of
 * whitespace turned into one space.
 */
export function normaliseLatinText(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’`]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const SOUNDEX_CODES: Readonly<Record<string, string>> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

/**
 * American Soundex of a Latin name (Robert → r163), the classic blocking key for surnames typed by
 * ear; '' when the name has no letters. Spaces are ignored so "elk i" and "elki" agree.
 */
export function soundex(name: string): string {
  const letters = normaliseLatinText(name).replace(/[^a-z]/gu, '');
  if (letters.length === 0) return '';
  let code = letters[0]!;
  let previous = SOUNDEX_CODES[letters[0]!] ?? '';
  for (const letter of letters.slice(1)) {
    const digit = SOUNDEX_CODES[letter] ?? '';
    // h and w do not separate equal codes; vowels do.
    if (letter === 'h' || letter === 'w') continue;
    if (digit !== '' && digit !== previous) code += digit;
    previous = digit;
    if (code.length === 4) break;
  }
  return code.padEnd(4, '0');
}

/** What can still be read from an ID number as written, whether or not it passes GB 11643. */
export interface ResidentIdParts {
  /** `id18` and `id15` have the standard shape; `other` has digits but a wrong length or stray characters. */
  shape: 'id18' | 'id15' | 'other' | 'missing';
  /** The cleaned ID (upper-case, half-width, no spaces). */
  cleaned: string;
  /** Area code, positions 1–6. */
  area: string | null;
  /** Birth date digits `YYYYMMDD` (positions 7–14, or 19 + positions 7–12 of a 15-digit ID), not validated. */
  birthDigits: string | null;
  /** The three-digit order code (positions 15–17, or 13–15 of a 15-digit ID); its last digit is odd for men. */
  sequence: string | null;
  /** The check character of an 18-character ID. */
  check: string | null;
}

/**
 * Splits an ID as written into the parts that survive corruption: a mistyped digit in the area code
 * still leaves the birth date readable, and the reverse, which is what lets a broken ID be linked.
 */
export function readResidentIdParts(written: string | null | undefined): ResidentIdParts {
  const cleaned = foldName(written ?? '').toUpperCase();
  if (cleaned === '') return { shape: 'missing', cleaned, area: null, birthDigits: null, sequence: null, check: null };
  if (/^\d{17}[\dX]$/u.test(cleaned)) {
    return { shape: 'id18', cleaned, area: cleaned.slice(0, 6), birthDigits: cleaned.slice(6, 14), sequence: cleaned.slice(14, 17), check: cleaned.slice(17) };
  }
  if (/^\d{15}$/u.test(cleaned)) {
    return { shape: 'id15', cleaned, area: cleaned.slice(0, 6), birthDigits: `19${cleaned.slice(6, 12)}`, sequence: cleaned.slice(12, 15), check: null };
  }
  return { shape: 'other', cleaned, area: null, birthDigits: null, sequence: null, check: null };
}

/** The gender an ID's order code encodes (odd = male), or null when the digit is unreadable. */
export function genderFromSequence(sequence: string | null): 'male' | 'female' | null {
  const digit = sequence?.charAt(2);
  if (digit === undefined || !/^\d$/u.test(digit)) return null;
  return Number(digit) % 2 === 1 ? 'male' : 'female';
}

/** Reads a declared gender as the extracts write it (男/女, male/female, M/F, 1/2), else null. */
export function parseGender(value: string | null | undefined): 'male' | 'female' | null {
  const folded = foldName(value ?? '').toLowerCase();
  if (['男', 'male', 'm', '1'].includes(folded)) return 'male';
  if (['女', 'female', 'f', '2'].includes(folded)) return 'female';
  return null;
}
