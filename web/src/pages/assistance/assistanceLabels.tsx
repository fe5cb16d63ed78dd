import { CheckCircleTwoTone, CloseCircleTwoTone, ExclamationCircleTwoTone } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BenefitPeriod, ConditionOutcome, EligibilityOutcome, PolicyStatus } from '../../api/assistance';
import { currentLanguage } from '../../i18n';

/** Path of a policy's page. */
export function policyPath(id: number | string): string {
  return `/assistance/policies/${encodeURIComponent(String(id))}`;
}

/** A catalogue name in the console's language. */
export function localName(named: { nameZh: string; nameEn: string }): string {
  return currentLanguage() === 'en-US' ? named.nameEn || named.nameZh : named.nameZh;
}

/** A condition's label in the console's language (the Chinese one when no English was written). */
export function conditionLabel(node: { label?: string; labelEn?: string | null; name?: string }): string {
  if (currentLanguage() === 'en-US' && node.labelEn) return node.labelEn;
  return node.label ?? node.name ?? '';
}

/** Fen as yuan with two decimals: 157500 → ¥1,575.00. */
export function yuanFromFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** Yuan typed by a person ("1,575.5") as whole fen, or null when it is not an amount. */
export function fenFromYuan(text: string): number | null {
  const cleaned = text.replace(/[¥￥,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** The eligibility answer as a coloured tag. */
export function EligibilityTag({ outcome }: { outcome: EligibilityOutcome }) {
  const { t } = useTranslation();
  const color = outcome === 'eligible' ? 'success' : outcome === 'error' ? 'error' : 'default';
  return (
    <Tag color={color} data-testid="assistance-outcome" data-outcome={outcome}>
      {t(`assistance.outcomes.${outcome}`)}
    </Tag>
  );
}

/** A condition's outcome as an icon with its word. */
export function ConditionOutcomeIcon({ outcome }: { outcome: ConditionOutcome }) {
  const { t } = useTranslation();
  const icon =
    outcome === 'held' ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : outcome === 'failed' ? <CloseCircleTwoTone twoToneColor="#bfbfbf" /> : <ExclamationCircleTwoTone twoToneColor="#ff4d4f" />;
  return (
    <span data-outcome={outcome} title={t(`assistance.conditionOutcomes.${outcome}`)}>
      {icon} {t(`assistance.conditionOutcomes.${outcome}`)}
    </span>
  );
}

/** A policy's status tag. */
export function PolicyStatusTag({ status }: { status: PolicyStatus }) {
  const { t } = useTranslation();
  const color = status === 'active' ? 'green' : status === 'draft' ? 'gold' : 'default';
  return (
    <Tag color={color} data-testid="assistance-policy-status">
      {t(`assistance.statuses.${status}`)}
    </Tag>
  );
}

/** The 免审即享 mark. */
export function ReviewFreeTag() {
  const { t } = useTranslation();
  return (
    <Tag color="blue" data-testid="assistance-review-free">
      {t('assistance.reviewFree')}
    </Tag>
  );
}

/** An amount with its period ("¥1,575.00 每月"); the period alone when the benefit is not money. */
export function useAmountText(): (fen: number | null, period: BenefitPeriod) => string {
  const { t } = useTranslation();
  return (fen, period) => (period === 'none' ? t('assistance.periods.none') : fen === null ? '—' : t(`assistance.amountPer.${period}`, { amount: yuanFromFen(fen) }));
}
