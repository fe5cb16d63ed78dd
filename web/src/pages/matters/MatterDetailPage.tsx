import { Button, Card, Col, Descriptions, Row, Space, Typography, type DescriptionsProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { matterEndpoint, type MatterWithAssignment } from '../../api/matters';
import { useSession } from '../../auth/session-context';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { availableActions, type AppealActionDefinition } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { AssignmentCard } from './AssignmentCard';
import { DuplicatesCard } from './DuplicatesCard';
import { MatterActionModal } from './MatterActionModal';
import { DueTime, EscalationBadge, MATTER_TIME, MatterStateTag, RoundTag } from './MatterTags';
import { MatterTimeline } from './MatterTimeline';
import { isModuleMatter, ModuleMatterNotice } from './ModuleMatterNotice';

function formatTime(value: string | null): string {
  return value ? dayjs(value).format(MATTER_TIME) : '—';
}

function MatterView({ matter, reload }: { matter: MatterWithAssignment; reload: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [action, setAction] = useState<AppealActionDefinition | null>(null);
  // An assisting unit (协办) reading from outside the region acts only through its report. The
  // buttons are the appeal workflow's: other types' steps are taken on their own pages.
  const actions = matter.isInRegion && matter.typeCode === 'appeal' ? availableActions(matter.state, can) : [];
  const isOverdue = matter.stepDueAt !== null && !matter.closedAt && dayjs(matter.stepDueAt).isBefore(dayjs());
  const crumbs = [{ title: t('nav.appeals') }, { title: t('matters.title'), to: '/matters' }, { title: matter.reference }];

  const items: DescriptionsProps['items'] = [
    { key: 'reference', label: t('matters.reference'), children: <span className="ms-mono">{matter.reference}</span> },
    { key: 'state', label: t('matters.state'), children: <MatterStateTag state={matter.state} /> },
    { key: 'due', label: t('matters.dueAt'), children: <DueTime dueAt={matter.stepDueAt} isOverdue={isOverdue} pendingYear={matter.duePendingYear} /> },
    { key: 'escalation', label: t('matters.escalation'), children: <EscalationBadge level={matter.escalationLevel} /> },
    { key: 'round', label: t('matters.round'), children: <RoundTag round={matter.round} /> },
    { key: 'createdAt', label: t('matters.createdAt'), children: formatTime(matter.createdAt) },
    { key: 'closedAt', label: t('matters.closedAt'), children: formatTime(matter.closedAt) },
    {
      key: 'description',
      label: t('matters.description'),
      span: 'filled',
      children: matter.description ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{matter.description}</Typography.Paragraph> : '—',
    },
  ];

  return (
    <div data-testid="matter-detail">
      <PageHeader
        title={matter.title}
        crumbs={crumbs}
        subtitle={
          <Space size={8}>
            <span className="ms-mono" data-testid="matter-reference">
              {matter.reference}
            </span>
            <MatterStateTag state={matter.state} />
          </Space>
        }
        extra={
          <Space wrap>
            {actions.map((candidate) => (
              <Button
                key={candidate.code}
                type={candidate.code === actions[0]?.code ? 'primary' : 'default'}
                danger={candidate.code === 'return' || candidate.code === 'callback_unsatisfied'}
                onClick={() => setAction(candidate)}
                data-testid={`matter-action-${candidate.code}`}
              >
                {enumLabel('matterActions', candidate.code)}
              </Button>
            ))}
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('matters.basicInfo')}>
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} styles={{ label: { width: 120 } }} />
              {actions.length === 0 && !isModuleMatter(matter.typeCode) ? (
                <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
                  {t('matters.noActions')}
                </Typography.Paragraph>
              ) : null}
            </Card>
            <ModuleMatterNotice matter={matter} />
            <AssignmentCard matter={matter} onChanged={reload} />
            {matter.typeCode === 'appeal' ? <DuplicatesCard key={`${String(matter.id)}-${matter.state}`} matter={matter} onChanged={reload} /> : null}
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('matters.timeline')}>
            <MatterTimeline events={matter.timeline} />
          </Card>
        </Col>
      </Row>
      <MatterActionModal
        matter={matter}
        action={action}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          reload();
        }}
        onStale={reload}
      />
    </div>
  );
}

/** One matter: its facts, its history, and the next steps the account may take. */
export function MatterDetailPage() {
  const { t } = useTranslation();
  const { matterId = '' } = useParams();
  const matter = useJson(matterEndpoint(matterId));
  const data = matter.data && String(matter.data.id) === matterId ? matter.data : undefined;
  if (matter.error) {
    return (
      <>
        <PageHeader title={t('matters.detailTitle')} crumbs={[{ title: t('nav.appeals') }, { title: t('matters.title'), to: '/matters' }, { title: t('matters.detailTitle') }]} />
        <ErrorResult error={matter.error} onRetry={matter.reload} />
      </>
    );
  }
  if (!data) return <PageLoading />;
  return <MatterView key={matterId} matter={data} reload={matter.reload} />;
}
