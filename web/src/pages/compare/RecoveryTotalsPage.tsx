import { Card, Col, Empty, Row, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { totalsEndpoint, type FindingTotals } from '../../api/compare';
import { buildUrl } from '../../api/client';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { PlaceTreeSelect } from '../../components/PlaceTreeSelect';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { ruleLabel, yuan } from './compareLabels';

function rate(recovered: string, toRecover: string): string {
  const wanted = Number(toRecover);
  return wanted > 0 ? `${((Number(recovered) / wanted) * 100).toFixed(1)}%` : '—';
}

/** Recovery totals (追回统计): money at stake, to recover and recovered, per rule, in the account's region. */
export function RecoveryTotalsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const list = useListState(['placeId'] as const);
  const totals = useJson(totalsEndpoint({ placeId: list.filters.placeId }));
  const total = totals.data?.total;
  const cards = [
    { key: 'at-stake', title: t('compare.totals.atStake'), value: yuan(total?.atStake) },
    { key: 'to-recover', title: t('compare.totals.toRecover'), value: yuan(total?.toRecover) },
    { key: 'recovered', title: t('compare.totals.recovered'), value: yuan(total?.recovered) },
    { key: 'rate', title: t('compare.totals.rate'), value: total ? rate(total.recovered, total.toRecover) : '—' },
  ];
  const queue = (rule: string, state: string) => buildUrl('/compare/findings', { rule, state });

  return (
    <>
      <PageHeader title={t('compare.totals.title')} crumbs={[{ title: t('nav.compare') }, { title: t('compare.totals.title') }]} subtitle={t('compare.totals.subtitle')} />
      {can(PERMISSION.placeRead) ? (
        <FilterBar onReset={list.resetFilters}>
          <PlaceTreeSelect value={list.filters.placeId || undefined} onChange={(placeId) => list.setFilters({ placeId: placeId ?? '' })} style={{ width: 320 }} testId="compare-totals-place" />
        </FilterBar>
      ) : null}
      {totals.error ? <ErrorAlert error={totals.error} onRetry={totals.reload} /> : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {cards.map((card) => (
          <Col key={card.key} xs={12} lg={6}>
            <Card className="ms-stat-card">
              <Statistic title={card.title} value={card.value} loading={totals.isLoading && !totals.data} data-testid={`compare-total-${card.key}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <div className="ms-table-card">
        <Table<FindingTotals & { rule: string }>
          data-testid="compare-totals-table"
          rowKey="rule"
          dataSource={totals.data?.rules ?? []}
          loading={totals.isLoading}
          pagination={false}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.totals.empty')} /> }}
          columns={[
            { title: t('compare.findings.rule'), dataIndex: 'rule', fixed: 'left', width: 180, render: (rule: string) => ruleLabel(rule) },
            { title: t('compare.totals.findings'), dataIndex: 'findings', align: 'right', width: 90 },
            ...(['pending', 'confirmed', 'settled', 'dismissed', 'retracted'] as const).map((state) => ({
              title: t(`compare.findings.tabs.${state}`),
              dataIndex: state,
              align: 'right' as const,
              width: 90,
              render: (count: number, row: { rule: string }) => (count > 0 ? <Link to={queue(row.rule, state)}>{count}</Link> : count),
            })),
            { title: t('compare.totals.atStake'), dataIndex: 'atStake', align: 'right', width: 140, render: (amount: string) => yuan(amount) },
            { title: t('compare.totals.toRecover'), dataIndex: 'toRecover', align: 'right', width: 140, render: (amount: string) => yuan(amount) },
            { title: t('compare.totals.recovered'), dataIndex: 'recovered', align: 'right', width: 140, render: (amount: string) => yuan(amount) },
            { title: t('compare.totals.rate'), key: 'rate', align: 'right', width: 90, render: (_, row) => rate(row.recovered, row.toRecover) },
          ]}
        />
      </div>
    </>
  );
}
