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
};

function detail(details: MatterEvent['details'], key: string): unknown {
  return details && typeof details === 'object' ? details[key] : undefined;
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
    if (typeof targetPath === 'string' && targetPath) lines.push(<span key="target">{t('matters.targetLine', { target: targetPath })}</span>);
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
