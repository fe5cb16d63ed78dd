import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Col, Empty, Menu, Row, Segmented, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LISTING_HANDLINGS, listingStreetsEndpoint, listingsEndpoint, listingsExportUrl, type ListingEntry, type ListingHandling } from '../../api/compare';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { SearchBox } from '../../components/SearchBox';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { ForbiddenPage } from '../StatusPages';
import { methodLabel, regionSourceLabel, ruleLabel, yuan } from './compareLabels';

const FILTER_KEYS = ['handling', 'street', 'q', 'retired'] as const;
const ALL_STREETS = 'all';

/**
 * The lists some rules feed instead of 疑点核查 matters: the coverage-expansion list (应参保未参保)
 * handed to the street where each person lives, and the illness-poverty watch list (因病致贫风险)
 * kept for social assistance.
 */
export function ListingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const [search, setSearch] = useState(list.filters.q);
  const allowed = LISTING_HANDLINGS.filter((handling) => can(handling === 'coverage_list' ? PERMISSION.compareCoverageRead : PERMISSION.compareFindingRead));
  const handling: ListingHandling = (allowed as readonly string[]).includes(list.filters.handling) ? (list.filters.handling as ListingHandling) : (allowed[0] ?? 'coverage_list');
  const street = list.filters.street || ALL_STREETS;
  const filters = { handling, street: street === ALL_STREETS ? undefined : street, q: list.filters.q || undefined, includeRetired: list.filters.retired === 'true' || undefined };
  const streets = useJson(listingStreetsEndpoint(handling));
  const entries = useJson(listingsEndpoint({ ...filters, page: list.page, pageSize: list.pageSize }));
  const streetTotal = streets.data?.items.reduce((sum, item) => sum + item.count, 0) ?? 0;
  if (allowed.length === 0) return <ForbiddenPage />;

  return (
    <>
      <PageHeader
        title={t('compare.listings.title')}
        crumbs={[{ title: t('nav.compare') }, { title: t('compare.listings.title') }]}
        subtitle={t(`compare.listings.${handling}Hint`)}
        extra={
          <Button icon={<DownloadOutlined />} href={listingsExportUrl(filters)} download data-testid="compare-listing-export">
            {t('common.export')}
          </Button>
        }
      />
      {allowed.length > 1 ? (
        <Segmented<string>
          value={handling}
          onChange={(value) => list.setFilters({ handling: value, street: '' })}
          options={allowed.map((value) => ({ value, label: t(`compare.listings.${value}`) }))}
          style={{ marginBottom: 12 }}
          data-testid="compare-listing-handling"
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('compare.listings.streets')} data-testid="compare-listing-streets">
            {streets.error ? <ErrorAlert error={streets.error} onRetry={streets.reload} /> : null}
            <Menu
              mode="inline"
              selectedKeys={[street]}
              onClick={({ key }) => list.setFilters({ street: key === ALL_STREETS ? '' : key })}
              items={[
                { key: ALL_STREETS, label: <StreetLabel name={t('compare.listings.allStreets')} count={streetTotal} streetId={ALL_STREETS} /> },
                ...(streets.data?.items ?? []).map((item) => {
                  const key = item.streetId === null ? 'none' : String(item.streetId);
                  return { key, label: <StreetLabel name={item.streetName ?? t('compare.listings.noStreet')} count={item.count} streetId={key} /> };
                }),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          <FilterBar
            onReset={() => {
              setSearch('');
              list.setFilters({ q: '', retired: '' });
            }}
          >
            <SearchBox value={search} onChange={setSearch} onSearch={(q) => list.setFilters({ q })} placeholder={t('compare.findings.searchPlaceholder')} width={280} testId="compare-listing" />
            <span>
              <Switch size="small" checked={list.filters.retired === 'true'} onChange={(checked) => list.setFilters({ retired: checked ? 'true' : '' })} data-testid="compare-listing-retired" />{' '}
              {t('compare.listings.includeRetired')}
            </span>
          </FilterBar>
          {entries.error ? <ErrorAlert error={entries.error} onRetry={entries.reload} /> : null}
          {handling === 'assistance_watch' ? <Alert type="info" showIcon title={t('compare.listings.watchNotice')} style={{ marginBottom: 12 }} /> : null}
          <div className="ms-table-card">
            <Table<ListingEntry>
              data-testid="compare-listing-table"
              rowKey={(row) => String(row.id)}
              dataSource={entries.data?.items ?? []}
              loading={entries.isLoading}
              scroll={{ x: 1100 }}
              locale={{ emptyText: entries.isLoading ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.listings.empty')} /> }}
              pagination={serverPagination(list.page, list.pageSize, entries.data?.total, list.setPage)}
              expandable={{
                expandedRowRender: (row) => (
                  <Typography.Paragraph className="ms-mono" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {typeof row.evidence.computation === 'string' ? row.evidence.computation : JSON.stringify(row.evidence)}
                  </Typography.Paragraph>
                ),
              }}
              columns={[
                { title: t('compare.findings.name'), dataIndex: 'name', width: 100 },
                { title: t('compare.findings.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (value: string) => <span className="ms-mono">{value}</span> },
                { title: t('compare.listings.street'), dataIndex: 'streetName', width: 140, render: (name: string | null) => name ?? t('compare.listings.noStreet') },
                {
                  title: t('compare.findings.place'),
                  key: 'place',
                  width: 200,
                  render: (_, row) => (
                    <span>
                      {row.placeName}
                      {row.regionSource !== 'resident' ? <Typography.Text type="secondary">{`（${regionSourceLabel(row.regionSource)}）`}</Typography.Text> : null}
                    </span>
                  ),
                },
                { title: t('compare.findings.rule'), dataIndex: 'rule', width: 140, render: (rule: string) => ruleLabel(rule) },
                { title: t('compare.listings.amount'), dataIndex: 'amount', width: 120, align: 'right', render: (amount: string) => yuan(amount) },
                { title: t('compare.findings.match'), dataIndex: 'matchMethod', width: 90, render: (method: string) => methodLabel(method) },
                {
                  title: t('compare.listings.current'),
                  dataIndex: 'isCurrent',
                  width: 100,
                  render: (isCurrent: boolean) => (isCurrent ? <Tag color="blue">{t('compare.listings.isCurrent')}</Tag> : <Tag>{t('compare.listings.retired')}</Tag>),
                },
                { title: t('compare.listings.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
              ]}
            />
          </div>
        </Col>
      </Row>
    </>
  );
}

function StreetLabel({ name, count, streetId }: { name: string; count: number; streetId: string }) {
  return (
    <span data-testid="compare-listing-street" data-street-id={streetId} style={{ display: 'inline-flex', justifyContent: 'space-between', width: '100%' }}>
      <span>{name}</span>
      <Badge count={count} showZero color="#1f4e96" overflowCount={99999} />
    </span>
  );
}
