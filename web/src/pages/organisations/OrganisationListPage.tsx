import { Badge, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { organisationsEndpoint } from '../../api/organisations';
import { ORGANISATION_KINDS, type OrganisationSummary } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { OrganisationDrawer } from './OrganisationDrawer';
import { SearchBox } from '../../components/SearchBox';

const FILTER_KEYS = ['q', 'kind'] as const;

const STATUS_BADGE: Record<string, 'success' | 'default' | 'error'> = {
  active: 'success',
  inactive: 'default',
  dissolved: 'error',
};

/** Government bodies, committees, enterprises, social organisations and volunteer teams. */
export function OrganisationListPage() {
  const { t } = useTranslation();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [query, setQuery] = useState(filters.q);
  const [searchParams, setSearchParams] = useSearchParams();
  const openId = searchParams.get('id');
  const organisations = useJson(organisationsEndpoint({ ...filters, page: list.page, pageSize: list.pageSize }));

  useEffect(() => setQuery(filters.q), [filters.q]);

  const setOpenId = (id: string | null) =>
    setSearchParams((previous) => {
      const next = new URLSearchParams(previous);
      if (id) next.set('id', id);
      else next.delete('id');
      return next;
    });

  const columns: TableColumnsType<OrganisationSummary> = [
    {
      title: t('organisations.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (name: string) => <a>{name}</a>,
    },
    {
      title: t('organisations.kind'),
      dataIndex: 'kind',
      width: 170,
      render: (kind: string) => <Tag color="geekblue">{enumLabel('organisationKinds', kind)}</Tag>,
    },
    {
      title: t('organisations.creditCode'),
      dataIndex: 'creditCode',
      width: 200,
      render: (code: string | null) => (code ? <span className="ms-mono">{code}</span> : <span className="ms-muted">—</span>),
    },
    { title: t('organisations.place'), dataIndex: 'placeName', width: 180, ellipsis: true, render: (name: string | null) => name ?? '—' },
    {
      title: t('organisations.legalRepresentative'),
      dataIndex: 'legalRepresentative',
      width: 150,
      render: (name: string | null) => name ?? '—',
    },
    {
      title: t('organisations.status'),
      dataIndex: 'status',
      width: 90,
      render: (status: string) => <Badge status={STATUS_BADGE[status] ?? 'default'} text={enumLabel('organisationStatus', status)} />,
    },
  ];

  return (
    <>
      <PageHeader title={t('organisations.title')} crumbs={[{ title: t('nav.registry') }, { title: t('organisations.title') }]} />
      <FilterBar
        onReset={() => {
          setQuery('');
          list.resetFilters();
        }}
      >
        <SearchBox value={query} onChange={setQuery} onSearch={(q) => list.setFilters({ q })} placeholder={t('organisations.searchPlaceholder')} width={360} testId="organisation" />
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('organisations.kindPlaceholder')}
          value={filters.kind || undefined}
          options={ORGANISATION_KINDS.map((kind) => ({ value: kind, label: enumLabel('organisationKinds', kind) }))}
          onChange={(kind: string | undefined) => list.setFilters({ kind: kind ?? '' })}
          data-testid="organisation-kind-filter"
        />
      </FilterBar>
      {organisations.error ? <ErrorAlert error={organisations.error} onRetry={organisations.reload} /> : null}
      <div className="ms-table-card" data-testid="organisation-table">
        <Table<OrganisationSummary>
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={organisations.data?.items ?? []}
          loading={organisations.isLoading}
          scroll={{ x: 1000 }}
          pagination={serverPagination(list.page, list.pageSize, organisations.data?.total, list.setPage)}
          onRow={(row) => ({ onClick: () => setOpenId(String(row.id)), className: 'ms-clickable-row' })}
        />
      </div>
      <OrganisationDrawer organisationId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
