import { translateOptional } from '../i18n/dynamic';

/**
 * The resident categories the console filters by. `value` is what the registry stores and the API
 * filters on (the Chinese term, as in import files); `key` names its translation.
 */
export const RESIDENT_TAGS = [
  { value: '低保', key: 'subsistenceAllowance', color: 'volcano' },
  { value: '特困', key: 'destitute', color: 'red' },
  { value: '残疾', key: 'disabled', color: 'purple' },
  { value: '高龄', key: 'elderly', color: 'gold' },
  { value: '孤儿', key: 'orphan', color: 'magenta' },
  { value: '独居老人', key: 'elderlyLivingAlone', color: 'orange' },
  { value: '退役军人', key: 'veteran', color: 'green' },
  { value: '失业', key: 'unemployed', color: 'cyan' },
  { value: '留守儿童', key: 'leftBehindChild', color: 'blue' },
] as const;

type ResidentTag = (typeof RESIDENT_TAGS)[number];

/** The known category for a stored tag, whether the server sends the Chinese term or the identifier. */
export function findResidentTag(tag: string): ResidentTag | undefined {
  return RESIDENT_TAGS.find((known) => known.value === tag || known.key === tag);
}

/** Display label of a tag in the current language; unknown tags show as stored. */
export function residentTagLabel(tag: string): string {
  const known = findResidentTag(tag);
  return (known && translateOptional(`residentTags.${known.key}`)) ?? tag;
}
