import { DownloadOutlined } from '@ant-design/icons';
import { Button, Empty, Select, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { findingsEndpoint, findingsExportUrl, totalsEndpoint, type FindingSummary } from '../../api/compare';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { SearchBox } from '../../components/SearchBox';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { MATTER_TIME } from '../matters/MatterTags';
import { FindingStateTag, findingPath, regionSourceLabel, ruleLabel, yuan } from './compareLabels';

const FILTER_KEYS = ['state', 'rule', 'q', 'runId'] as const;
/** Tabs of the queue: open work first, then each outcome. */
const TABS = ['open', 'pending', 'confirmed', 'settled', 'dismissed', 'retracted', 'all'] as const;

/** The auditors' queue (疑点核查): findings placed in the account's region, by state and rule. */
export function FindingQueuePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useListState(FILTER_KEYS);
  const [search, setSearch] = useState(list.filters.q);
  const state = (TABS as readonly string[]).includes(list.filters.state) ? list.filters.state : 'open';
  const filters = { state, rule: list.filters.rule, q: list.filters.q, runId: list.filters.runId };
  const findings = useJson(findingsEndpoint({ ...filters, page: list.page, pageSize: list.pageSize }));
  const totals = useJson(totalsEndpoint());
  const rules = [...new Set([...(totals.data?.rules.map((row) => row.rule) ?? []), ...(list.filters.rule ? [list.filters.rule] : [])])];

  const columns: TableColumnsType<FindingSummary> = [
    {
      title: t('compare.findings.reference'),
      dataIndex: 'reference',
      width: 190,
      fixed: 'left',
      render: (reference: string, row) => (
        <Link to={findingPath(row.id)} className="ms-mono" onClick={(event) => event.stopPropagation()}>
          {reference}
        </Link>
      ),
    },
    { title: t('compare.findings.rule'), dataIndex: 'rule', width: 150, render: (rule: string) => ruleLabel(rule) },
    { title: t('compare.findings.name'), dataIndex: 'name', width: 100 },
    { title: t('compare.findings.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (value: string) => <span className="ms-mono">{value}</span> },
    { title: t('compare.findings.amountAtStake'), dataIndex: 'amountAtStake', width: 130, align: 'right', render: (amount: string) => yuan(amount) },
    { title: t('compare.findings.state'), dataIndex: 'state', width: 130, render: (value: string) => <FindingStateTag state={value} /> },
    {
      title: t('compare.findings.place'),
      key: 'place',
      width: 200,
      ellipsis: true,
      render: (_, row) => (
        <span title={regionSourceLabel(row.regionSource)}>
          {row.placeName}
          {row.regionSource !== 'resident' ? <Typography.Text type="secondary">{`（${regionSourceLabel(row.regionSource)}）`}</Typography.Text> : null}
        </span>
      ),
    },
    { title: t('compare.findings.recovered'), dataIndex: 'amountRecovered', width: 120, align: 'right', render: (amount: string) => yuan(amount) },
    { title: t('compare.findings.dueAt'), dataIndex: 'dueAt', width: 150, render: (at: string | null, row) => (at && row.isOpen ? dayjs(at).format(MATTER_TIME) : '—') },
  ];

  return (
    <>
      <PageHeader
        title={t('compare.findings.title')}
        crumbs={[{ title: t('nav.compare') }, { title: t('compare.findings.title') }]}
        subtitle={t('compare.findings.subtitle')}
        extra={
          <Button icon={<DownloadOutlined />} href={findingsExportUrl(filters)} download data-testid="compare-finding-export">
            {t('common.export')}
          </Button>
        }
      />
      <FilterBar
        onReset={() => {
          setSearch('');
          list.resetFilters();
        }}
      >
        <SearchBox value={search} onChange={setSearch} onSearch={(q) => list.setFilters({ q })} placeholder={t('compare.findings.searchPlaceholder')} width={300} testId="compare-finding" />
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('compare.findings.rule')}
          value={list.filters.rule || undefined}
          onChange={(rule?: string) => list.setFilters({ rule: rule ?? '' })}
          options={rules.map((rule) => ({ value: rule, label: ruleLabel(rule) }))}
          data-testid="compare-finding-rule-filter"
        />
        {list.filters.runId ? (
          <Tag closable onClose={() => list.setFilters({ runId: '' })} data-testid="compare-finding-run-filter">
            {t('compare.findings.ofRun', { id: list.filters.runId })}
          </Tag>
        ) : null}
      </FilterBar>
      <Tabs
        activeKey={state}
        onChange={(key) => list.setFilters({ state: key === 'open' ? '' : key })}
        items={TABS.map((key) => ({ key, label: <span data-testid={`compare-finding-tab-${key}`}>{t(`compare.findings.tabs.${key}`)}</span> }))}
      />
      {findings.error ? <ErrorAlert error={findings.error} onRetry={findings.reload} /> : null}
      <div className="ms-table-card">
        <Table<FindingSummary>
          data-testid="compare-finding-table"
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={findings.data?.items ?? []}
          loading={findings.isLoading}
          scroll={{ x: 1360 }}
          locale={{ emptyText: findings.isLoading ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.findings.empty')} /> }}
          pagination={serverPagination(list.page, list.pageSize, findings.data?.total, list.setPage)}
          onRow={(row) => ({ onClick: () => void navigate(findingPath(row.id)), className: 'ms-clickable-row' })}
        />
      </div>
    </>
  );
}
