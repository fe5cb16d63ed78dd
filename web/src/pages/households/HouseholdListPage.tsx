import { Table, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { householdsEndpoint } from '../../api/households';
import type { HouseholdSummary } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { PlaceTreeSelect } from '../../components/PlaceTreeSelect';
import { serverPagination } from '../../components/pagination';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { SearchBox } from '../../components/SearchBox';

const FILTER_KEYS = ['q', 'placeId'] as const;

/** Households (户) within the account's scope. */
export function HouseholdListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [query, setQuery] = useState(filters.q);
  const households = useJson(householdsEndpoint({ ...filters, page: list.page, pageSize: list.pageSize }));

  useEffect(() => setQuery(filters.q), [filters.q]);

  const columns: TableColumnsType<HouseholdSummary> = [
    {
      title: t('households.householdNumber'),
      dataIndex: 'householdNumber',
      width: 200,
      render: (number: string, row) => (
        <Link
          className="ms-mono"
          to={`/households/${encodeURIComponent(String(row.id))}`}
          onClick={(event) => event.stopPropagation()}
        >
          {number}
        </Link>
      ),
    },
    { title: t('households.head'), dataIndex: 'headName', width: 120, render: (name: string | null) => name ?? '—' },
    { title: t('households.memberCount'), dataIndex: 'memberCount', width: 90, align: 'right' },
    { title: t('households.place'), dataIndex: 'placeName', width: 200, ellipsis: true },
    {
      title: t('households.address'),
      dataIndex: 'addressMasked',
      render: (address: string | null) => address ?? <span className="ms-muted">—</span>,
    },
  ];

  return (
    <>
      <PageHeader title={t('households.title')} crumbs={[{ title: t('nav.registry') }, { title: t('households.title') }]} />
      <FilterBar
        onReset={() => {
          setQuery('');
          list.resetFilters();
        }}
      >
        <SearchBox value={query} onChange={setQuery} onSearch={(q) => list.setFilters({ q })} placeholder={t('households.searchPlaceholder')} width={340} testId="household" />
        <PlaceTreeSelect
          value={filters.placeId || undefined}
          onChange={(placeId) => list.setFilters({ placeId: placeId ?? '' })}
          style={{ width: 240 }}
        />
      </FilterBar>
      {households.error ? <ErrorAlert error={households.error} onRetry={households.reload} /> : null}
      <div className="ms-table-card" data-testid="household-table">
        <Table<HouseholdSummary>
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={households.data?.items ?? []}
          loading={households.isLoading}
          scroll={{ x: 860 }}
          pagination={serverPagination(list.page, list.pageSize, households.data?.total, list.setPage)}
          onRow={(row) => ({
            onClick: () => void navigate(`/households/${encodeURIComponent(String(row.id))}`),
            className: 'ms-clickable-row',
          })}
        />
      </div>
    </>
  );
}
