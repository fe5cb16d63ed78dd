import os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  CHINESE_NAME_LEVELS,
  compareChineseNames,
  compareDates,
  compareResidentIds,
  DATE_LEVELS,
  EXACT_LEVELS,
  RESIDENT_ID_LEVELS,
  type ChineseNameComparison,
  type DateLevel,
} from './comparators.ts';
import { estimateFellegiSunter, PatternCounter, scoreComparison, type ComparisonField, type ComparisonVector, type EstimationOptions, type FellegiSunterModel } from './fellegi-sunter.ts';
import {
  countIdentitiesWithoutKeys,
  createLeftovers,
  dropWorkTables,
  ensureRollIndex,
  hasCharacterKeys,
  insertFuzzyLinks,
  prepareFuzzyStage,
  readCandidateGenders,
  readCandidateIdentities,
  readCandidateNames,
  readCandidatePairs,
  readCandidates,
  readIdentitiesToCompare,
  saveCharacterKeys,
  selectCandidates,
  type CandidateRow,
  type CharacterKeyRow,
  type FuzzyLinkRow,
  type LeftoverIdentity,
} from './fuzzy-stage.repository.ts';
import { characterKeys, cjkCharacters, genderFromSequence, parseGender, profileChineseName, readResidentIdParts } from './normalise.ts';
import { genderCode, PreparedNames, type PairColumns } from './pair-levels.ts';
import { createPairLevelsPool } from './pair-levels.pool.ts';

/**
 * The fields the fuzzy stage compares, with the values EM starts from (they also weigh as a prior of
 * two pseudo-pairs, which matters only for small candidate sets). Starting u values describe
 * non-matching candidates, which share a blocking key: their birth dates often agree (same-day
 * blocks) and so do their surnames, so names that share little more than the surname are common among them.
 */
export const FUZZY_FIELDS: readonly ComparisonField[] = [
  { name: 'name', levels: CHINESE_NAME_LEVELS, startM: [0.8, 0.04, 0.08, 0.04, 0.03, 0.01], startU: [0.01, 0.002, 0.008, 0.02, 0.3, 0.66] },
  { name: 'birth_date', levels: DATE_LEVELS, startM: [0.9, 0.02, 0.05, 0.03], startU: [0.6, 0.01, 0.04, 0.35] },
  { name: 'gender', levels: EXACT_LEVELS, startM: [0.97, 0.03], startU: [0.5, 0.5] },
  // Leftover rows are there because their IDs are broken or missing, so among matches an exact ID is
  // rare (the exact stage took those) and one or two edits are common.
  {
    name: 'id_number',
    levels: RESIDENT_ID_LEVELS,
    startM: [0.05, 0.45, 0.35, 0.035, 0.115],
    startU: [0.0005, 0.002, 0.01, 0.01, 0.9775],
    // MOD 11-2 lets one double slip in eleven through and no single slip, so among matches 'near_but_checks'
    // is at most a tenth of 'two_edits' (less when some IDs are 15 digits, which have no check to pass).
    constrainM: (m) => {
      const doubleSlips = m[2]! + m[3]!;
      return [m[0]!, m[1]!, (doubleSlips * 10) / 11, doubleSlips / 11, m[4]!];
    },
  },
];

/** Options of {@link linkLeftovers}. */
export interface FuzzyStageOptions {
  /**
   * Posterior probability a leftover row's best candidate needs to be linked, shared with its rival
   * candidates (see {@link linkLeftovers}); default 0.5: linked only when more likely right than not.
   */
  minimumMatchProbability?: number;
  /** A blocking pass offering one leftover identity more insured rows than this is dropped for it; default 500. */
  maxBlockSize?: number;
  /** Linked identities whose candidates are read back and described at a time; default 20,000. */
  linksPerRead?: number;
  /** Names already prepared for comparison, to share between the datasets of one run. */
  preparedNames?: PreparedNames;
  estimation?: EstimationOptions;
}

/** The estimated model as reported: λ, the threshold and each field's weight per level, in bits. */
export interface FuzzyModelSummary {
  pairs: number;
  matchProportion: number;
  thresholdWeight: number;
  iterations: number;
  converged: boolean;
  weights: Record<string, Record<string, number>>;
}

/** What the fuzzy stage did for one dataset. */
export interface FuzzyStageSummary {
  dataset: string;
  /** Rows of the dataset without an exact or repaired link when the stage began. */
  leftovers: number;
  /** Distinct leftover identities (rows written alike, such as one person's monthly payroll rows, are linked once). */
  identities: number;
  /** Identities with nothing to block on: no name, or no birth date and no readable area and order codes. */
  withoutKeys: number;
  candidatePairs: number;
  /** (identity, blocking pass) blocks dropped for exceeding the block size cap. */
  cappedBlocks: number;
  /** Rows linked (all rows of each linked identity). */
  linked: number;
  /** Identities whose best candidate would pass alone but shares its probability with rivals too close to tell apart. */
  ambiguous: number;
  model: FuzzyModelSummary | null;
  timingsMs: Record<string, number>;
}

/**
 * The fuzzy linking stage: links the rows of `dataset` that the exact and repaired stages left
 * without a row in `id_links` to insured people. Rows written alike are grouped into identities and
 * linked once. Candidates are found inside DuckDB by blocking passes over what the written ID still
 * shows: any three of its four parts (area, birth year, birth month-day, order code), and any two
 * of them with the name's pinyin codes, so a few mistyped digits do not hide a match (see
 * selectCandidates). Pinyin codes are computed in JS once per character, not per name, and the
 * roll is indexed once per connection. Each candidate pair is compared on name (Chinese comparator),
 * birth date, gender (from the written ID against the roll) and the ID's typing distance; m, u and
 * the match share are estimated by EM over this dataset's candidate pairs. An identity links to its
 * best candidate when that candidate's posterior probability, shared with the identity's other
 * candidates (odds / (1 + Σ odds)), reaches the minimum, and the names agree at least partially
 * with the birth date or the ID agreeing too: a common name with no other evidence never links, nor
 * does a near ID under another name. Links are written with method 'fuzzy', the probability as
 * score and the evidence an auditor reads.
 */
export async function linkLeftovers(connection: DuckDBConnection, dataset: string, options: FuzzyStageOptions = {}): Promise<FuzzyStageSummary> {
  const minimumProbability = options.minimumMatchProbability ?? 0.5;
  const maxBlockSize = options.maxBlockSize ?? 500;
  const timingsMs: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await work();
    timingsMs[stage] = Math.round(performance.now() - started);
    return result;
  };

  const columns = await prepareFuzzyStage(connection, dataset);
  try {
    const leftovers = await timed('leftovers', () => createLeftovers(connection, dataset, columns));
    const withoutKeys = await countIdentitiesWithoutKeys(connection);
    const summary: FuzzyStageSummary = {
      dataset,
      leftovers: leftovers.rows,
      identities: leftovers.identities,
      withoutKeys,
      candidatePairs: 0,
      cappedBlocks: 0,
      linked: 0,
      ambiguous: 0,
      model: null,
      timingsMs,
    };
    if (leftovers.rows === 0) return summary;

    await timed('character_keys', async () => {
      if (!(await hasCharacterKeys(connection))) await saveCharacterKeys(connection, characterKeyRows());
    });
    await timed('roll_index', () => ensureRollIndex(connection));
    const counts = await timed('block', () => selectCandidates(connection, maxBlockSize));
    summary.candidatePairs = counts.candidatePairs;
    summary.cappedBlocks = counts.cappedBlocks;
    const patterns = new PatternCounter(FUZZY_FIELDS.length);
    if (counts.candidatePairs === 0) return summary;

    // Two passes. The first reads every pair once, as integers streamed from DuckDB, and keeps what
    // deciding needs (the comparison vector, 4 bytes; the identity; whether the pair starts another
    // insured ID, since pairs come in ID order within an identity) while counting the patterns EM
    // estimates from. The second decides from those alone and reads back from DuckDB only the
    // identities it links, to describe them in words.
    const compared = await timed('compare', () => compareCandidates(connection, counts.candidatePairs, patterns, { preparedNames: options.preparedNames }));
    const model = await timed('estimate', () => estimateFellegiSunter(FUZZY_FIELDS, patterns, options.estimation));
    summary.model = summariseModel(model);

    await timed('decide', async () => {
      const { chosen, ambiguous } = choose(compared, model, minimumProbability);
      summary.ambiguous = ambiguous;
      const batch = options.linksPerRead ?? 20_000;
      for (let from = 0; from < chosen.length; from += batch) {
        const part = chosen.slice(from, from + batch);
        // Identities are chosen in reading order, so the first and last bound the range.
        const wanted = part.map((choice) => choice.identity);
        const span = { from: wanted[0]!, to: wanted.at(-1)! };
        const identities = new Map((await readCandidateIdentities(connection, span, wanted)).map((identity) => [identity.identity, identity]));
        const candidates = groupByIdentity(await readCandidates(connection, span, wanted));
        const links = part.flatMap((choice) => describeLink(dataset, choice, identities.get(choice.identity)!, candidates.get(choice.identity)!, model));
        summary.linked += links.length;
        await insertFuzzyLinks(connection, dataset, links);
      }
    });
    return summary;
  } finally {
    await dropWorkTables(connection);
  }
}

let cachedCharacterKeys: CharacterKeyRow[] | undefined;

/**
 * Pinyin codes of every CJK character, read as a surname and as in a given name; equal codes mean
 * equal dialect-folded readings. About 28,000 characters, computed once per process (well under a
 * second), so names never have to be read one by one in JS to be blocked.
 */
export function characterKeyRows(): CharacterKeyRow[] {
  if (cachedCharacterKeys) return cachedCharacterKeys;
  const codes = new Map<string, number>();
  const codeOf = (key: string) => {
    let code = codes.get(key);
    if (code === undefined) codes.set(key, (code = codes.size + 1));
    return code;
  };
  cachedCharacterKeys = [...cjkCharacters()].map((character) => {
    const keys = characterKeys(character);
    return { character, surnameCode: codeOf(keys.asSurname), givenCode: codeOf(keys.asGivenName) };
  });
  return cachedCharacterKeys;
}

/** What the first pass keeps of every candidate pair, in reading order. */
export interface ComparedPairs {
  /** FUZZY_FIELDS.length levels per pair, -1 where a value was missing. */
  vectors: Int8Array;
  identities: Int32Array;
  /** 1 where the pair is the first of its identity with this insured ID (two rows of one ID are one person). */
  startsPerson: Uint8Array;
}

/** Pairs handed to a comparison thread at a time, and batches a thread may hold at once (bounding memory). */
const PAIRS_PER_BATCH = 32_768;
const BATCHES_IN_FLIGHT_PER_WORKER = 4;

/**
 * Comparison threads for a dataset with this many candidate pairs: none for a few (starting a
 * thread, which loads the dictionaries, costs more than it saves), else one per core, up to two;
 * this thread meanwhile reads the pairs from DuckDB.
 */
export function comparisonWorkers(pairCount: number): number {
  return pairCount < 200_000 ? 0 : Math.min(2, os.availableParallelism());
}

/**
 * The first pass: every candidate pair compared at the level only (see pair-levels.ts), on worker
 * threads for a large dataset, and the pattern of each pair counted. This thread streams the pairs
 * out of DuckDB, checks their order and hands them out in batches; each identity and each distinct
 * roll name is prepared once per thread.
 */
export async function compareCandidates(
  connection: DuckDBConnection,
  pairCount: number,
  patterns: PatternCounter,
  { preparedNames = new PreparedNames(), workers = comparisonWorkers(pairCount), pairsPerBatch = PAIRS_PER_BATCH } = {},
): Promise<ComparedPairs> {
  const width = FUZZY_FIELDS.length;
  const setup = { identities: await readIdentitiesToCompare(connection), names: await readCandidateNames(connection) };
  const genderCodes = new Map<string, number>();
  for (const value of await readCandidateGenders(connection)) if (value !== null && parseGender(value) !== null) genderCodes.set(value, genderCode(parseGender(value)));

  const result: ComparedPairs = { vectors: new Int8Array(pairCount * width), identities: new Int32Array(pairCount), startsPerson: new Uint8Array(pairCount) };
  const pool = createPairLevelsPool(setup, workers, preparedNames);
  const inFlight: { offset: number; vectors: Promise<Int8Array> }[] = [];
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    result.vectors.set(await oldest.vectors, oldest.offset * width);
  };
  const newBatch = (): PairColumns => {
    const column = () => new Int32Array(pairsPerBatch);
    return { rows: 0, identity: column(), nameId: column(), idHigh: column(), idLow: column(), idCheck: column(), gender: column() };
  };
  let batch = newBatch();
  let batchStart = 0;
  let index = 0;
  const submit = async () => {
    inFlight.push({ offset: batchStart, vectors: pool.compare(batch) });
    batchStart += batch.rows;
    batch = newBatch();
    if (inFlight.length >= Math.max(1, workers) * BATCHES_IN_FLIGHT_PER_WORKER) await settleOldest();
  };
  // The previous pair's sort key (identity, insured ID, row): deciding relies on this order, so a
  // pair out of it is a defect to report, not something to decide on.
  const previous = { identity: -1, idHigh: 0, idLow: 0, idCheck: 0, insuredRow: 0 };
  try {
    await readCandidatePairs(connection, genderCodes, async (chunk) => {
      if (index + chunk.rows > pairCount) throw new Error('the candidate table holds more pairs than it counted');
      for (let row = 0; row < chunk.rows; row++, index++) {
        const identity = chunk.identity[row]!;
        const idHigh = chunk.idHigh[row]!;
        const idLow = chunk.idLow[row]!;
        const idCheck = chunk.idCheck[row]!;
        const insuredRow = chunk.insuredRow[row]!;
        const isSameId = identity === previous.identity && idHigh === previous.idHigh && idLow === previous.idLow && idCheck === previous.idCheck;
        if (isSameId ? insuredRow <= previous.insuredRow : !comesAfter(identity, idHigh, idLow, idCheck, previous)) throw new Error('candidate pairs came back out of order');
        previous.identity = identity;
        previous.idHigh = idHigh;
        previous.idLow = idLow;
        previous.idCheck = idCheck;
        previous.insuredRow = insuredRow;
        result.identities[index] = identity;
        result.startsPerson[index] = isSameId ? 0 : 1;

        const at = batch.rows++;
        batch.identity[at] = identity;
        batch.nameId[at] = chunk.nameId[row]!;
        batch.idHigh[at] = idHigh;
        batch.idLow[at] = idLow;
        batch.idCheck[at] = idCheck;
        batch.gender[at] = chunk.gender[row]!;
        if (batch.rows === pairsPerBatch) await submit();
      }
    });
    if (batch.rows > 0) await submit();
    while (inFlight.length > 0) await settleOldest();
  } finally {
    await Promise.allSettled(inFlight.map((entry) => entry.vectors));
    await pool.close();
  }
  if (index !== pairCount) throw new Error(`the candidate table counted ${pairCount} pairs but ${index} were read`);
  // Counted in reading order, so EM sees the patterns in the order it always has.
  for (let pair = 0; pair < pairCount; pair++) patterns.addEncoded(result.vectors, pair * width);
  return result;
}

/** Whether (identity, insured ID) sorts after the previous pair's, the ID compared as readCandidates sorts it. */
function comesAfter(identity: number, idHigh: number, idLow: number, idCheck: number, previous: { identity: number; idHigh: number; idLow: number; idCheck: number }): boolean {
  if (identity !== previous.identity) return identity > previous.identity;
  if (idHigh !== previous.idHigh) return idHigh > previous.idHigh;
  if (idLow !== previous.idLow) return idLow > previous.idLow;
  return idCheck > previous.idCheck;
}

/** A pair compared in full: the vector, and in words what each field compared (for the evidence). */
interface ComparedPair {
  vector: ComparisonVector;
  details: Record<string, string>;
  idValid: boolean;
}

function groupByIdentity(candidates: readonly CandidateRow[]): Map<number, CandidateRow[]> {
  const groups = new Map<number, CandidateRow[]>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.identity);
    if (group) group.push(candidate);
    else groups.set(candidate.identity, [candidate]);
  }
  return groups;
}

/**
 * Compares a pair in full, with each field described in words for the evidence. The first pass
 * gets the same vector from comparePairLevels without the words (fuzzy-stage.test.ts checks both).
 */
export function comparePair(identity: Pick<LeftoverIdentity, 'idClean' | 'name' | 'declaredBirth' | 'declaredGender'>, candidate: Pick<CandidateRow, 'insuredId' | 'insuredName' | 'insuredGender'>): ComparedPair {
  const parts = readResidentIdParts(identity.idClean);
  const details: Record<string, string> = {};

  const leftName = profileChineseName(identity.name);
  const rightName = profileChineseName(candidate.insuredName);
  let name: number | null = null;
  if (leftName.folded !== '' && rightName.folded !== '') {
    const comparison = compareChineseNames(leftName, rightName);
    name = CHINESE_NAME_LEVELS.indexOf(comparison.level);
    details.name = `${identity.name} / ${candidate.insuredName}: ${describeCharacters(comparison)}`;
  }

  const insuredBirth = candidate.insuredId.slice(6, 14);
  let birth: number | null = null;
  for (const [written, source] of [[parts.birthDigits, 'from the written ID'], [identity.declaredBirth, 'declared']] as const) {
    const level: DateLevel | null = compareDates(written, insuredBirth);
    if (level === null) continue;
    const index = DATE_LEVELS.indexOf(level);
    if (birth === null || index < birth) {
      birth = index;
      details.birth_date = `${written} (${source}) / ${insuredBirth} (insured ID)`;
    }
  }

  const writtenGender = parts.shape === 'id18' || parts.shape === 'id15' ? genderFromSequence(parts.sequence) : parseGender(identity.declaredGender);
  const rosterGender = parseGender(candidate.insuredGender) ?? genderFromSequence(candidate.insuredId.slice(14, 17));
  let gender: number | null = null;
  if (writtenGender !== null && rosterGender !== null) {
    gender = EXACT_LEVELS.indexOf(writtenGender === rosterGender ? 'exact' : 'different');
    const source = parts.shape === 'id18' || parts.shape === 'id15' ? 'from the written ID' : 'declared';
    details.gender = `${writtenGender} (${source}) / ${rosterGender} (insured roll)`;
  }

  const id = compareResidentIds(parts, candidate.insuredId);
  if (id !== null) details.id_number = `${parts.cleaned} / ${candidate.insuredId}: ${id.distance} edit(s) apart (${id.compared})`;
  const vector = [name, birth, gender, id === null ? null : RESIDENT_ID_LEVELS.indexOf(id.level)];
  const idValid = id?.passesCheck ?? false;
  return { vector, details, idValid };
}

function describeCharacters(comparison: ChineseNameComparison): string {
  if (comparison.characters.length === 0) return comparison.level;
  const characters = comparison.characters.map((pair) => (pair.agreement === 'identical' ? pair.a : `${pair.a || '∅'}→${pair.b || '∅'} ${pair.agreement}`));
  return `${comparison.level} (${characters.join(', ')})`;
}

const FIELD = Object.fromEntries(FUZZY_FIELDS.map((field, index) => [field.name, index])) as Record<'name' | 'birth_date' | 'gender' | 'id_number', number>;
const NAME_DIFFERENT = CHINESE_NAME_LEVELS.indexOf('different');
const BIRTH_DIFFERENT = DATE_LEVELS.indexOf('different');
const ID_NEAR = (['exact', 'one_edit', 'two_edits', 'near_but_checks'] as const).map((level) => RESIDENT_ID_LEVELS.indexOf(level));

/**
 * The stated rule on top of the weights: a link needs the name to agree at least partially (a broken
 * ID under another name is another person as often as not) and, besides the name, the birth date or
 * the ID to agree at some level, so a name alone never links however rare it is. Levels, not weights,
 * decide here: inside blocks chosen for a shared birth date an equal birth date weighs little, yet
 * it is what, with the name, identifies someone whose ID is missing.
 */
function hasIndependentAgreement(vector: ComparisonVector): boolean {
  const name = vector[FIELD.name];
  const birth = vector[FIELD.birth_date];
  const id = vector[FIELD.id_number];
  const isNameAgreeing = name !== null && name !== undefined && name !== NAME_DIFFERENT;
  const isBirthAgreeing = birth !== null && birth !== undefined && birth !== BIRTH_DIFFERENT;
  const isIdNear = id !== null && id !== undefined && ID_NEAR.includes(id);
  return isNameAgreeing && (isBirthAgreeing || isIdNear);
}

/** An identity to link: its best candidate and the runner-up, as positions among its pairs in reading order. */
interface Choice {
  identity: number;
  best: number;
  runnerUp: number | null;
  probability: number;
  loneWeight: number;
  candidates: number;
}

/**
 * Decides one range from the first pass's vectors alone. Per identity, two rows with one insured
 * ID are one person and keep the better-scoring row (the first on a tie); persons are ranked by
 * total weight, and the best links when its posterior probability, shared with the others, reaches
 * the minimum and {@link hasIndependentAgreement} holds. An identity that fails only on sharing is
 * counted as ambiguous.
 */
function choose(part: ComparedPairs, model: FellegiSunterModel, minimumProbability: number): { chosen: Choice[]; ambiguous: number } {
  const width = FUZZY_FIELDS.length;
  const count = part.identities.length;
  const vectorAt = (index: number): ComparisonVector => Array.from(part.vectors.subarray(index * width, (index + 1) * width), (level) => (level < 0 ? null : level));
  // Each pair's total weight, summed here rather than through scoreComparison: a city's run decides
  // tens of millions of pairs, and only the linked ones need the parts (describeLink).
  const totals = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    let total = 0;
    for (let field = 0; field < width; field++) {
      const level = part.vectors[index * width + field]!;
      total += level < 0 ? 0 : model.weights[field]![level]!;
    }
    totals[index] = total;
  }
  const loneWeight = model.threshold + Math.log2(minimumProbability / (1 - minimumProbability));
  const chosen: Choice[] = [];
  let ambiguous = 0;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    while (end < count && part.identities[end] === part.identities[start]) end++;
    const persons: number[] = [];
    for (let index = start; index < end; index++) {
      if (part.startsPerson[index] === 1) persons.push(index);
      else if (totals[index]! > totals[persons.at(-1)!]!) persons[persons.length - 1] = index;
    }
    // A stable sort: persons of equal weight keep their reading order.
    const ranked = persons.sort((a, b) => totals[b]! - totals[a]!);
    const best = ranked[0]!;
    // Posterior odds of each candidate against "none of them": 2^(W − threshold).
    const odds = ranked.map((index) => 2 ** (totals[index]! - model.threshold));
    const probability = odds[0]! / (1 + odds.reduce((sum, value) => sum + value, 0));
    const isEligible = hasIndependentAgreement(vectorAt(best));
    if (probability >= minimumProbability && isEligible) {
      const runnerUp = ranked[1];
      chosen.push({ identity: part.identities[start]!, best: best - start, runnerUp: runnerUp === undefined ? null : runnerUp - start, probability, loneWeight, candidates: ranked.length });
    } else if (totals[best]! >= loneWeight && isEligible) {
      ambiguous++;
    }
    start = end;
  }
  return { chosen, ambiguous };
}

/** The links of a chosen identity, one per row written alike, with the evidence an auditor reads. */
function describeLink(dataset: string, choice: Choice, identity: LeftoverIdentity, pairs: readonly CandidateRow[], model: FellegiSunterModel): FuzzyLinkRow[] {
  const candidate = pairs[choice.best]!;
  const described = comparePair(identity, candidate);
  const scored = scoreComparison(model, described.vector);
  const runnerUp = choice.runnerUp === null ? null : pairs[choice.runnerUp]!;
  const evidence = {
    stage: 'fuzzy',
    record: { dataset, idAsWritten: identity.idRaw, name: identity.name, idPassesCheck: described.idValid },
    insured: { row: candidate.insuredRow, idNumber: candidate.insuredId, name: candidate.insuredName, gender: candidate.insuredGender, birthDate: candidate.insuredBirthDate },
    blockedBy: candidate.passes,
    fields: scored.parts.map((part) => ({
      field: part.field,
      level: part.level ?? 'missing',
      weight: round(part.weight, 2),
      ...(described.details[part.field] ? { detail: described.details[part.field] } : {}),
    })),
    totalWeight: round(scored.total, 2),
    thresholdWeight: round(choice.loneWeight, 2),
    matchProbability: round(choice.probability, 6),
    otherCandidates: choice.candidates - 1,
    runnerUp: runnerUp ? { idNumber: runnerUp.insuredId, name: runnerUp.insuredName, totalWeight: round(scoreComparison(model, comparePair(identity, runnerUp).vector).total, 2) } : null,
    model:
      `Fellegi–Sunter; m, u and λ = ${round(model.matchProportion, 4)} estimated by EM over ${model.pairs} candidate pairs of ${dataset}; ` +
      `probability = odds / (1 + sum of the odds of all ${choice.candidates} candidate(s)), odds = 2^(total − ${round(model.threshold, 2)})`,
  };
  // Every row written this way gets the link, each with its own row number and ID as written.
  return identity.rows.map((row) => ({
    rowNumber: row.row,
    linkedId: candidate.insuredId,
    score: round(choice.probability, 6),
    evidence: { ...evidence, record: { ...evidence.record, row: row.row, idAsWritten: row.idAsWritten, name: row.name, rowsLinkedAlike: identity.rows.length } },
  }));
}

function summariseModel(model: FellegiSunterModel): FuzzyModelSummary {
  return {
    pairs: model.pairs,
    matchProportion: round(model.matchProportion, 6),
    thresholdWeight: round(model.threshold, 3),
    iterations: model.iterations,
    converged: model.converged,
    weights: Object.fromEntries(model.fields.map((field, index) => [field.name, Object.fromEntries(field.levels.map((level, l) => [level, round(model.weights[index]![l]!, 3)]))])),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
