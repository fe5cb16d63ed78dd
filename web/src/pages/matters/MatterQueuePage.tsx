import { PlusOutlined } from '@ant-design/icons';
import { Button, Segmented, Space, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { MATTER_ASSIGNMENTS, mattersEndpoint, type MatterAssignment, type MatterQueueItem } from '../../api/matters';
import { MATTER_QUEUES, type MatterQueue, type MatterSummary } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { serverPagination } from '../../components/pagination';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { DueTime, EscalationBadge, MATTER_TIME, MatterStateTag, RoundTag } from './MatterTags';

const FILTER_KEYS = ['queue', 'assignment'] as const;

function readQueue(raw: string): (typeof MATTER_QUEUES)[number] {
  return (MATTER_QUEUES as readonly string[]).includes(raw) ? (raw as (typeof MATTER_QUEUES)[number]) : 'open';
}

function readAssignment(raw: string): MatterAssignment | undefined {
  return (MATTER_ASSIGNMENTS as readonly string[]).includes(raw) ? (raw as MatterAssignment) : undefined;
}

/** Path of a matter's detail page. */
export function matterPath(id: MatterSummary['id']): string {
  return `/matters/${encodeURIComponent(String(id))}`;
}

/** The appeals work queue (工作台): to do, due soon, overdue and closed, within the account's region. */
export function MatterQueuePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const queue = readQueue(list.filters.queue);
  const assignment = readAssignment(list.filters.assignment);
  const matters = useJson(mattersEndpoint({ queue: queue as MatterQueue, assignment, page: list.page, pageSize: list.pageSize }));

  const columns: TableColumnsType<MatterQueueItem> = [
    {
      title: t('matters.reference'),
      dataIndex: 'reference',
      width: 200,
      fixed: 'left',
      render: (reference: string, row) => (
        <Link to={matterPath(row.id)} className="ms-mono" style={{ whiteSpace: 'nowrap' }} onClick={(event) => event.stopPropagation()}>
          {reference}
        </Link>
      ),
    },
    {
      title: t('matters.subject'),
      dataIndex: 'title',
      ellipsis: true,
      render: (title: string, row) => (
        <Space size={4}>
          {row.isAssisting ? (
            <Tag color="purple" data-testid="matter-queue-assisting">
              {t('matters.assistingTag')}
            </Tag>
          ) : null}
          <span>{title}</span>
        </Space>
      ),
    },
    { title: t('matters.state'), dataIndex: 'state', width: 110, render: (state: string) => <MatterStateTag state={state} /> },
    {
      title: t('matters.dueAt'),
      dataIndex: 'stepDueAt',
      width: 170,
      render: (dueAt: string | null, row) => <DueTime dueAt={dueAt} isOverdue={row.isOverdue} pendingYear={row.duePendingYear} />,
    },
    {
      title: t('matters.escalation'),
      dataIndex: 'escalationLevel',
      width: 120,
      render: (level: number) => <EscalationBadge level={level} />,
    },
    { title: t('matters.round'), dataIndex: 'round', width: 110, render: (round: number) => <RoundTag round={round} /> },
    {
      title: t('matters.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (at: string) => dayjs(at).format(MATTER_TIME),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('matters.title')}
        crumbs={[{ title: t('nav.appeals') }, { title: t('matters.title') }]}
        extra={
          can(PERMISSION.matterCreate) ? (
            <Link to="/appeals/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t('nav.appealIntake')}
              </Button>
            </Link>
          ) : null
        }
      />
      <Segmented<string>
        value={assignment ?? 'all'}
        onChange={(key) => list.setFilters({ assignment: key === 'all' ? '' : key })}
        options={[
          { value: 'all', label: t('matters.assignments.all') },
          { value: 'mine', label: t('matters.assignments.mine') },
          { value: 'assisting', label: t('matters.assignments.assisting') },
        ]}
        style={{ marginBottom: 8 }}
        data-testid="matter-queue-assignment"
      />
      <Tabs
        activeKey={queue}
        onChange={(key) => list.setFilters({ queue: key === 'open' ? '' : key })}
        items={MATTER_QUEUES.map((key) => ({
          key,
          label: <span data-testid={`matter-queue-tab-${key}`}>{t(`matters.queues.${key}`)}</span>,
        }))}
      />
      {matters.error ? <ErrorAlert error={matters.error} onRetry={matters.reload} /> : null}
      <div className="ms-table-card" data-testid="matter-queue-table">
        <Table<MatterQueueItem>
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={matters.data?.items ?? []}
          loading={matters.isLoading}
          scroll={{ x: 1010 }}
          pagination={serverPagination(list.page, list.pageSize, matters.data?.total, list.setPage)}
          onRow={(row) => ({
            onClick: () => void navigate(matterPath(row.id)),
            className: row.isOverdue ? 'ms-clickable-row ms-overdue-row' : 'ms-clickable-row',
          })}
          locale={{ emptyText: matters.isLoading ? ' ' : undefined }}
        />
      </div>
    </>
  );
}
