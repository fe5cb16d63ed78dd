import { FormOutlined } from '@ant-design/icons';
import { Button, Empty, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { APPLICATION_STATUSES, applicationsEndpoint, ITEM_STATES, type ApplicationStatus, type ApplicationSummary } from '../../../api/applications';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FilterBar } from '../../../components/FilterBar';
import { serverPagination } from '../../../components/pagination';
import { SearchBox } from '../../../components/SearchBox';
import { useJson } from '../../../hooks/useJson';
import { useListState } from '../../../hooks/useListState';
import { PageHeader } from '../../../layout/PageHeader';
import { MATTER_TIME } from '../../matters/MatterTags';
import { ApplicationStatusTag, applicationPath, BundleStateTag, NEW_APPLICATION_PATH, optionLabel } from './applicationLabels';

const FILTER_KEYS = ['status', 'q'] as const;

function isStatus(value: string): value is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(value);
}

/**
 * 联办申请: the applications of the account's region (a department handler's district, an
 * adviser's community), newest first, searched by number, name or exact ID number, filtered by
 * status; each with the bundle's status, its items by state and its due date.
 */
export function ApplicationListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [query, setQuery] = useState(filters.q);
  useEffect(() => setQuery(filters.q), [filters.q]);
  const applications = useJson(
    applicationsEndpoint({ status: isStatus(filters.status) ? filters.status : undefined, q: filters.q || undefined, page: list.page, pageSize: list.pageSize }),
  );
  const hasFilters = Boolean(filters.q || filters.status);

  const columns: TableColumnsType<ApplicationSummary> = [
    {
      title: t('applications.list.reference'),
      dataIndex: 'reference',
      width: 190,
      fixed: 'left',
      render: (reference: string, row) => (
        <Link to={applicationPath(row.id)} className="ms-mono" data-testid="application-link">
          {reference}
        </Link>
      ),
    },
    {
      title: t('applications.list.applicant'),
      key: 'applicant',
      width: 200,
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <span>{row.applicantName || '—'}</span>
          {row.applicantIdNumberMasked ? (
            <Typography.Text type="secondary" className="ms-mono" style={{ fontSize: 12 }}>
              {row.applicantIdNumberMasked}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { title: t('applications.list.place'), dataIndex: 'placeName', width: 170, ellipsis: true, render: (name: string | null) => name ?? '—' },
    { title: t('applications.list.channel'), dataIndex: 'channel', width: 120, render: (channel: string) => optionLabel('channels', channel) },
    {
      title: t('applications.list.status'),
      key: 'status',
      width: 140,
      render: (_, row) => (
        <Space size={4} wrap>
          {row.bundleState ? <BundleStateTag state={row.bundleState} /> : <ApplicationStatusTag status={row.status} />}
          {row.status === 'draft' && row.missingCount > 0 ? <Tag color="orange">{t('applications.list.missingCount', { count: row.missingCount })}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('applications.list.items'),
      key: 'items',
      render: (_, row) => (
        <Space size={4} wrap>
          {ITEM_STATES.filter((state) => row.itemStates[state]).map((state) => (
            <Tag key={state} data-state={state}>
              {optionLabel('itemStates', state)} {row.itemStates[state]}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('applications.list.dueAt'), dataIndex: 'bundleDueAt', width: 150, render: (at: string | null, row) => (at && row.bundleState === 'processing' ? dayjs(at).format(MATTER_TIME) : '—') },
    {
      title: t('applications.list.submittedAt'),
      key: 'submittedAt',
      width: 150,
      render: (_, row) => dayjs(row.submittedAt ?? row.createdAt).format(MATTER_TIME),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('applications.list.title')}
        subtitle={t('applications.list.subtitle')}
        crumbs={[{ title: t('nav.assistance') }, { title: t('applications.list.title') }]}
        extra={
          can(PERMISSION.assistanceApplicationWrite) ? (
            <Button type="primary" icon={<FormOutlined />} onClick={() => void navigate(NEW_APPLICATION_PATH)} data-testid="application-new">
              {t('applications.list.newOnBehalf')}
            </Button>
          ) : null
        }
      />
      <FilterBar
        onReset={() => {
          setQuery('');
          list.resetFilters();
        }}
      >
        <SearchBox value={query} onChange={setQuery} onSearch={(q) => list.setFilters({ q })} placeholder={t('applications.list.searchPlaceholder')} width={320} testId="application" />
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t('applications.list.statusFilter')}
          value={isStatus(filters.status) ? filters.status : undefined}
          onChange={(status: string | undefined) => list.setFilters({ status: status ?? '' })}
          options={APPLICATION_STATUSES.map((status) => ({ value: status, label: optionLabel('statuses', status) }))}
          data-testid="application-status-filter"
        />
      </FilterBar>
      {applications.error ? <ErrorAlert error={applications.error} onRetry={applications.reload} /> : null}
      <div className="ms-table-card" data-testid="application-table">
        <Table<ApplicationSummary>
          rowKey="id"
          columns={columns}
          dataSource={applications.data?.items ?? []}
          loading={applications.isLoading}
          scroll={{ x: 1200 }}
          pagination={serverPagination(list.page, list.pageSize, applications.data?.total, list.setPage)}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hasFilters ? t('applications.list.noneFound') : t('applications.list.empty')} data-testid="application-empty" />,
          }}
        />
      </div>
    </>
  );
}
