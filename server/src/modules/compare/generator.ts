import fs from 'node:fs';
import path from 'node:path';
import { residentIdCheckCharacter } from '../../platform/identity/index.ts';
import { csvLine } from '../../platform/imports/index.ts';
import { pickFullName } from '../demo/names.ts';
import { Random, weightedTable } from '../demo/random.ts';
import { EXTRACT_COLUMNS, type ExtractKind } from './extracts.ts';
import type { RuleCode } from './rules.ts';

/** Options of {@link generateExtracts}. */
export interface ExtractGeneratorOptions {
  insured: number;
  seed?: number;
  /** `YYYY-MM-DD`; the truth holds for a comparison run at this date. */
  asOf?: string;
}

/** One suspicion a correct comparison must raise: the rule and the person's 18-digit ID. */
export interface TruthEntry {
  rule: RuleCode;
  idNumber: string;
}

/** Generated extracts as CSV text (UTF-8, header first) with the suspicions they contain. */
export interface GeneratedExtracts {
  asOf: string;
  files: Record<ExtractKind, string>;
  truth: TruthEntry[];
}

/** As-of date of generated extracts unless one is given. */
export const DEFAULT_GENERATOR_AS_OF = '2024-06-15';

// Chongqing districts, and a Sichuan code as older Chongqing IDs often carry.
const AREA_CODES = ['500101', '500102', '500103', '500104', '500105', '500106', '500107', '500108', '500112', '500113', '500222', '510212'];
const STATUS_SHARES = [['领取待遇', 0.3], ['参保缴费', 0.62], ['暂停', 0.03], ['终止', 0.05]] as const;
const EMPLOYEE_SCHEME = '城镇职工基本养老保险';
const RESIDENT_SCHEME = '城乡居民基本养老保险';

interface Person {
  id: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  status: string;
  scheme: string;
  monthlyCents: number;
  benefitStart: string;
}

/**
 * Makes insured, deaths and prison extracts of any size with known truth, deterministic for a seed.
 * Truth comes from how each case is constructed (a drawing pensioner who died before the as-of date,
 * a prison term containing a whole month of drawing, a second drawing enrolment under the 15-digit
 * ID), never from the engine. Decoys that must not be raised: deaths of people no longer drawing or
 * not insured, deaths on the as-of date, prison terms before the pension started or shorter than a
 * whole month, second enrolments that are terminated. IDs carry the corruption this slice must see
 * through: full-width digits, stray spaces, lower-case x, 15-digit forms.
 */
export function generateExtracts(options: ExtractGeneratorOptions): GeneratedExtracts {
  const asOf = options.asOf ?? DEFAULT_GENERATOR_AS_OF;
  const random = new Random(options.seed ?? 2024);
  const usedIds = new Set<string>();
  const asOfYear = Number(asOf.slice(0, 4));
  const newPerson = (isDrawing: boolean): Omit<Person, 'status' | 'scheme' | 'monthlyCents' | 'benefitStart'> => {
    for (;;) {
      const gender = random.chance(0.5) ? 'male' : 'female';
      const year = isDrawing ? random.int(1930, asOfYear - 61) : random.int(asOfYear - 59, asOfYear - 18);
      const birthDate = isoDate(Date.UTC(year, 0, 1) + random.int(0, 364) * DAY_MS);
      const sequence = random.digits(2) + String(random.int(0, 4) * 2 + (gender === 'male' ? 1 : 0));
      const first17 = random.pick(AREA_CODES) + birthDate.replaceAll('-', '') + sequence;
      const id = first17 + residentIdCheckCharacter(first17);
      if (usedIds.has(id)) continue;
      usedIds.add(id);
      return { id, gender, birthDate, name: pickFullName(random, gender, year) };
    }
  };

  const people: Person[] = [];
  for (let i = 0; i < options.insured; i++) {
    const status = random.weighted(STATUS_TABLE);
    const isDrawing = status === '领取待遇' || (status === '终止' && random.chance(0.5));
    const base = newPerson(isDrawing);
    const isEmployee = random.chance(0.7);
    const sixtieth = `${Number(base.birthDate.slice(0, 4)) + 60}${base.birthDate.slice(4, 7)}-01`;
    people.push({
      ...base,
      status,
      scheme: isEmployee ? EMPLOYEE_SCHEME : RESIDENT_SCHEME,
      monthlyCents: isDrawing ? Math.round(isEmployee ? clamp(random.normal(3_000, 700), 1_800, 5_500) * 100 : random.int(130, 400) * 100) : 0,
      benefitStart: isDrawing ? addMonths(sixtieth, 1) : '',
    });
  }

  const truth: TruthEntry[] = [];
  const insuredRows: string[][] = [];
  const deathRows: string[][] = [];
  const prisonRows: string[][] = [];
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const drawingPeriodDays = (person: Person) => Math.floor((asOfMs - Date.parse(`${person.benefitStart}T00:00:00Z`)) / DAY_MS);

  for (const person of people) {
    const isDrawing = person.status === '领取待遇';
    insuredRows.push(insuredCells(person, corruptId(random, person.id, 0)));
    const roll = random.next();
    if (isDrawing && drawingPeriodDays(person) > 120) {
      if (roll < 0.012) {
        deathRows.push(deathCells(random, person, isoDate(asOfMs - random.int(1, drawingPeriodDays(person) - 1) * DAY_MS)));
        truth.push({ rule: 'DECEASED_DRAWING', idNumber: person.id });
      } else if (roll < 0.014) {
        deathRows.push(deathCells(random, person, asOf));
      } else if (roll < 0.018) {
        // Served at least two whole months (start ≥ 65 days before the as-of date, term ≥ 2 months).
        const start = isoDate(asOfMs - random.int(65, Math.min(drawingPeriodDays(person) - 35, 3_000)) * DAY_MS);
        const end = random.chance(0.4) ? '' : addMonths(start, random.int(2, 36));
        prisonRows.push(prisonCells(random, person, start, end));
        truth.push({ rule: 'IMPRISONED_DRAWING', idNumber: person.id });
      } else if (roll < 0.019) {
        const start = addMonths(person.benefitStart, -random.int(30, 60));
        prisonRows.push(prisonCells(random, person, start, addMonths(start, random.int(3, 24))));
      } else if (roll < 0.02) {
        const monthStart = addMonths(person.benefitStart, 1);
        prisonRows.push(prisonCells(random, person, `${monthStart.slice(0, 8)}05`, `${monthStart.slice(0, 8)}20`));
      }
      const duplicate = random.next();
      if (duplicate < 0.01) {
        const isDrawingTwice = duplicate < 0.006;
        const second: Person = { ...person, status: isDrawingTwice ? '领取待遇' : '终止', benefitStart: addMonths(person.benefitStart, random.int(0, 24)) };
        if (second.benefitStart > asOf) second.benefitStart = person.benefitStart;
        insuredRows.push(insuredCells(second, corruptId(random, toId15(person.id), 0)));
        if (isDrawingTwice) truth.push({ rule: 'DUPLICATE_BENEFIT', idNumber: person.id });
      }
    } else if (isDrawing) {
      // Drawing for under four months: kept clear of every case so the truth stays unambiguous.
    } else if (roll < 0.01) {
      deathRows.push(deathCells(random, person, isoDate(asOfMs - random.int(1, 2_000) * DAY_MS)));
    } else if (roll < 0.013) {
      const start = isoDate(asOfMs - random.int(100, 2_000) * DAY_MS);
      prisonRows.push(prisonCells(random, person, start, random.chance(0.5) ? '' : addMonths(start, random.int(2, 60))));
    }
  }
  // People outside the insured roll appear in the other extracts too.
  for (let i = 0; i < Math.ceil(options.insured * 0.005); i++) {
    const outsider: Person = { ...newPerson(random.chance(0.5)), status: '', scheme: '', monthlyCents: 0, benefitStart: '' };
    if (random.chance(0.6)) deathRows.push(deathCells(random, outsider, isoDate(asOfMs - random.int(1, 2_000) * DAY_MS)));
    else prisonRows.push(prisonCells(random, outsider, isoDate(asOfMs - random.int(100, 2_000) * DAY_MS), ''));
  }

  const toCsv = (kind: ExtractKind, rows: string[][]) => csvLine(EXTRACT_COLUMNS[kind]) + random.shuffle(rows).map((cells) => csvLine(cells)).join('');
  return { asOf, files: { insured: toCsv('insured', insuredRows), deaths: toCsv('deaths', deathRows), prison: toCsv('prison', prisonRows) }, truth };
}

/** Writes generated extracts as insured.csv, deaths.csv, prison.csv and truth.csv (rule,id_number) into `directory`. */
export async function writeGeneratedExtracts(directory: string, generated: GeneratedExtracts): Promise<Record<ExtractKind | 'truth', string>> {
  await fs.promises.mkdir(directory, { recursive: true });
  const paths = {
    insured: path.join(directory, 'insured.csv'),
    deaths: path.join(directory, 'deaths.csv'),
    prison: path.join(directory, 'prison.csv'),
    truth: path.join(directory, 'truth.csv'),
  };
  await fs.promises.writeFile(paths.insured, generated.files.insured);
  await fs.promises.writeFile(paths.deaths, generated.files.deaths);
  await fs.promises.writeFile(paths.prison, generated.files.prison);
  await fs.promises.writeFile(paths.truth, csvLine(['rule', 'id_number']) + generated.truth.map((entry) => csvLine([entry.rule, entry.idNumber])).join(''));
  return paths;
}

const DAY_MS = 86_400_000;
const STATUS_TABLE = weightedTable(STATUS_SHARES);

function insuredCells(person: Person, writtenId: string): string[] {
  return [
    writtenId,
    person.name,
    person.gender === 'male' ? '男' : '女',
    person.birthDate,
    AREA_CODES.includes(person.id.slice(0, 6)) ? person.id.slice(0, 6) : '500106',
    person.scheme,
    person.status,
    person.monthlyCents > 0 ? (person.monthlyCents / 100).toFixed(2) : '',
    person.benefitStart,
  ];
}

function deathCells(random: Random, person: Pick<Person, 'id' | 'name' | 'gender' | 'birthDate'>, deathDate: string): string[] {
  // The civil registry sometimes holds a different written name (a typo, a former name); the ID still links.
  const name = random.chance(0.03) ? pickFullName(random, person.gender, Number(person.birthDate.slice(0, 4))) : person.name;
  return [corruptId(random, person.id, 0.05), name, deathDate, random.pick(['公安户籍注销', '医院死亡证明', '殡葬火化'])];
}

function prisonCells(random: Random, person: Pick<Person, 'id' | 'name'>, start: string, end: string): string[] {
  return [corruptId(random, person.id, 0.05), person.name, start, end];
}

/** The ID as a clerk might have typed it: sometimes 15 digits, full-width, with stray spaces, lower-case x. */
function corruptId(random: Random, id: string, share15: number): string {
  let written = id.length === 18 && id.startsWith('19', 6) && random.chance(share15) ? toId15(id) : id;
  if (written.endsWith('X') && random.chance(0.5)) written = `${written.slice(0, -1)}x`;
  if (random.chance(0.03)) written = [...written].map((char) => (/\d/u.test(char) && random.chance(0.6) ? String.fromCodePoint(char.codePointAt(0)! + 0xfee0) : char)).join('');
  if (random.chance(0.03)) {
    const at = random.int(0, written.length);
    written = `${random.chance(0.5) ? ' ' : ''}${written.slice(0, at)}${random.pick([' ', '\u3000', ''])}${written.slice(at)}${random.chance(0.5) ? ' ' : ''}`;
  }
  return written;
}

/** The legacy 15-digit form of an 18-digit ID of someone born in the 1900s. */
function toId15(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Adds whole months to an ISO date, clamping the day to the target month's length. */
function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return isoDate(target.getTime());
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
