import { SyncOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Checkbox, Empty, Select, Space, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { discoveryReferenceEndpoint, syncDiscovery, WARNING_KINDS, warningsEndpoint, type WarningSummary } from '../../../api/discovery';
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
import { NeedTags, outcomeLabel, WarningStateTag, warningKindLabel, warningPath } from './discoveryLabels';

const FILTER_KEYS = ['state', 'kind', 'q', 'mine'] as const;
/** Tabs of the queue: open work first, then by step, then closed. */
const TABS = ['open', 'verifying', 'verified', 'closed', 'all'] as const;

/** The warnings queue (预警处置) of the account's region. */
export function WarningQueuePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const list = useListState(FILTER_KEYS);
  const [search, setSearch] = useState(list.filters.q);
  const [isSyncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<unknown>(null);
  const state = (TABS as readonly string[]).includes(list.filters.state) ? list.filters.state : 'open';
  const isMine = list.filters.mine === 'true';
  const reference = useJson(discoveryReferenceEndpoint());
  const warnings = useJson(warningsEndpoint({ state, kind: list.filters.kind || undefined, q: list.filters.q || undefined, mine: isMine || undefined, page: list.page, pageSize: list.pageSize }));

  const sync = async () => {
    setSyncing(true);
    setSyncError(null);
    try {
      const result = await syncDiscovery();
      const raised = (result.registry.leftCoverageWarnings ?? 0) + (result.registry.breadwinnerWarnings ?? 0) + (result.illness.raised ?? 0);
      message.success(t('discovery.warnings.syncDone', { added: result.registry.added ?? 0, warnings: raised }));
      warnings.reload();
    } catch (error) {
      setSyncError(error);
    } finally {
      setSyncing(false);
    }
  };

  const columns: TableColumnsType<WarningSummary> = [
    {
      title: t('discovery.warnings.reference'),
      dataIndex: 'reference',
      width: 190,
      fixed: 'left',
      render: (value: string, row) => (
        <Link to={warningPath(row.id)} className="ms-mono" onClick={(event) => event.stopPropagation()}>
          {value}
        </Link>
      ),
    },
    { title: t('discovery.warnings.kind'), dataIndex: 'kind', width: 150, render: (kind: string) => warningKindLabel(kind) },
    { title: t('discovery.warnings.name'), dataIndex: 'name', width: 100 },
    { title: t('discovery.warnings.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (value: string) => <span className="ms-mono">{value}</span> },
    {
      title: t('discovery.warnings.state'),
      dataIndex: 'state',
      width: 160,
      render: (value: string, row) => (
        <Space size={4}>
          <WarningStateTag state={value} />
          {row.isOpen && row.escalationLevel > 0 ? <Tag color="red">{t('discovery.warnings.escalated')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('discovery.warnings.needs'), dataIndex: 'needs', width: 220, render: (needs: string[]) => <NeedTags reference={reference.data} needs={needs} /> },
    { title: t('discovery.warnings.place'), dataIndex: 'placeName', width: 170, ellipsis: true },
    { title: t('discovery.warnings.assignee'), key: 'assignee', width: 170, ellipsis: true, render: (_, row) => [row.organisationName, row.assigneeName].filter(Boolean).join(' · ') || '—' },
    {
      title: t('discovery.warnings.dueAt'),
      key: 'due',
      width: 150,
      render: (_, row) => (row.isOpen ? (row.dueAt ? dayjs(row.dueAt).format(MATTER_TIME) : '—') : outcomeLabel(row.outcome)),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('discovery.warnings.title')}
        crumbs={[{ title: t('nav.assistance') }, { title: t('discovery.warnings.title') }]}
        subtitle={t('discovery.warnings.subtitle')}
        extra={
          can(PERMISSION.assistanceDiscoverySync) ? (
            <Button icon={<SyncOutlined />} loading={isSyncing} onClick={() => void sync()} data-testid="discovery-sync">
              {t('discovery.warnings.sync')}
            </Button>
          ) : null
        }
      />
      {syncError ? <ErrorAlert error={syncError} /> : null}
      <FilterBar
        onReset={() => {
          setSearch('');
          list.resetFilters();
        }}
      >
        <SearchBox value={search} onChange={setSearch} onSearch={(q) => list.setFilters({ q })} placeholder={t('discovery.warnings.searchPlaceholder')} width={300} testId="discovery-warning" />
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('discovery.warnings.kind')}
          value={list.filters.kind || undefined}
          onChange={(kind?: string) => list.setFilters({ kind: kind ?? '' })}
          options={WARNING_KINDS.map((kind) => {
            const open = warnings.data?.openByKind.find((row) => row.kind === kind)?.open ?? 0;
            return { value: kind, label: open > 0 ? t('discovery.warnings.openCount', { kind: warningKindLabel(kind), count: open }) : warningKindLabel(kind) };
          })}
          data-testid="discovery-warning-kind-filter"
        />
        <Checkbox checked={isMine} onChange={(event) => list.setFilters({ mine: event.target.checked ? 'true' : '' })} data-testid="discovery-warning-mine">
          {t('discovery.warnings.mine')}
        </Checkbox>
      </FilterBar>
      <Tabs
        activeKey={state}
        onChange={(key) => list.setFilters({ state: key === 'open' ? '' : key })}
        items={TABS.map((key) => ({ key, label: <span data-testid={`discovery-warning-tab-${key}`}>{t(`discovery.warnings.tabs.${key}`)}</span> }))}
      />
      {warnings.error ? <ErrorAlert error={warnings.error} onRetry={warnings.reload} /> : null}
      <div className="ms-table-card">
        <Table<WarningSummary>
          data-testid="discovery-warning-table"
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={warnings.data?.items ?? []}
          loading={warnings.isLoading}
          scroll={{ x: 1500 }}
          locale={{ emptyText: warnings.isLoading ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('discovery.warnings.empty')} /> }}
          pagination={serverPagination(list.page, list.pageSize, warnings.data?.total, list.setPage)}
          onRow={(row) => ({ onClick: () => void navigate(warningPath(row.id)), className: 'ms-clickable-row' })}
        />
      </div>
    </>
  );
}
