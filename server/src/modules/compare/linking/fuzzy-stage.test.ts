import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as OpenCC from 'opencc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentIdCheckCharacter } from '../../../platform/identity/index.ts';
import { pickFullName } from '../../demo/names.ts';
import { Random } from '../../demo/random.ts';
import { PatternCounter } from './fellegi-sunter.ts';
import { createLeftovers, ensureRollIndex, prepareFuzzyStage, readCandidateIdentities, readCandidates, saveCharacterKeys, selectCandidates } from './fuzzy-stage.repository.ts';
import { characterKeyRows, compareCandidates, comparePair, FUZZY_FIELDS } from './fuzzy-stage.ts';
import { linkLeftovers } from './index.ts';

// A small roll built in the test, shaped as the engine's loader leaves it (the linking contract):
// tables named after their kind with row_number, id_raw, id_clean, id_norm, id_valid, name, and for
// insured gender and birth_date; id_links holding the exact links made before the fuzzy stage.

interface Person {
  id: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
}

interface LeftoverRow {
  idRaw: string;
  name: string;
  birthDate?: string;
  /** The insured ID this row truly belongs to, or null for someone not on the roll; used only to score. */
  truth: string | null;
  label?: string;
}

const AREAS = ['500101', '500103', '500106', '500112'];
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

function makeId(area: string, birthDate: string, sequence: string): string {
  const first17 = area + birthDate.replaceAll('-', '') + sequence;
  return first17 + residentIdCheckCharacter(first17);
}

/** `size` people born on `birthDays` days of each year from 1930 to 1975 (fewer days make denser blocks). */
function makePopulation(random: Random, size: number, birthDays = 365): Person[] {
  const people: Person[] = [];
  const used = new Set<string>();
  while (people.length < size) {
    const gender = random.chance(0.5) ? 'male' : 'female';
    const year = random.int(1930, 1975);
    const birthDate = new Date(Date.UTC(year, 0, 1) + random.int(0, birthDays - 1) * 86_400_000).toISOString().slice(0, 10);
    const id = makeId(random.pick(AREAS), birthDate, random.digits(2) + String(random.int(0, 4) * 2 + (gender === 'male' ? 1 : 0)));
    if (used.has(id)) continue;
    used.add(id);
    people.push({ id, gender, birthDate, name: pickFullName(random, gender, year) });
  }
  return people;
}

/** Replaces `count` distinct digit positions (never an 18th check character) with other digits. */
function mistypeDigits(random: Random, id: string, count: number): string {
  const characters = [...id];
  const positions = random.shuffle(Array.from({ length: Math.min(17, id.length) }, (_, index) => index)).slice(0, count);
  for (const position of positions) {
    const original = characters[position]!;
    let replacement = original;
    while (replacement === original) replacement = String(random.int(0, 9));
    characters[position] = replacement;
  }
  return characters.join('');
}

const HOMOPHONE_SURNAMES: Record<string, string> = { 张: '章', 王: '汪', 黄: '皇', 吴: '伍', 徐: '许', 杨: '阳', 周: '州', 何: '和', 罗: '萝', 胡: '湖', 刘: '留', 李: '理' };
// Given-name characters as a Chongqing clerk mishears them (n/l, f/h, z/zh, c/ch, s/sh, -n/-ng) or misreads their shape.
const NEAR_GIVEN: Record<string, string> = { 兰: '南', 林: '宁', 华: '发', 福: '胡', 春: '村', 生: '森', 成: '岑', 明: '朋', 平: '频', 英: '音', 清: '亲', 玉: '王', 涛: '祷', 梅: '海', 雪: '雷' };

/** The name with one given-name character swapped for a near-sound or look-alike, when it has one. */
function nearName(name: string): string {
  const index = [...name].findIndex((character, position) => position > 0 && NEAR_GIVEN[character]);
  return index < 0 ? name : name.slice(0, index) + NEAR_GIVEN[name[index]!]! + name.slice(index + 1);
}

async function createTables(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE TABLE insured (row_number INTEGER, id_raw VARCHAR, id_clean VARCHAR, id_norm VARCHAR, id_valid BOOLEAN, name VARCHAR, gender VARCHAR, birth_date DATE)`);
  await connection.run(`CREATE TABLE deaths (row_number INTEGER, id_raw VARCHAR, id_clean VARCHAR, id_norm VARCHAR, id_valid BOOLEAN, name VARCHAR, birth_date DATE, death_date DATE)`);
  await connection.run(`CREATE TABLE id_links (dataset VARCHAR, row_number INTEGER, linked_id VARCHAR, method VARCHAR, score DOUBLE, evidence JSON)`);
}

async function loadInsured(connection: DuckDBConnection, people: readonly Person[], genderAs = (person: Person): string | null => (person.gender === 'male' ? '男' : '女')): Promise<void> {
  const appender = await connection.createAppender('insured');
  people.forEach((person, index) => {
    appender.appendInteger(index + 2);
    appender.appendVarchar(person.id);
    appender.appendVarchar(person.id);
    appender.appendVarchar(person.id);
    appender.appendBoolean(true);
    appender.appendVarchar(person.name);
    const gender = genderAs(person);
    if (gender === null) appender.appendNull();
    else appender.appendVarchar(gender);
    appender.appendVarchar(person.birthDate);
    appender.endRow();
  });
  appender.closeSync();
}

/**
 * Loads the deaths rows as the loader would (id_clean folded; id_norm only for a valid ID, a
 * 15-digit one upgraded) and makes the exact links the engine makes before the fuzzy stage.
 */
async function loadDeaths(connection: DuckDBConnection, rows: readonly LeftoverRow[]): Promise<void> {
  const appender = await connection.createAppender('deaths');
  rows.forEach((row, index) => {
    const clean = row.idRaw.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
    const norm = validNorm(clean);
    appender.appendInteger(index + 2);
    appender.appendVarchar(row.idRaw);
    appender.appendVarchar(clean);
    if (norm === null) appender.appendNull();
    else appender.appendVarchar(norm);
    appender.appendBoolean(norm !== null);
    appender.appendVarchar(row.name);
    if (row.birthDate === undefined) appender.appendNull();
    else appender.appendVarchar(row.birthDate);
    appender.appendVarchar('2024-01-15');
    appender.endRow();
  });
  appender.closeSync();
  await connection.run(`INSERT INTO id_links SELECT 'deaths', d.row_number, d.id_norm, 'exact', 1, '{}' FROM deaths d JOIN insured i USING (id_norm) WHERE d.id_valid`);
}

function validNorm(clean: string): string | null {
  if (/^\d{15}$/u.test(clean)) {
    const first17 = `${clean.slice(0, 6)}19${clean.slice(6)}`;
    return first17 + residentIdCheckCharacter(first17);
  }
  if (!/^\d{17}[\dX]$/u.test(clean)) return null;
  return residentIdCheckCharacter(clean.slice(0, 17)) === clean[17] ? clean : null;
}

interface LinkRow {
  row_number: number;
  linked_id: string;
  method: string;
  score: number;
  evidence: string;
}

async function fuzzyLinks(connection: DuckDBConnection): Promise<Map<number, LinkRow>> {
  const rows = (await connection.runAndReadAll(`SELECT row_number, linked_id, method, score, CAST(evidence AS VARCHAR) AS evidence FROM id_links WHERE method = 'fuzzy'`)).getRowObjectsJson();
  return new Map(rows.map((row) => [Number(row.row_number), row as unknown as LinkRow]));
}

describe('linkLeftovers (the fuzzy stage)', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeEach(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await createTables(connection);
  });
  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('links broken IDs with Chinese name variants to the right person and leaves decoys and ambiguous names alone', async () => {
    const random = new Random(41);
    const people = makePopulation(random, 20_000);
    const named = (name: string, gender: Person['gender'], birthDate: string, area: string, sequence: string): Person => ({ id: makeId(area, birthDate, sequence), name, gender, birthDate });
    const rongGuang = named('冉光荣', 'male', '1951-09-23', '500112', '031');
    const zhangJianhua = named('张建华', 'male', '1956-02-14', '500103', '123');
    const chenGuohua = named('陈国华', 'male', '1949-11-30', '500106', '057');
    const liuDehua = named('刘德华', 'male', '1958-06-02', '500101', '215');
    const liMing = named('李明', 'male', '1962-07-04', '500101', '123');
    const lanYing = named('刘兰英', 'female', '1944-12-08', '500106', '262');
    const zhangWeis = ['1950-01-01', '1961-05-05', '1966-08-08'].map((birth, index) => named('张伟', 'male', birth, AREAS[index]!, '311'));
    const twinNames = ['1955-03-03', '1955-03-03'].map((birth, index) => named('王芳', 'female', birth, AREAS[index + 1]!, '402'));
    people.push(rongGuang, zhangJianhua, chenGuohua, liuDehua, liMing, lanYing, ...zhangWeis, ...twinNames);

    const rows: LeftoverRow[] = [
      // Exactly linked before the fuzzy stage: never touched by it.
      ...random.shuffle(people).slice(0, 400).map((person): LeftoverRow => ({ idRaw: person.id, name: person.name, truth: person.id })),
      { label: 'missing ID, name + declared birth date', idRaw: '', name: '冉光荣', birthDate: '1951-09-23', truth: rongGuang.id },
      { label: 'missing ID, no birth date, common name', idRaw: '', name: '张伟', truth: null },
      { label: 'missing ID, birth date shared by two people of that name', idRaw: '', name: '王芳', birthDate: '1955-03-03', truth: null },
      // Area 500103 → 500108 and order 123 → 173: two digits, so no single-edit repair can reach it.
      { label: 'two digits wrong + homophone surname', idRaw: `500108${zhangJianhua.id.slice(6, 14)}173${zhangJianhua.id.slice(17)}`, name: '章建华', truth: zhangJianhua.id },
      { label: 'two digits wrong + n/l near-sound in the given name', idRaw: mistypeDigits(random, lanYing.id, 2), name: '刘南英', truth: lanYing.id },
      { label: 'one digit wrong + traditional characters', idRaw: `${chenGuohua.id.slice(0, 15)}9${chenGuohua.id.slice(16)}`, name: '陳國華', truth: chenGuohua.id },
      { label: 'two digits wrong in the birth date + traditional characters', idRaw: `${liuDehua.id.slice(0, 9)}${liuDehua.id[10]}${liuDehua.id[9]}${liuDehua.id.slice(11, 13)}9${liuDehua.id.slice(14)}`, name: '劉德華', truth: liuDehua.id },
      // Someone not on the roll, born 1950-03-01, with the decoy's name, area and order codes.
      { label: 'decoy: same name, area and order code, different birth date', idRaw: makeId('500101', '1950-03-01', '123'), name: '李明', truth: null },
      { label: 'decoy: same name, unrelated ID', idRaw: makeId('500222', '1970-10-10', '555'), name: '李明', truth: null },
    ];
    // Broken IDs of people on the roll, with the name variants clerks produce.
    for (const person of random.shuffle(people).slice(0, 120)) {
      const roll = random.next();
      const surname = person.name[0]!;
      const name =
        roll < 0.3 && HOMOPHONE_SURNAMES[surname] ? HOMOPHONE_SURNAMES[surname] + person.name.slice(1) : roll < 0.45 ? toTraditional(person.name) : roll < 0.7 ? nearName(person.name) : person.name;
      const idRaw = random.chance(0.15) ? '' : random.chance(0.2) ? mistypeDigits(random, person.id.slice(0, 6) + person.id.slice(8, 17), 1) : mistypeDigits(random, person.id, random.chance(0.5) ? 1 : 2);
      rows.push({ idRaw, name, birthDate: idRaw === '' ? person.birthDate : undefined, truth: person.id });
    }
    // People who are not on the roll at all: valid or broken IDs, names that may well recur on the roll.
    for (const outsider of makePopulation(new Random(42), 150)) {
      if (people.some((person) => person.id === outsider.id)) continue;
      rows.push({ idRaw: random.chance(0.5) ? outsider.id : mistypeDigits(random, outsider.id, 2), name: outsider.name, truth: null });
    }

    await loadInsured(connection, people);
    await loadDeaths(connection, rows);
    const exact = Number((await connection.runAndReadAll(`SELECT count(*) AS n FROM id_links`)).getRowObjectsJson()[0]!.n);

    const summary = await linkLeftovers(connection, 'deaths');
    const links = await fuzzyLinks(connection);

    const outcome = (label: string) => {
      const index = rows.findIndex((row) => row.label === label);
      return links.get(index + 2)?.linked_id ?? null;
    };
    expect(outcome('missing ID, name + declared birth date')).toBe(rongGuang.id);
    expect(outcome('missing ID, no birth date, common name')).toBeNull();
    expect(outcome('missing ID, birth date shared by two people of that name')).toBeNull();
    expect(outcome('two digits wrong + homophone surname')).toBe(zhangJianhua.id);
    expect(outcome('two digits wrong + n/l near-sound in the given name')).toBe(lanYing.id);
    expect(outcome('one digit wrong + traditional characters')).toBe(chenGuohua.id);
    expect(outcome('two digits wrong in the birth date + traditional characters')).toBe(liuDehua.id);
    expect(outcome('decoy: same name, area and order code, different birth date')).toBeNull();
    expect(outcome('decoy: same name, unrelated ID')).toBeNull();

    // Over every row the exact stage left (named cases, broken IDs, outsiders), scored against the construction.
    const exactRows = new Set((await connection.runAndReadAll(`SELECT row_number FROM id_links WHERE method = 'exact'`)).getRowObjectsJson().map((row) => Number(row.row_number)));
    let correct = 0;
    let wrong = 0;
    let linkable = 0;
    rows.forEach((row, index) => {
      if (exactRows.has(index + 2)) return;
      if (row.truth !== null) linkable++;
      const link = links.get(index + 2);
      if (!link) return;
      if (link.linked_id === row.truth) correct++;
      else wrong++;
    });
    const precision = correct / (correct + wrong);
    const recall = correct / linkable;
    console.log(
      `fuzzy stage: ${summary.leftovers} leftovers, ${summary.candidatePairs} candidate pairs, ${summary.linked} linked ` +
        `(precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}), ${summary.ambiguous} ambiguous, λ=${summary.model?.matchProportion}`,
    );
    console.log(JSON.stringify(summary.model?.weights));
    expect(summary.leftovers).toBe(rows.length - exact);
    expect(summary.withoutKeys).toBeGreaterThanOrEqual(1);
    expect(summary.ambiguous).toBeGreaterThanOrEqual(1);
    expect(summary.model?.converged).toBe(true);
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('links exactly the same when it reads back and describes the linked identities a few at a time', async () => {
    const random = new Random(7);
    const people = makePopulation(random, 5_000);
    const rows: LeftoverRow[] = random.shuffle(people).slice(0, 80).map((person) => {
      const idRaw = random.chance(0.2) ? '' : mistypeDigits(random, person.id, random.chance(0.5) ? 1 : 2);
      return { idRaw, name: random.chance(0.3) ? toTraditional(person.name) : person.name, birthDate: idRaw === '' ? person.birthDate : undefined, truth: person.id };
    });
    const runWith = async (options: { linksPerRead?: number }) => {
      const instance = await DuckDBInstance.create(':memory:');
      const own = await instance.connect();
      try {
        await createTables(own);
        await loadInsured(own, people);
        await loadDeaths(own, rows);
        const summary = await linkLeftovers(own, 'deaths', options);
        return { summary, links: [...(await fuzzyLinks(own)).entries()].map(([row, link]) => [row, link.linked_id, link.score]).sort((a, b) => Number(a[0]) - Number(b[0])) };
      } finally {
        own.closeSync();
        instance.closeSync();
      }
    };
    const whole = await runWith({});
    const chunked = await runWith({ linksPerRead: 7 });
    expect(whole.links.length).toBeGreaterThan(40);
    expect(chunked.links).toEqual(whole.links);
    expect(chunked.summary.model).toEqual(whole.summary.model);
    expect({ ...chunked.summary, timingsMs: null }).toEqual({ ...whole.summary, timingsMs: null });
  });

  it('writes evidence an auditor can read: each field with its level, detail and weight, the total and the threshold', async () => {
    const random = new Random(5);
    const people = makePopulation(random, 3_000);
    const target = people[17]!;
    const rows: LeftoverRow[] = people.slice(100, 160).map((person) => ({ idRaw: mistypeDigits(random, person.id, 2), name: person.name, truth: person.id }));
    rows.push({ idRaw: mistypeDigits(random, target.id, 2), name: toTraditional(target.name), truth: target.id });
    await loadInsured(connection, people);
    await loadDeaths(connection, rows);

    await linkLeftovers(connection, 'deaths');
    const link = (await fuzzyLinks(connection)).get(rows.length + 1);
    expect(link?.linked_id).toBe(target.id);
    expect(link?.method).toBe('fuzzy');
    const evidence = JSON.parse(link!.evidence) as {
      fields: { field: string; level: string; weight: number; detail?: string }[];
      totalWeight: number;
      thresholdWeight: number;
      matchProbability: number;
      insured: { idNumber: string };
      record: { dataset: string; idAsWritten: string };
    };
    expect(evidence.fields.map((field) => field.field)).toEqual(['name', 'birth_date', 'gender', 'id_number']);
    expect(evidence.fields.every((field) => typeof field.weight === 'number' && field.detail)).toBe(true);
    const sum = evidence.fields.reduce((total, field) => total + field.weight, 0);
    expect(Math.abs(sum - evidence.totalWeight)).toBeLessThan(0.05);
    expect(evidence.totalWeight).toBeGreaterThan(evidence.thresholdWeight);
    expect(evidence.matchProbability).toBe(link!.score);
    expect(evidence.insured.idNumber).toBe(target.id);
    expect(evidence.record).toMatchObject({ dataset: 'deaths', idAsWritten: rows.at(-1)!.idRaw });
  });

  it('only looks at rows without a link, so running it again adds nothing', async () => {
    const random = new Random(9);
    const people = makePopulation(random, 2_000);
    const rows: LeftoverRow[] = people.slice(0, 40).map((person) => ({ idRaw: mistypeDigits(random, person.id, 2), name: person.name, truth: person.id }));
    await loadInsured(connection, people);
    await loadDeaths(connection, rows);
    const first = await linkLeftovers(connection, 'deaths');
    const second = await linkLeftovers(connection, 'deaths');
    expect(first.linked).toBeGreaterThan(30);
    expect(second.leftovers).toBe(first.leftovers - first.linked);
    expect(second.linked).toBe(0);
    expect((await fuzzyLinks(connection)).size).toBe(first.linked);
  });

  it('compares every candidate pair, read from DuckDB as integers, in this thread or on workers, exactly as the full comparison does', async () => {
    const random = new Random(11);
    const people = makePopulation(random, 20_000, 3);
    // The roll's gender column as extracts write it, including nothing at all.
    const spellings = { male: ['男', 'M', 'male', '1', 'ｍ'], female: ['女', 'F', 'female', '2'] };
    await loadInsured(connection, people, (person) => (random.chance(0.1) ? null : random.chance(0.1) ? '未知' : random.pick(spellings[person.gender])));
    const outsiders = makePopulation(new Random(12), 300, 3);
    const rows: LeftoverRow[] = [];
    for (const person of random.shuffle(people).slice(0, 700)) {
      const names = [person.name, toTraditional(person.name), nearName(person.name), ` ${person.name.slice(0, 1)} ${person.name.slice(1)}`, random.pick(people).name, person.name.slice(0, 2)];
      const writings = [
        mistypeDigits(random, person.id, 1),
        mistypeDigits(random, person.id, 2),
        mistypeDigits(random, person.id, 3),
        person.id.slice(0, 10) + person.id[11] + person.id[10] + person.id.slice(12),
        person.id.slice(0, 6) + person.id.slice(8, 17),
        mistypeDigits(random, person.id.slice(0, 6) + person.id.slice(8, 17), 1),
        person.id.slice(0, 17),
        `${person.id}7`,
        `${person.id.slice(0, 9)}A${person.id.slice(10)}`,
        person.id.replace(/\d/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0)).slice(0, 17) + person.id.slice(17),
        '',
      ];
      const idRaw = random.pick(writings);
      const [year, month, day] = person.birthDate.split('-');
      const births = [person.birthDate, `${year}-${month}-${day![0]}${(Number(day![1]) + 1) % 10}`, `${year}-${day}-${month}`];
      rows.push({ idRaw, name: random.pick(names), birthDate: idRaw === '' || random.chance(0.3) ? random.pick(births) : undefined, truth: person.id });
    }
    for (const outsider of outsiders) rows.push({ idRaw: outsider.id, name: outsider.name, truth: null });
    await loadDeaths(connection, rows);

    const columns = await prepareFuzzyStage(connection, 'deaths');
    await createLeftovers(connection, 'deaths', columns);
    await saveCharacterKeys(connection, characterKeyRows());
    await ensureRollIndex(connection);
    const { candidatePairs } = await selectCandidates(connection, 500);
    // More pairs than one DuckDB chunk (2,048 rows), so pairs are read across chunk boundaries.
    expect(candidatePairs).toBeGreaterThan(3 * 2048);
    const patterns = new PatternCounter(FUZZY_FIELDS.length);
    const compared = await compareCandidates(connection, candidatePairs, patterns, { workers: 0 });
    // On two worker threads, in batches smaller than a DuckDB chunk: the same vectors, counted in the same order.
    const threadedPatterns = new PatternCounter(FUZZY_FIELDS.length);
    const threaded = await compareCandidates(connection, candidatePairs, threadedPatterns, { workers: 2, pairsPerBatch: 1000 });
    expect(threaded).toEqual(compared);
    expect(threadedPatterns.patterns()).toEqual(patterns.patterns());

    const everything = { from: 0, to: 2 ** 31 - 1 };
    const identities = new Map((await readCandidateIdentities(connection, everything)).map((identity) => [identity.identity, identity]));
    const candidates = await readCandidates(connection, everything);
    expect(candidates).toHaveLength(candidatePairs);
    const expected = candidates.flatMap((candidate) => comparePair(identities.get(candidate.identity)!, candidate).vector.map((level) => level ?? -1));
    expect(Array.from(compared.vectors)).toEqual(expected);
    expect(Array.from(compared.identities)).toEqual(candidates.map((candidate) => candidate.identity));
    expect(Array.from(compared.startsPerson)).toEqual(candidates.map((candidate, index) => (index > 0 && candidates[index - 1]!.identity === candidate.identity && candidates[index - 1]!.insuredId === candidate.insuredId ? 0 : 1)));
    // The levels each field takes among these pairs (an exact ID never reaches the fuzzy stage, nor
    // a pair without a birth date to block on), so the agreement above covers them all.
    const occurring = { name: [0, 1, 2, 3, 4, 5], birth_date: [0, 1, 2, 3], gender: [-1, 0, 1], id_number: [-1, 1, 2, 3, 4] } as Record<string, number[]>;
    FUZZY_FIELDS.forEach((field, index) => {
      const seen = new Set(expected.filter((_, position) => position % FUZZY_FIELDS.length === index));
      expect([...seen].sort((a, b) => a - b), field.name).toEqual(occurring[field.name]);
    });
  });

  it('refuses a dataset name that is not a loaded person extract', async () => {
    await expect(linkLeftovers(connection, 'insured')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(linkLeftovers(connection, 'deaths; DROP TABLE insured')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(linkLeftovers(connection, 'payroll')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
