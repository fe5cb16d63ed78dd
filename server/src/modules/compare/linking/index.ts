/**
 * Record linking for 大数据比对: name normalisation that understands Chinese (traditional forms,
 * pinyin with surname readings, dialect near-sounds), graded comparators for Chinese and Latin-script
 * names, dates, numbers and ID numbers, multi-pass blocking, Fellegi–Sunter weights estimated by EM,
 * and the engine's fuzzy stage that links the rows exact and repaired IDs left over.
 */
export {
  COMPOUND_SURNAMES,
  COMPOUND_SURNAME_FORMS,
  characterKeys,
  cjkCharacters,
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
  type ChineseNameProfile,
  type NameSyllable,
  type ResidentIdParts,
} from './normalise.ts';
export { isSimilarShape } from './similar-shapes.ts';
export {
  CHARACTER_AGREEMENTS,
  CHINESE_NAME_LEVELS,
  CODE_LEVELS,
  DATE_LEVELS,
  EXACT_LEVELS,
  NUMBER_LEVELS,
  RESIDENT_ID_LEVELS,
  TEXT_LEVELS,
  compareChineseCharacters,
  compareChineseNames,
  compareCodes,
  compareDates,
  compareExact,
  compareLatinText,
  compareNameSyllables,
  compareNumbers,
  compareResidentIds,
  dateDigits,
  editDistance,
  jaro,
  jaroWinkler,
  type CharacterAgreement,
  type ChineseNameComparison,
  type ChineseNameLevel,
  type CodeLevel,
  type DateLevel,
  type ExactLevel,
  type NumberLevel,
  type ResidentIdComparison,
  type ResidentIdLevel,
  type TextLevel,
} from './comparators.ts';
export {
  assignOneToOne,
  estimateFellegiSunter,
  matchProbability,
  scoreComparison,
  type ComparisonField,
  type ComparisonVector,
  type EstimationOptions,
  type FellegiSunterModel,
  type FieldWeight,
  type ScoredComparison,
  type WeightedPair,
} from './fellegi-sunter.ts';
export { blockRecords, type BlockingOptions, type BlockingPass, type BlockingResult, type CandidatePair, type SkippedBlock } from './blocking.ts';
export { linkRecords, type RecordLink, type RecordLinkageResult, type RecordLinkageSpec } from './record-linkage.ts';
export { dropFuzzyStageTables } from './fuzzy-stage.repository.ts';
export { FUZZY_FIELDS, linkLeftovers, type FuzzyModelSummary, type FuzzyStageOptions, type FuzzyStageSummary } from './fuzzy-stage.ts';
export { PreparedNames } from './pair-levels.ts';
