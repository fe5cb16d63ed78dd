import { Empty, Space, Tag, Timeline, Typography, type TimelineProps } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MatterEvent } from '../../api/types';
import { enumLabel } from '../../domain/labels';
import { MATTER_TIME } from './MatterTags';

type TimelineItem = NonNullable<TimelineProps['items']>[number];

const KIND_COLORS: Record<string, string> = {
  created: 'blue',
  transition: 'green',
  note: 'gray',
  warned: 'orange',
  escalated: 'red',
  assigned: 'blue',
  co_handler_added: 'purple',
  co_handler_reported: 'green',
  co_handler_withdrawn: 'gray',
  deadline_set: 'blue',
};

function detail(details: MatterEvent['details'], key: string): unknown {
  return details && typeof details === 'object' ? details[key] : undefined;
}

/** The name of a `{ id, name }` the server recorded, or undefined. */
function nameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' && name ? name : undefined;
}

/** "Unit · person" of an assignee recorded on a transfer. */
function assigneeText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '—';
  const { organisation, user } = value as { organisation?: unknown; user?: unknown };
  return [nameOf(organisation), nameOf(user)].filter(Boolean).join(' · ') || '—';
}

/** What happened to a matter, oldest first, in the console's words. */
export function MatterTimeline({ events }: { events: MatterEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('matters.timelineEmpty')} data-testid="matter-timeline" />;
  }

  const items: TimelineItem[] = events.map((event, index) => {
    const note = detail(event.details, 'note');
    const dueAt = detail(event.details, 'dueAt');
    const round = detail(event.details, 'round');
    const isSolved = detail(event.details, 'isSolved');
    const level = detail(event.details, 'level');
    const targetPath = detail(event.details, 'targetPath');
    // Internal remarks of assignment and co-handling, kept apart from the public `note`.
    const remark = detail(event.details, 'message');
    const toUser = nameOf(detail(event.details, 'toUser'));
    const unit = nameOf(detail(event.details, 'organisation'));
    const fromAssignee = detail(event.details, 'fromAssignee');
    const toAssignee = detail(event.details, 'toAssignee');
    const pendingAssistants = detail(event.details, 'pendingAssistants');
    const headline =
      event.kind === 'transition' && event.action ? enumLabel('matterActions', event.action) : enumLabel('matterEvents', event.kind);
    const lines: ReactNode[] = [];
    if (event.fromState || event.toState) {
      lines.push(
        <span key="states">
          {event.fromState
            ? t('matters.transition', { from: enumLabel('matterStates', event.fromState), to: enumLabel('matterStates', event.toState) })
            : enumLabel('matterStates', event.toState)}
        </span>,
      );
    }
    if (typeof level === 'number' || typeof level === 'string') {
      lines.push(
        <Tag key="level" color="red">
          {t('matters.escalationLevel', { level })}
        </Tag>,
      );
    }
    if (typeof round === 'number' && round > 1) lines.push(<span key="round">{t('matters.roundLine', { round })}</span>);
    if (typeof isSolved === 'boolean') {
      lines.push(<span key="solved">{t('matters.solvedLine', { answer: isSolved ? t('common.yes') : t('common.no') })}</span>);
    }
    if (typeof dueAt === 'string' && dayjs(dueAt).isValid()) {
      lines.push(<span key="due">{t('matters.dueLine', { dueAt: dayjs(dueAt).format(MATTER_TIME) })}</span>);
    }
    const duePendingYear = detail(event.details, 'duePendingYear');
    if (typeof duePendingYear === 'number') lines.push(<span key="due-pending">{t('matters.duePendingLine', { year: duePendingYear })}</span>);
    if (typeof targetPath === 'string' && targetPath) lines.push(<span key="target">{t('matters.targetLine', { target: targetPath })}</span>);
    if (toUser) lines.push(<span key="to-user">{t('matters.assignedLine', { person: toUser })}</span>);
    if (unit) lines.push(<span key="unit">{t('matters.coHandlerLine', { unit })}</span>);
    if (toAssignee) {
      lines.push(
        <span key="handover" data-testid="matter-timeline-handover">
          {t('matters.handoverLine', { from: assigneeText(fromAssignee), to: assigneeText(toAssignee) })}
        </span>,
      );
    }
    if (Array.isArray(pendingAssistants) && pendingAssistants.length > 0) {
      lines.push(
        <Tag key="pending" color="orange">
          {t('matters.pendingAssistantsLine', { units: pendingAssistants.map(nameOf).filter(Boolean).join('、') })}
        </Tag>,
      );
    }
    return {
      key: `${event.at}-${index}`,
      color: KIND_COLORS[event.kind] ?? 'gray',
      title: dayjs(event.at).format(MATTER_TIME),
      content: (
        <div data-testid="matter-timeline-item" data-kind={event.kind}>
          <Space size={8} wrap>
            <Typography.Text strong>{headline}</Typography.Text>
            <Typography.Text type="secondary">
              {t('matters.actor')}：{event.actorName || t('matters.system')}
            </Typography.Text>
          </Space>
          {lines.length > 0 ? (
            <div>
              <Space size={8} wrap>
                {lines}
              </Space>
            </div>
          ) : null}
          {typeof note === 'string' && note ? <div className="ms-timeline-note">{note}</div> : null}
          {typeof remark === 'string' && remark ? <div className="ms-timeline-note">{remark}</div> : null}
        </div>
      ),
    };
  });

  return (
    <div data-testid="matter-timeline">
      <Timeline items={items} />
    </div>
  );
}
