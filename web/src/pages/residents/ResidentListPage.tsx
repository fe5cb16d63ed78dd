import { DownloadOutlined } from '@ant-design/icons';
import { Button, Select, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { residentsEndpoint, residentsExportUrl } from '../../api/residents';
import type { ResidentSummary } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { PlaceTreeSelect } from '../../components/PlaceTreeSelect';
import { ResidentTags } from '../../components/ResidentTags';
import { serverPagination } from '../../components/pagination';
import { enumLabel } from '../../domain/labels';
import { RESIDENT_TAGS, residentTagLabel } from '../../domain/residentTags';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { SearchBox } from '../../components/SearchBox';

const FILTER_KEYS = ['q', 'placeId', 'tag'] as const;

/** Table columns shared by the resident list and household member lists. */
export function useResidentColumns(): TableColumnsType<ResidentSummary> {
  const { t } = useTranslation();
  return [
    {
      title: t('residents.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 110,
      render: (name: string, row) => (
        <Link to={`/residents/${encodeURIComponent(String(row.id))}`} onClick={(event) => event.stopPropagation()}>
          {name}
        </Link>
      ),
    },
    { title: t('residents.gender'), dataIndex: 'gender', width: 84, render: (gender: string) => enumLabel('genders', gender) },
    { title: t('residents.age'), dataIndex: 'age', width: 70, align: 'right' },
    {
      title: t('residents.idNumber'),
      dataIndex: 'idNumberMasked',
      width: 200,
      render: (masked: string) => (
        <span className="ms-mono" data-testid="resident-id-masked">
          {masked}
        </span>
      ),
    },
    {
      title: t('residents.phone'),
      dataIndex: 'phoneMasked',
      width: 130,
      render: (masked: string | null) => (masked ? <span className="ms-mono">{masked}</span> : <span className="ms-muted">—</span>),
    },
    { title: t('residents.place'), dataIndex: 'placeName', ellipsis: true },
    { title: t('residents.tags'), dataIndex: 'tags', render: (tags: string[]) => <ResidentTags tags={tags} /> },
  ];
}

/** Search the resident registry within the account's scope. */
export function ResidentListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [query, setQuery] = useState(filters.q);
  const residents = useJson(residentsEndpoint({ ...filters, page: list.page, pageSize: list.pageSize }));
  const columns = useResidentColumns();

  useEffect(() => setQuery(filters.q), [filters.q]);

  const tagOptions = RESIDENT_TAGS.map((tag) => ({ value: tag.value, label: residentTagLabel(tag.value) }));

  return (
    <>
      <PageHeader
        title={t('residents.title')}
        crumbs={[{ title: t('nav.registry') }, { title: t('residents.title') }]}
        extra={
          can(PERMISSION.residentExport) ? (
            <Tooltip title={t('residents.exportHint')}>
              <Button icon={<DownloadOutlined />} href={residentsExportUrl(filters)} download data-testid="resident-export">
                {t('residents.exportCsv')}
              </Button>
            </Tooltip>
          ) : null
        }
      />
      <FilterBar
        onReset={() => {
          setQuery('');
          list.resetFilters();
        }}
      >
        <SearchBox value={query} onChange={setQuery} onSearch={(q) => list.setFilters({ q })} placeholder={t('residents.searchPlaceholder')} width={360} testId="resident" />
        <PlaceTreeSelect
          value={filters.placeId || undefined}
          onChange={(placeId) => list.setFilters({ placeId: placeId ?? '' })}
          style={{ width: 240 }}
          testId="resident-place-filter"
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('residents.tagPlaceholder')}
          value={filters.tag || undefined}
          options={tagOptions}
          onChange={(tag: string | undefined) => list.setFilters({ tag: tag ?? '' })}
          data-testid="resident-tag-filter"
        />
      </FilterBar>
      {residents.error ? <ErrorAlert error={residents.error} onRetry={residents.reload} /> : null}
      <div data-testid="resident-table" className="ms-table-card">
        <Table<ResidentSummary>
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={residents.data?.items ?? []}
          loading={residents.isLoading}
          scroll={{ x: 980 }}
          pagination={serverPagination(list.page, list.pageSize, residents.data?.total, list.setPage)}
          onRow={(row) => ({
            onClick: () => void navigate(`/residents/${encodeURIComponent(String(row.id))}`),
            className: 'ms-clickable-row',
          })}
          locale={{ emptyText: residents.isLoading ? ' ' : undefined }}
        />
      </div>
      <Typography.Paragraph type="secondary" className="ms-footnote">
        {t('dashboard.privacyText')}
      </Typography.Paragraph>
    </>
  );
}
