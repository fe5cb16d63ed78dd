import { ClockCircleOutlined } from '@ant-design/icons';
import { Badge, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { stateColor } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';

/** Format of matter timestamps. */
export const MATTER_TIME = 'YYYY-MM-DD HH:mm';

/** A matter's state as a coloured tag. */
export function MatterStateTag({ state }: { state: string }) {
  return (
    <Tag color={stateColor(state)} data-testid="matter-state">
      {enumLabel('matterStates', state)}
    </Tag>
  );
}

/** The time limit of the current step, red once it has passed; or the year whose holidays it waits for. */
export function DueTime({ dueAt, isOverdue, pendingYear }: { dueAt: string | null; isOverdue: boolean; pendingYear?: number | null }) {
  const { t } = useTranslation();
  if (!dueAt && pendingYear) {
    return (
      <Tag color="orange" data-testid="matter-due-pending" title={t('matters.duePendingHint', { year: pendingYear })}>
        {t('matters.duePending', { year: pendingYear })}
      </Tag>
    );
  }
  if (!dueAt) return <span className="ms-muted">—</span>;
  return (
    <Typography.Text type={isOverdue ? 'danger' : undefined} data-overdue={isOverdue ? 'true' : undefined}>
      {isOverdue ? <ClockCircleOutlined style={{ marginRight: 4 }} title={t('matters.overdue')} /> : null}
      {dayjs(dueAt).format(MATTER_TIME)}
    </Typography.Text>
  );
}

/** 督办 N when the matter has been escalated, nothing otherwise. */
export function EscalationBadge({ level }: { level: number }) {
  const { t } = useTranslation();
  if (!level || level <= 0) return <span className="ms-muted">—</span>;
  return <Badge status="error" text={<Tag color="red">{t('matters.escalationLevel', { level })}</Tag>} />;
}

/** 二次办理 when a callback sent the matter back, nothing for the first round. */
export function RoundTag({ round }: { round: number }) {
  const { t } = useTranslation();
  if (!round || round <= 1) return <span className="ms-muted">{t('matters.roundFirst')}</span>;
  return <Tag color="orange">{round === 2 ? t('matters.roundAgain') : t('matters.roundN', { round })}</Tag>;
}
