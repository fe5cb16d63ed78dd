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
  findCandidateIdentityRange,
  hasCharacterKeys,
  insertFuzzyLinks,
  prepareFuzzyStage,
  readCandidateIdentities,
  readCandidates,
  saveCharacterKeys,
  selectCandidates,
  type CandidateRow,
  type CharacterKeyRow,
  type FuzzyLinkRow,
  type IdentityRange,
  type LeftoverIdentity,
} from './fuzzy-stage.repository.ts';
import { characterKeys, cjkCharacters, genderFromSequence, parseGender, profileChineseName, readResidentIdParts, type ChineseNameProfile } from './normalise.ts';

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
  /** Leftover identities whose candidates are read and compared at a time; default 20,000. */
  identitiesPerChunk?: number;
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
    const range = await findCandidateIdentityRange(connection);
    if (range === null) return summary;

    // Two passes over the candidates, a range of identities at a time, so that no more than one
    // range's pairs are ever in memory (a city's payroll offers tens of millions): the first counts
    // the comparison patterns EM estimates from, the second compares again and decides.
    // The first pass keeps each pair's comparison vector (4 bytes) for the second, which then only
    // scores, and describes in words just the candidate it links.
    const chunk = options.identitiesPerChunk ?? 20_000;
    const parts: IdentityRange[] = [];
    for (let from = range.from; from <= range.to; from += chunk) parts.push({ from, to: Math.min(range.to, from + chunk - 1) });
    const readPart = async (part: IdentityRange) => {
      const identities = new Map((await readCandidateIdentities(connection, part)).map((identity) => [identity.identity, identity]));
      const profiles = new Map<string, ChineseNameProfile>();
      const profile = (name: string) => {
        let found = profiles.get(name);
        if (!found) profiles.set(name, (found = profileChineseName(name)));
        return found;
      };
      return { identities, candidates: await readCandidates(connection, part), profile };
    };
    const patterns = new PatternCounter(FUZZY_FIELDS.length);
    const vectors: Int8Array[] = [];
    await timed('compare', async () => {
      for (const part of parts) {
        const { identities, candidates, profile } = await readPart(part);
        const packed = new Int8Array(candidates.length * FUZZY_FIELDS.length);
        candidates.forEach((candidate, index) => {
          const vector = compareVector(identities.get(candidate.identity)!, candidate, profile);
          patterns.add(vector);
          vector.forEach((level, field) => (packed[index * FUZZY_FIELDS.length + field] = level ?? -1));
        });
        vectors.push(packed);
      }
    });
    const model = await timed('estimate', () => estimateFellegiSunter(FUZZY_FIELDS, patterns, options.estimation));
    summary.model = summariseModel(model);

    await timed('decide', async () => {
      for (const [partIndex, part] of parts.entries()) {
        const { identities, candidates, profile } = await readPart(part);
        const packed = vectors[partIndex]!;
        const pairs = candidates.map((candidate, index): ScoredPair => {
          const vector = Array.from(packed.subarray(index * FUZZY_FIELDS.length, (index + 1) * FUZZY_FIELDS.length), (level) => (level < 0 ? null : level));
          return { identity: identities.get(candidate.identity)!, candidate, vector };
        });
        const decisions = decide(dataset, pairs, model, minimumProbability, profile);
        summary.linked += decisions.links.length;
        summary.ambiguous += decisions.ambiguous;
        if (decisions.links.length > 0) await insertFuzzyLinks(connection, dataset, decisions.links);
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
function characterKeyRows(): CharacterKeyRow[] {
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

/** A candidate pair with its comparison vector. */
interface ScoredPair {
  identity: LeftoverIdentity;
  candidate: CandidateRow;
  vector: ComparisonVector;
}

/** A pair compared in full: the vector, and in words what each field compared (for the evidence). */
interface ComparedPair extends ScoredPair {
  details: Record<string, string>;
  idValid: boolean;
}

/** The comparison vector of a pair alone: what EM and the weights need, without the words. */
function compareVector(identity: LeftoverIdentity, candidate: CandidateRow, profile: (name: string) => ChineseNameProfile): ComparisonVector {
  return comparePair(identity, candidate, profile, false).vector;
}

// An identity meets all its candidates: its written ID is read once.
const idPartsOf = new WeakMap<LeftoverIdentity, ReturnType<typeof readResidentIdParts>>();

function comparePair(identity: LeftoverIdentity, candidate: CandidateRow, profile: (name: string) => ChineseNameProfile, withDetails = true): ComparedPair {
  let parts = idPartsOf.get(identity);
  if (!parts) idPartsOf.set(identity, (parts = readResidentIdParts(identity.idClean)));
  const details: Record<string, string> = {};

  const leftName = profile(identity.name);
  const rightName = profile(candidate.insuredName);
  let name: number | null = null;
  if (leftName.folded !== '' && rightName.folded !== '') {
    const comparison = compareChineseNames(leftName, rightName);
    name = CHINESE_NAME_LEVELS.indexOf(comparison.level);
    if (withDetails) details.name = `${identity.name} / ${candidate.insuredName}: ${describeCharacters(comparison)}`;
  }

  const insuredBirth = candidate.insuredId.slice(6, 14);
  let birth: number | null = null;
  for (const [written, source] of [[parts.birthDigits, 'from the written ID'], [identity.declaredBirth, 'declared']] as const) {
    const level: DateLevel | null = compareDates(written, insuredBirth);
    if (level === null) continue;
    const index = DATE_LEVELS.indexOf(level);
    if (birth === null || index < birth) {
      birth = index;
      if (withDetails) details.birth_date = `${written} (${source}) / ${insuredBirth} (insured ID)`;
    }
  }

  const writtenGender = parts.shape === 'id18' || parts.shape === 'id15' ? genderFromSequence(parts.sequence) : parseGender(identity.declaredGender);
  const rosterGender = parseGender(candidate.insuredGender) ?? genderFromSequence(candidate.insuredId.slice(14, 17));
  let gender: number | null = null;
  if (writtenGender !== null && rosterGender !== null) {
    gender = EXACT_LEVELS.indexOf(writtenGender === rosterGender ? 'exact' : 'different');
    const source = parts.shape === 'id18' || parts.shape === 'id15' ? 'from the written ID' : 'declared';
    if (withDetails) details.gender = `${writtenGender} (${source}) / ${rosterGender} (insured roll)`;
  }

  const id = compareResidentIds(parts, candidate.insuredId);
  if (id !== null && withDetails) details.id_number = `${parts.cleaned} / ${candidate.insuredId}: ${id.distance} edit(s) apart (${id.compared})`;
  const vector = [name, birth, gender, id === null ? null : RESIDENT_ID_LEVELS.indexOf(id.level)];
  const idValid = id?.passesCheck ?? false;
  return { identity, candidate, vector, details, idValid };
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

interface Decisions {
  links: FuzzyLinkRow[];
  ambiguous: number;
}

function decide(dataset: string, compared: readonly ScoredPair[], model: FellegiSunterModel, minimumProbability: number, profile: (name: string) => ChineseNameProfile): Decisions {
  const byIdentity = new Map<number, ScoredPair[]>();
  for (const pair of compared) {
    const list = byIdentity.get(pair.identity.identity);
    if (list) list.push(pair);
    else byIdentity.set(pair.identity.identity, [pair]);
  }
  const links: FuzzyLinkRow[] = [];
  let ambiguous = 0;
  const loneWeight = model.threshold + Math.log2(minimumProbability / (1 - minimumProbability));
  for (const pairs of byIdentity.values()) {
    // Two insured rows with one ID (a duplicate enrolment) are one person: keep the better-scoring row.
    const byPerson = new Map<string, { pair: ScoredPair; scored: ReturnType<typeof scoreComparison> }>();
    for (const pair of pairs) {
      const scored = scoreComparison(model, pair.vector);
      const known = byPerson.get(pair.candidate.insuredId);
      if (!known || scored.total > known.scored.total) byPerson.set(pair.candidate.insuredId, { pair, scored });
    }
    const ranked = [...byPerson.values()].sort((a, b) => b.scored.total - a.scored.total);
    const best = ranked[0]!;
    // Posterior odds of each candidate against "none of them": 2^(W − threshold).
    const odds = ranked.map((entry) => 2 ** (entry.scored.total - model.threshold));
    const probability = odds[0]! / (1 + odds.reduce((sum, value) => sum + value, 0));
    const isEligible = hasIndependentAgreement(best.pair.vector);
    if (probability < minimumProbability || !isEligible) {
      if (best.scored.total >= loneWeight && isEligible) ambiguous++;
      continue;
    }
    const { candidate, identity } = best.pair;
    const described = comparePair(identity, candidate, profile);
    const runnerUp = ranked[1];
    const evidence = {
      stage: 'fuzzy',
      record: { dataset, idAsWritten: identity.idRaw, name: identity.name, idPassesCheck: described.idValid },
      insured: { row: candidate.insuredRow, idNumber: candidate.insuredId, name: candidate.insuredName, gender: candidate.insuredGender, birthDate: candidate.insuredBirthDate },
      blockedBy: candidate.passes,
      fields: best.scored.parts.map((part) => ({
        field: part.field,
        level: part.level ?? 'missing',
        weight: round(part.weight, 2),
        ...(described.details[part.field] ? { detail: described.details[part.field] } : {}),
      })),
      totalWeight: round(best.scored.total, 2),
      thresholdWeight: round(loneWeight, 2),
      matchProbability: round(probability, 6),
      otherCandidates: ranked.length - 1,
      runnerUp: runnerUp ? { idNumber: runnerUp.pair.candidate.insuredId, name: runnerUp.pair.candidate.insuredName, totalWeight: round(runnerUp.scored.total, 2) } : null,
      model:
        `Fellegi–Sunter; m, u and λ = ${round(model.matchProportion, 4)} estimated by EM over ${model.pairs} candidate pairs of ${dataset}; ` +
        `probability = odds / (1 + sum of the odds of all ${ranked.length} candidate(s)), odds = 2^(total − ${round(model.threshold, 2)})`,
    };
    // Every row written this way gets the link, each with its own row number and ID as written.
    for (const row of identity.rows) {
      links.push({
        rowNumber: row.row,
        linkedId: candidate.insuredId,
        score: round(probability, 6),
        evidence: { ...evidence, record: { ...evidence.record, row: row.row, idAsWritten: row.idAsWritten, name: row.name, rowsLinkedAlike: identity.rows.length } },
      });
    }
  }
  return { links, ambiguous };
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
