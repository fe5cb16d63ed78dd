import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Flex, Form, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { datasetsEndpoint, extractKindsEndpoint, runsEndpoint, startRun, type ComparisonRun, type Dataset } from '../../api/compare';
import type { Id } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { serverPagination } from '../../components/pagination';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { kindLabel, RunStatusBadge, runPath } from './compareLabels';

const POLL_MS = 1500;
const NONE = '';

/** The form that starts a run: the as-of date and one ready dataset per kind (the newest by default). */
function StartRunCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const kinds = useJson(extractKindsEndpoint());
  const ready = useJson(datasetsEndpoint({ status: 'ready', page: 1, pageSize: 200 }));
  const [asOf, setAsOf] = useState<Dayjs>(dayjs());
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [isStarting, setStarting] = useState(false);

  const byKind = useMemo(() => {
    const groups = new Map<string, Dataset[]>();
    for (const dataset of ready.data?.items ?? []) groups.set(dataset.kind, [...(groups.get(dataset.kind) ?? []), dataset]);
    return groups;
  }, [ready.data]);
  // The newest ready dataset of a kind, unless the person picked another or none.
  const chosen = (kind: string): string => picked[kind] ?? String(byKind.get(kind)?.[0]?.id ?? NONE);

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      const datasets: Record<string, Id | null> = {};
      for (const { kind } of kinds.data?.items ?? []) datasets[kind] = chosen(kind) === NONE ? null : chosen(kind);
      const run = await startRun(asOf.format('YYYY-MM-DD'), datasets);
      await navigate(runPath(run.id));
    } catch (failure) {
      setError(failure);
    } finally {
      setStarting(false);
    }
  };

  return (
    <Card title={t('compare.runs.start')}>
      <Typography.Paragraph type="secondary">{t('compare.runs.startHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('compare.runs.asOf')} required>
          <DatePicker value={asOf} onChange={(value) => value && setAsOf(value)} allowClear={false} data-testid="compare-run-as-of" />
        </Form.Item>
        <Flex gap={16} wrap>
          {(kinds.data?.items ?? []).map(({ kind }) => (
            <Form.Item key={kind} label={kindLabel(kind)} style={{ minWidth: 260 }}>
              <Select
                value={chosen(kind)}
                onChange={(value: string) => setPicked((previous) => ({ ...previous, [kind]: value }))}
                data-testid={`compare-run-dataset-${kind}`}
                options={[
                  { value: NONE, label: t('compare.runs.noDataset') },
                  ...(byKind.get(kind) ?? []).map((dataset) => ({ value: String(dataset.id), label: `#${dataset.id} ${dataset.name}（${dataset.rowsLoaded ?? 0}）` })),
                ]}
              />
            </Form.Item>
          ))}
        </Flex>
      </Form>
      {error ? (
        <div data-testid="compare-run-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Flex justify="flex-end">
        <Button type="primary" icon={<PlayCircleOutlined />} loading={isStarting} onClick={() => void start()} data-testid="compare-run-start">
          {t('compare.runs.startButton')}
        </Button>
      </Flex>
    </Card>
  );
}

/** Comparison runs (比对批次): start one, follow its progress, open its results. */
export function RunsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useListState(['status'] as const);
  const runs = useJson(runsEndpoint({ status: list.filters.status, page: list.page, pageSize: list.pageSize }));
  const reload = runs.reload;
  const isBusy = runs.data?.items.some((run) => run.status === 'queued' || run.status === 'running') ?? false;
  useEffect(() => {
    if (!isBusy) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [isBusy, reload]);

  return (
    <>
      <PageHeader title={t('compare.runs.title')} crumbs={[{ title: t('nav.compare') }, { title: t('compare.runs.title') }]} subtitle={t('compare.runs.subtitle')} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {can(PERMISSION.compareRunWrite) ? <StartRunCard /> : null}
        {isBusy ? <Alert type="info" showIcon title={t('compare.runs.busy')} /> : null}
        {runs.error ? <ErrorAlert error={runs.error} onRetry={reload} /> : null}
        <div className="ms-table-card">
          <Table<ComparisonRun>
            data-testid="compare-runs-table"
            rowKey={(row) => String(row.id)}
            dataSource={runs.data?.items ?? []}
            loading={runs.isLoading && !runs.data}
            scroll={{ x: 1000 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.runs.empty')} /> }}
            pagination={serverPagination(list.page, list.pageSize, runs.data?.total, list.setPage)}
            onRow={(row) => ({ onClick: () => void navigate(runPath(row.id)), className: 'ms-clickable-row' })}
            columns={[
              {
                title: '#',
                dataIndex: 'id',
                width: 70,
                render: (id: Id) => (
                  <Link to={runPath(id)} onClick={(event) => event.stopPropagation()}>
                    {String(id)}
                  </Link>
                ),
              },
              { title: t('compare.runs.asOf'), dataIndex: 'asOf', width: 120 },
              { title: t('compare.runs.status'), key: 'status', width: 200, render: (_, row) => <RunStatusBadge status={row.status} stage={row.stage} /> },
              { title: t('compare.runs.datasets'), key: 'datasets', render: (_, row) => Object.keys(row.datasets).map(kindLabel).join('、') },
              { title: t('compare.runs.suspects'), key: 'suspects', width: 100, align: 'right', render: (_, row) => row.rules.reduce((sum, rule) => sum + rule.suspects, 0) },
              { title: t('compare.runs.raised'), key: 'raised', width: 90, align: 'right', render: (_, row) => row.outcome?.raised ?? '—' },
              { title: t('compare.runs.retracted'), key: 'retracted', width: 90, align: 'right', render: (_, row) => row.outcome?.retracted ?? '—' },
              { title: t('compare.runs.createdAt'), dataIndex: 'createdAt', width: 150, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
              { title: t('compare.runs.createdBy'), dataIndex: 'createdBy', width: 120, render: (name: string | null) => name ?? '—' },
            ]}
          />
        </div>
      </Space>
    </>
  );
}
