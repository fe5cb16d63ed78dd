import { Tag } from 'antd';
import type { ApplicationStatus, BundleState, ItemMode, ItemState, MissingItem, Names } from '../../../api/applications';
import type { Id } from '../../../api/types';
import { currentLanguage, i18next } from '../../../i18n';
import { translateOptional } from '../../../i18n/dynamic';

/** Path of an application's page in the console. */
export function applicationPath(id: Id): string {
  return `/assistance/applications/${encodeURIComponent(String(id))}`;
}

/** Path of the console form for a new application (an adviser applying on a resident's behalf). */
export const NEW_APPLICATION_PATH = '/assistance/applications/new';

/** Path of the console form continuing a draft: the same page, naming the draft. */
export function applicationEditPath(id: Id): string {
  return `${NEW_APPLICATION_PATH}?id=${encodeURIComponent(String(id))}`;
}

/** A name the server sends in both languages, in the page's language. */
export function nameOf(names: Names): string {
  return currentLanguage() === 'en-US' ? names.en || names.zh : names.zh;
}

/** A value of one of the `applications.*` enumerations, or the raw code when the console has no words for it. */
export function optionLabel(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return translateOptional(`applications.${group}.${code}`) ?? code;
}

const STATUS_COLORS: Record<ApplicationStatus, string> = { draft: 'gold', submitted: 'blue', withdrawn: 'default' };
const BUNDLE_COLORS: Record<BundleState, string> = { processing: 'processing', completed: 'success', withdrawn: 'default' };
const ITEM_COLORS: Record<ItemState, string> = {
  granting: 'cyan',
  reviewing: 'processing',
  rule_error: 'error',
  granted: 'success',
  refused: 'red',
  withdrawn: 'default',
};
const MODE_COLORS: Record<ItemMode, string> = { review_free: 'blue', review: 'default', rule_error: 'orange' };

function colorOf(colors: Record<string, string>, code: string): string {
  return colors[code] ?? 'default';
}

/** An application's status (草稿, 已提交, 已撤回). */
export function ApplicationStatusTag({ status }: { status: string }) {
  return (
    <Tag color={colorOf(STATUS_COLORS, status)} data-testid="application-status" data-status={status}>
      {optionLabel('statuses', status)}
    </Tag>
  );
}

/** The bundle's one status for the whole application (联办中, 已办结). */
export function BundleStateTag({ state }: { state: string }) {
  return (
    <Tag color={colorOf(BUNDLE_COLORS, state)} data-testid="application-bundle-state" data-state={state}>
      {optionLabel('bundleStates', state)}
    </Tag>
  );
}

/** An item's state (免审即享办理中, 部门审核中, 已批准 …). */
export function ItemStateTag({ state }: { state: string }) {
  return (
    <Tag color={colorOf(ITEM_COLORS, state)} data-testid="application-item-state" data-state={state}>
      {optionLabel('itemStates', state)}
    </Tag>
  );
}

/** How an item is decided (免审即享, 部门审核, 人工处理). */
export function ItemModeTag({ mode }: { mode: string }) {
  return (
    <Tag color={colorOf(MODE_COLORS, mode)} data-testid="application-item-mode" data-mode={mode}>
      {optionLabel('modes', mode)}
    </Tag>
  );
}

/** True when an item still waits for a decision. */
export function isUndecided(state: string): boolean {
  return state === 'granting' || state === 'reviewing' || state === 'rule_error';
}

/** The steps of the application form, in order. */
export const FORM_STEPS = ['place', 'applicant', 'members', 'household', 'submit'] as const;

/** One step of the application form. */
export type FormStep = (typeof FORM_STEPS)[number];

/** The step of the form where a missing field is filled in. */
export function stepOfField(field: string): FormStep {
  if (field === 'placeCode') return 'place';
  if (field.startsWith('applicant.')) return 'applicant';
  if (field === 'members' || field.startsWith('members.')) return 'members';
  if (field.startsWith('household.') || field === 'situation') return 'household';
  return 'submit';
}

const t = (key: string, values?: Record<string, unknown>) => translateOptional(key, values) ?? key;

/** Words of a form field as the missing list names it (`members.1.idNumber` → 成员 2 身份证号码). */
export function fieldLabel(field: string): string {
  if (field.startsWith('materials.')) return t('applications.fields.material', { name: field.slice('materials.'.length) });
  const member = /^members\.(\d+)\.(\w+)$/.exec(field);
  if (member) {
    const index = Number(member[1]) + 1;
    const name = member[2]!;
    if (name === 'name') return t('applications.fields.memberName', { index });
    if (name === 'idNumber') return t('applications.fields.memberIdNumber', { index });
    return t('applications.fields.memberField', { index, field: translateOptional(`applications.form.${name}`) ?? name });
  }
  if (field.startsWith('household.')) {
    const name = field.slice('household.'.length).split('.')[0]!;
    return t('applications.fields.household', { field: translateOptional(`applications.form.${name}`) ?? name });
  }
  switch (field) {
    case 'applicant.name':
      return t('applications.fields.applicantName');
    case 'applicant.idNumber':
      return t('applications.fields.applicantIdNumber');
    case 'applicant.phone':
      return t('applications.fields.applicantPhone');
    default:
      return translateOptional(`applications.fields.${field}`) ?? field;
  }
}

/**
 * The server's sentence about a missing field in the page's language: the sentences the server
 * writes are known (they are part of its contract), and any other is shown as it came.
 */
export function missingMessage(item: MissingItem): string {
  const { field, message } = item;
  const known: Array<[RegExp, string]> = [
    [/^is required$/, 'required'],
    [/^choose the community/, 'placeRequired'],
    [/^no place with code/, 'placeUnknown'],
    [/^must be a community/, 'placeLevel'],
    [/^must be a mainland mobile number$/, 'phoneInvalid'],
    [/^the applicant must be one of the members$/, 'applicantNotMember'],
    [/^is listed twice$/, 'listedTwice'],
    [/^list at least one member/, 'membersRequired'],
    [/^describe the household/, 'situationRequired'],
    [/^consent to the household economic check/, 'consentRequired'],
    [/^upload this material$/, 'uploadMaterial'],
    [/^ID number is empty$/, 'idEmpty'],
    [/^ID number must have 18 characters/, 'idLength'],
    [/^area code /, 'idArea'],
    [/^check character should be/, 'idCheck'],
  ];
  for (const [pattern, key] of known) if (pattern.test(message)) return i18next.t(`applications.missing.${key}` as 'applications.missing.required');
  // The ID number's format and birth-date problems have many wordings; the field says which it is.
  if (/idNumber$/.test(field) && /birth|date/i.test(message)) return i18next.t('applications.missing.idBirth');
  if (/idNumber$/.test(field) && /digit|character|format/i.test(message)) return i18next.t('applications.missing.idFormat');
  return message;
}
