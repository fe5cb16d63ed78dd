import { Button, Card, Col, Empty, Row, Select, Space, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { overdueBoardEndpoint, type OverdueGroup, type OverdueMatter, type OverdueSpan } from '../../api/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { stateColor } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';
import { i18next } from '../../i18n';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';

const FILTER_KEYS = ['organisation', 'level'] as const;
const TIME = 'YYYY-MM-DD HH:mm';
/** The `organisation` filter value of matters no organisation holds yet. */
const UNASSIGNED = 'none';
const LEVELS = ['0', '1', '2'] as const;

function matterPath(id: number): string {
  return `/matters/${encodeURIComponent(String(id))}`;
}

/** "3 个工作日", or hours when less than a working day has passed (or the calendar lacks the year). */
function describeOverdue(span: OverdueSpan): string {
  if (span.workingDays !== null && span.workingDays > 0) return i18next.t('supervision.workingDays', { count: span.workingDays });
  return i18next.t('supervision.hours', { count: span.hours });
}

function LevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  if (level <= 0) return <Tag>{t('supervision.levels.0')}</Tag>;
  return <Tag color={level >= 2 ? 'red' : 'orange'}>{t(level >= 2 ? 'supervision.levels.2' : 'supervision.levels.1')}</Tag>;
}

/**
 * 督办看板: what is past its time limit in the account's region, who holds it, how far it has been
 * escalated (督办) and for how many working days; a unit's row narrows the list to its matters.
 */
export function OverdueBoardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useListState(FILTER_KEYS);
  const { organisation, level } = list.filters;
  const organisationId = organisation && organisation !== UNASSIGNED && Number(organisation) > 0 ? Number(organisation) : undefined;
  const levelFilter = (LEVELS as readonly string[]).includes(level) ? Number(level) : undefined;
  const board = useJson(
    overdueBoardEndpoint({ organisationId, isUnassigned: organisation === UNASSIGNED || undefined, level: levelFilter, page: list.page, pageSize: list.pageSize }),
  );
  const data = board.data;
  const unitName = (name: string | null) => name ?? t('supervision.unassigned');

  const groupColumns: TableColumnsType<OverdueGroup> = [
    { title: t('supervision.unit'), dataIndex: 'organisationName', ellipsis: true, render: (name: string | null) => unitName(name) },
    { title: t('supervision.total'), dataIndex: 'total', width: 90, align: 'right' },
    { title: t('supervision.levels.0'), dataIndex: 'notEscalated', width: 90, align: 'right' },
    { title: t('supervision.levels.1'), dataIndex: 'firstEscalation', width: 100, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="warning">{n}</Typography.Text> : n) },
    { title: t('supervision.levels.2'), dataIndex: 'secondEscalation', width: 100, align: 'right', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
    { title: t('supervision.oldest'), dataIndex: 'oldestOverdue', width: 140, render: (span: OverdueSpan) => describeOverdue(span) },
  ];

  const matterColumns: TableColumnsType<OverdueMatter> = [
    {
      title: t('supervision.reference'),
      dataIndex: 'reference',
      width: 190,
      fixed: 'left',
      render: (reference: string, row) => (
        <Link to={matterPath(row.id)} className="ms-mono" onClick={(event) => event.stopPropagation()}>
          {reference}
        </Link>
      ),
    },
    { title: t('supervision.subject'), dataIndex: 'title', ellipsis: true },
    { title: t('supervision.state'), dataIndex: 'state', width: 100, render: (state: string) => <Tag color={stateColor(state)}>{enumLabel('matterStates', state)}</Tag> },
    { title: t('supervision.place'), dataIndex: 'placeName', width: 160, ellipsis: true, render: (name: string | null) => name ?? '—' },
    { title: t('supervision.unit'), dataIndex: 'organisationName', width: 180, ellipsis: true, render: (name: string | null) => unitName(name) },
    { title: t('supervision.dueAt'), dataIndex: 'stepDueAt', width: 150, render: (at: string) => dayjs(at).format(TIME) },
    {
      title: t('supervision.overdueBy'),
      dataIndex: 'overdue',
      width: 130,
      render: (span: OverdueSpan) => (
        <Typography.Text type="danger" data-testid="supervision-overdue-days" data-working-days={span.workingDays ?? undefined}>
          {describeOverdue(span)}
        </Typography.Text>
      ),
    },
    { title: t('supervision.escalation'), dataIndex: 'escalationLevel', width: 110, render: (n: number) => <LevelTag level={n} /> },
  ];

  const summary = data?.summary;
  const stats = [
    { key: 'total', title: t('supervision.total'), value: summary?.total, color: undefined },
    { key: 'level-0', title: t('supervision.levels.0'), value: summary?.notEscalated, color: undefined },
    { key: 'level-1', title: t('supervision.levels.1'), value: summary?.firstEscalation, color: '#d46b08' },
    { key: 'level-2', title: t('supervision.levels.2'), value: summary?.secondEscalation, color: '#cf1322' },
  ];
  const chosenGroup = data?.groups.find((group) => (organisation === UNASSIGNED ? group.organisationId === null : group.organisationId === organisationId));

  return (
    <>
      <PageHeader
        title={t('supervision.title')}
        subtitle={t('supervision.subtitle')}
        crumbs={[{ title: t('nav.supervision') }, { title: t('supervision.title') }]}
        extra={<Button onClick={board.reload}>{t('common.refresh')}</Button>}
      />
      {board.error ? <ErrorAlert error={board.error} onRetry={board.reload} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {stats.map((stat) => (
          <Col key={stat.key} xs={12} md={6} lg={4}>
            <Card data-testid={`supervision-${stat.key}`}>
              <Statistic title={stat.title} value={stat.value ?? '—'} loading={board.isLoading && !data} styles={{ content: { color: stat.color } }} />
            </Card>
          </Col>
        ))}
        <Col xs={24} md={12} lg={8}>
          <Card data-testid="supervision-oldest">
            <Statistic
              title={t('supervision.oldestOverall')}
              value={summary?.oldestOverdue ? describeOverdue(summary.oldestOverdue) : '—'}
              loading={board.isLoading && !data}
            />
          </Card>
        </Col>
      </Row>
      {data && data.summary.total === 0 ? (
        <Card>
          <Empty description={t('supervision.empty')} data-testid="supervision-empty" />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card title={t('supervision.byUnit')} styles={{ body: { padding: 0 } }}>
            <div data-testid="supervision-groups">
              <Table<OverdueGroup>
                rowKey={(row) => String(row.organisationId ?? UNASSIGNED)}
                columns={groupColumns}
                dataSource={data?.groups ?? []}
                loading={board.isLoading && !data}
                pagination={false}
                size="middle"
                onRow={(row) => ({
                  onClick: () => list.setFilters({ organisation: row.organisationId === null ? UNASSIGNED : String(row.organisationId) }),
                  className: 'ms-clickable-row',
                })}
              />
            </div>
          </Card>
          <FilterBar onReset={list.resetFilters}>
            <Space size={8}>
              <Typography.Text type="secondary">{t('supervision.escalation')}</Typography.Text>
              <Select<string>
                style={{ width: 140 }}
                allowClear
                placeholder={t('common.all')}
                value={levelFilter === undefined ? undefined : String(levelFilter)}
                options={LEVELS.map((value) => ({ value, label: t(`supervision.levels.${value}`) }))}
                onChange={(value) => list.setFilters({ level: value ?? '' })}
                data-testid="supervision-level-filter"
              />
            </Space>
            {organisation ? (
              <Tag closable onClose={() => list.setFilters({ organisation: '' })} color="blue" data-testid="supervision-unit-filter">
                {t('supervision.unitFilter', { name: chosenGroup ? unitName(chosenGroup.organisationName) : organisation === UNASSIGNED ? t('supervision.unassigned') : organisation })}
              </Tag>
            ) : null}
          </FilterBar>
          <div className="ms-table-card" data-testid="supervision-table">
            <Table<OverdueMatter>
              rowKey={(row) => String(row.id)}
              columns={matterColumns}
              dataSource={data?.items ?? []}
              loading={board.isLoading}
              scroll={{ x: 1200 }}
              pagination={serverPagination(list.page, list.pageSize, data?.total, list.setPage)}
              onRow={(row) => ({ onClick: () => void navigate(matterPath(row.id)), className: 'ms-clickable-row ms-overdue-row' })}
              locale={{ emptyText: board.isLoading ? ' ' : t('supervision.noneFiltered') }}
            />
          </div>
        </Space>
      )}
    </>
  );
}
