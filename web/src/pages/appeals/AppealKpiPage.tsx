import { Card, DatePicker, InputNumber, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { appealKpisEndpoint } from '../../api/appeals';
import { KPI_DIMENSIONS, type AppealKpi, type KpiDimension } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { PageLoading } from '../../components/PageLoading';
import { appealCategoryName } from '../../domain/appealCategories';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { formatRate, KpiChart, type KpiBar } from './KpiChart';

// The map of grids pulls in ECharts' map chart; load it with its card.
const OpenMattersMap = lazy(() => import('./OpenMattersMap'));

const FILTER_KEYS = ['from', 'to', 'dimension', 'metric', 'placeDepth'] as const;
const MONTH = 'YYYY-MM';
/** KPIs are assessed by month (月度考核): the default is the last twelve months, this one included. */
const DEFAULT_MONTHS = 12;

/** The rates a ranking can be drawn by. */
const METRICS = ['onTimeClosureRate', 'satisfactionRate', 'solvedRate', 'responseRate'] as const;
type Metric = (typeof METRICS)[number];

function readMonth(raw: string, fallback: Dayjs): Dayjs {
  const month = raw ? dayjs(`${raw}-01`) : null;
  return month?.isValid() ? month.startOf('month') : fallback;
}

/**
 * The first moment of a month in China time, whatever the browser's zone: whole months in China
 * time are what the server answers from its monthly rollups.
 */
function chinaMonthStart(month: Dayjs): string {
  return `${month.format(MONTH)}-01T00:00:00+08:00`;
}

function pick<T extends string>(raw: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

/** Display name of a KPI key: category codes get their names; other keys show as sent. */
function keyName(dimension: KpiDimension, key: string): string {
  if (dimension === 'category') return appealCategoryName(key);
  return key;
}

function formatHours(hours: number | null): string {
  return hours === null ? '—' : hours.toFixed(1);
}

function byRate(metric: Metric) {
  return (a: AppealKpi, b: AppealKpi) => (a[metric] ?? -1) - (b[metric] ?? -1);
}

/** Appeal KPIs (诉求考核): response, on-time closure, solved and satisfaction rates, ranked by unit. */
export function AppealKpiPage() {
  const { t } = useTranslation();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const thisMonth = dayjs().startOf('month');
  const fromMonth = readMonth(filters.from, thisMonth.subtract(DEFAULT_MONTHS - 1, 'month'));
  const toMonth = readMonth(filters.to, thisMonth);
  const dimension = pick<KpiDimension>(filters.dimension, KPI_DIMENSIONS, 'category');
  const metric = pick<Metric>(filters.metric, METRICS, 'onTimeClosureRate');
  const placeDepth = Number(filters.placeDepth) >= 1 && Number(filters.placeDepth) <= 6 ? Number(filters.placeDepth) : undefined;

  const kpis = useJson(
    appealKpisEndpoint({
      from: chinaMonthStart(fromMonth),
      to: chinaMonthStart(toMonth.add(1, 'month')),
      dimension,
      placeDepth: dimension === 'place' ? placeDepth : undefined,
    }),
  );
  const items = useMemo(() => kpis.data?.items ?? [], [kpis.data]);

  const bars: KpiBar[] = useMemo(
    () =>
      items
        .filter((item) => item[metric] !== null)
        .sort((a, b) => byRate(metric)(b, a) || b.total - a.total)
        .map((item) => ({ name: keyName(dimension, item.key), rate: item[metric] ?? 0, total: item.total })),
    // `t` changes with the language, so category names follow it.
    [items, metric, dimension, t],
  );

  const rateColumn = (key: Metric) => ({
    title: t(`appeals.${key}`),
    dataIndex: key,
    width: 130,
    align: 'right' as const,
    sorter: byRate(key),
    render: (rate: number | null) => formatRate(rate),
  });
  const columns: TableColumnsType<AppealKpi> = [
    {
      title: t(`appeals.dimensions.${dimension}`),
      dataIndex: 'key',
      fixed: 'left',
      render: (key: string) => keyName(dimension, key),
    },
    { title: t('appeals.total'), dataIndex: 'total', width: 100, align: 'right', sorter: (a, b) => a.total - b.total, defaultSortOrder: 'descend' },
    rateColumn('responseRate'),
    rateColumn('onTimeClosureRate'),
    rateColumn('solvedRate'),
    rateColumn('satisfactionRate'),
    {
      title: t('appeals.averageHandlingHours'),
      dataIndex: 'averageHandlingHours',
      width: 170,
      align: 'right',
      sorter: (a, b) => (a.averageHandlingHours ?? Infinity) - (b.averageHandlingHours ?? Infinity),
      render: (hours: number | null) => formatHours(hours),
    },
  ];

  const metricName = t(`appeals.${metric}`);

  return (
    <>
      <PageHeader title={t('appeals.kpiTitle')} subtitle={t('appeals.kpiSubtitle')} crumbs={[{ title: t('nav.appeals') }, { title: t('appeals.kpiTitle') }]} />
      <FilterBar>
        <Space size={8}>
          <Typography.Text type="secondary">{t('appeals.dateRange')}</Typography.Text>
          <DatePicker.RangePicker
            picker="month"
            allowClear={false}
            value={[fromMonth, toMonth]}
            onChange={(range) => list.setFilters({ from: range?.[0]?.format(MONTH) ?? '', to: range?.[1]?.format(MONTH) ?? '' })}
            data-testid="kpi-range"
          />
        </Space>
        <Space size={8}>
          <Typography.Text type="secondary">{t('appeals.dimension')}</Typography.Text>
          <Select<KpiDimension>
            style={{ width: 140 }}
            value={dimension}
            options={KPI_DIMENSIONS.map((value) => ({ value, label: t(`appeals.dimensions.${value}`) }))}
            onChange={(value) => list.setFilters({ dimension: value === 'category' ? '' : value })}
            data-testid="kpi-dimension"
          />
        </Space>
        {dimension === 'place' ? (
          <Space size={8}>
            <Typography.Text type="secondary">{t('appeals.placeDepth')}</Typography.Text>
            <InputNumber
              min={1}
              max={6}
              value={placeDepth ?? null}
              onChange={(value) => list.setFilters({ placeDepth: value ? String(value) : '' })}
              style={{ width: 80 }}
              data-testid="kpi-place-depth"
            />
          </Space>
        ) : null}
        <Space size={8}>
          <Typography.Text type="secondary">{t('appeals.metric')}</Typography.Text>
          <Select<Metric>
            style={{ width: 150 }}
            value={metric}
            options={METRICS.map((value) => ({ value, label: t(`appeals.${value}`) }))}
            onChange={(value) => list.setFilters({ metric: value === 'onTimeClosureRate' ? '' : value })}
            data-testid="kpi-metric"
          />
        </Space>
      </FilterBar>
      {kpis.error ? <ErrorAlert error={kpis.error} onRetry={kpis.reload} /> : null}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('appeals.ranking', { metric: metricName })}>
          <KpiChart bars={bars} metricName={metricName} />
        </Card>
        <Card title={t('openMap.title')}>
          <Suspense fallback={<PageLoading />}>
            <OpenMattersMap />
          </Suspense>
        </Card>
        <div className="ms-table-card" data-testid="kpi-table">
          <Table<AppealKpi>
            rowKey={(row) => row.key}
            columns={columns}
            dataSource={items}
            loading={kpis.isLoading}
            pagination={false}
            scroll={{ x: 980 }}
            locale={{ emptyText: kpis.isLoading ? ' ' : t('appeals.noData') }}
          />
        </div>
      </Space>
    </>
  );
}
