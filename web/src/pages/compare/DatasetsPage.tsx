import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Empty, Flex, Form, Input, Progress, Select, Space, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  datasetEndpoint,
  datasetRejectsEndpoint,
  datasetRejectsUrl,
  datasetsEndpoint,
  extractKindsEndpoint,
  extractTemplateUrl,
  uploadDataset,
  type Dataset,
  type DatasetReject,
} from '../../api/compare';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { SearchBox } from '../../components/SearchBox';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { DatasetStatusBadge, kindLabel } from './compareLabels';

const ACCEPTED = ['.csv', '.txt', '.xlsx', '.parquet'];
const POLL_MS = 1500;
const FILTER_KEYS = ['kind', 'status', 'q'] as const;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`;
}

/** The rejected rows of a dataset, with the downloadable report. */
function Rejects({ dataset }: { dataset: Dataset }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const rejects = useJson(datasetRejectsEndpoint(dataset.id, paging));
  return (
    <Card
      size="small"
      title={t('compare.datasets.rejects')}
      extra={
        <Button size="small" icon={<DownloadOutlined />} href={datasetRejectsUrl(dataset.id)} download data-testid="compare-dataset-rejects-download">
          {t('compare.datasets.downloadRejects')}
        </Button>
      }
    >
      {rejects.error ? <ErrorAlert error={rejects.error} onRetry={rejects.reload} /> : null}
      <Table<DatasetReject>
        data-testid="compare-dataset-rejects"
        size="small"
        rowKey={(row) => `${row.rowNumber}-${row.reason}`}
        dataSource={rejects.data?.items ?? []}
        loading={rejects.isLoading}
        pagination={serverPagination(paging.page, paging.pageSize, rejects.data?.total, (page, pageSize) => setPaging({ page, pageSize }))}
        columns={[
          { title: t('compare.datasets.rowNumber'), dataIndex: 'rowNumber', width: 90, align: 'right' },
          { title: t('compare.datasets.reason'), dataIndex: 'reason' },
        ]}
      />
    </Card>
  );
}

/** The profile of one dataset (数据画像): rows, bad rows, ID validity, date ranges. */
function DatasetProfile({ id }: { id: string }) {
  const { t } = useTranslation();
  const dataset = useJson(datasetEndpoint(id));
  const reload = dataset.reload;
  const isProfiling = dataset.data?.status === 'profiling';
  useEffect(() => {
    if (!isProfiling) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [isProfiling, reload]);
  if (dataset.error) return <ErrorAlert error={dataset.error} onRetry={reload} />;
  const data = dataset.data;
  if (!data) return null;
  const ranges = Object.entries(data.dateRanges);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="compare-dataset-profile">
      {data.status === 'invalid' ? <Alert type="error" showIcon title={t('compare.datasets.invalid')} description={data.message} data-testid="compare-dataset-invalid" /> : null}
      {data.status === 'profiling' ? <Alert type="info" showIcon title={t('compare.datasets.profiling')} /> : null}
      <Descriptions
        size="small"
        bordered
        column={1}
        items={[
          { key: 'kind', label: t('compare.datasets.kind'), children: kindLabel(data.kind) },
          { key: 'status', label: t('compare.datasets.status'), children: <DatasetStatusBadge status={data.status} /> },
          { key: 'file', label: t('compare.datasets.fileName'), children: `${data.fileName} (${formatSize(data.fileSize)})` },
          { key: 'encoding', label: t('compare.datasets.encoding'), children: data.encoding ?? '—' },
          { key: 'rowsRead', label: t('compare.datasets.rowsRead'), children: <span data-testid="compare-dataset-rows-read">{data.rowsRead ?? '—'}</span> },
          { key: 'rowsLoaded', label: t('compare.datasets.rowsLoaded'), children: data.rowsLoaded ?? '—' },
          {
            key: 'rejected',
            label: t('compare.datasets.rowsRejected'),
            children: (
              <Typography.Text type={data.rowsRejected ? 'danger' : undefined} data-testid="compare-dataset-rejected">
                {data.rowsRejected ?? '—'}
              </Typography.Text>
            ),
          },
          {
            key: 'ids',
            label: t('compare.datasets.idValidity'),
            children: (
              <span data-testid="compare-dataset-id-validity">
                {percent(data.idValidityRate)}
                {data.idsInvalid ? <Typography.Text type="secondary">{`（${t('compare.datasets.idsInvalid', { count: data.idsInvalid })}）`}</Typography.Text> : null}
              </span>
            ),
          },
          { key: 'sha', label: 'SHA-256', children: <span className="ms-mono">{data.sha256.slice(0, 16)}…</span> },
          { key: 'by', label: t('compare.datasets.uploadedBy'), children: `${data.createdBy ?? '—'} · ${dayjs(data.createdAt).format('YYYY-MM-DD HH:mm')}` },
        ]}
      />
      <Card size="small" title={t('compare.datasets.dateRanges')}>
        {ranges.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.datasets.noDates')} />
        ) : (
          <Table
            data-testid="compare-dataset-date-ranges"
            size="small"
            pagination={false}
            rowKey="column"
            dataSource={ranges.map(([column, range]) => ({ column, ...range }))}
            columns={[
              { title: t('compare.datasets.column'), dataIndex: 'column', render: (column: string) => <span className="ms-mono">{column}</span> },
              { title: t('compare.datasets.earliest'), dataIndex: 'min', render: (value: string | null) => value ?? '—' },
              { title: t('compare.datasets.latest'), dataIndex: 'max', render: (value: string | null) => value ?? '—' },
            ]}
          />
        )}
      </Card>
      {data.rowsRejected ? <Rejects dataset={data} /> : null}
    </Space>
  );
}

/** Upload of a department extract: kind chosen by the person, the template, progress and clear errors. */
function UploadCard({ onUploaded }: { onUploaded: (dataset: Dataset) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const kinds = useJson(extractKindsEndpoint());
  const [kind, setKind] = useState<string>('insured');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const columns = kinds.data?.items.find((item) => item.kind === kind)?.columns ?? [];

  const submit = async () => {
    if (!file) {
      message.warning(t('compare.datasets.fileRequired'));
      return;
    }
    setError(null);
    setProgress(0);
    try {
      const dataset = await uploadDataset(kind, name, file, setProgress);
      message.success(t('compare.datasets.uploaded', { name: dataset.name }));
      setFile(null);
      setName('');
      onUploaded(dataset);
    } catch (failure) {
      setError(failure);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Card title={t('compare.datasets.upload')}>
      <Form layout="vertical" requiredMark>
        <Flex gap={16} wrap>
          <Form.Item label={t('compare.datasets.kind')} required style={{ minWidth: 220 }}>
            <Select
              value={kind}
              onChange={setKind}
              data-testid="compare-dataset-kind"
              options={(kinds.data?.items ?? []).map((item) => ({ value: item.kind, label: `${kindLabel(item.kind)}（${item.kind}）` }))}
            />
          </Form.Item>
          <Form.Item label={t('compare.datasets.name')} style={{ minWidth: 260, flex: 1 }}>
            <Input value={name} onChange={(event) => setName(event.target.value)} maxLength={200} placeholder={t('compare.datasets.namePlaceholder')} data-testid="compare-dataset-name" />
          </Form.Item>
        </Flex>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('compare.datasets.columnsHint', { kind: kindLabel(kind) })}
          description={<span className="ms-mono">{columns.join(',') || '—'}</span>}
          action={
            <Button size="small" icon={<DownloadOutlined />} href={extractTemplateUrl(kind)} download data-testid="compare-dataset-template">
              {t('compare.datasets.template')}
            </Button>
          }
        />
        <Upload.Dragger
          accept={ACCEPTED.join(',')}
          multiple={false}
          showUploadList={false}
          disabled={progress !== null}
          beforeUpload={(chosen) => {
            if (!ACCEPTED.some((extension) => chosen.name.toLowerCase().endsWith(extension))) {
              message.error(t('compare.datasets.fileTypeInvalid'));
              return Upload.LIST_IGNORE;
            }
            setFile(chosen);
            setError(null);
            return false;
          }}
          data-testid="compare-dataset-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? t('compare.datasets.selected', { name: file.name, size: formatSize(file.size) }) : t('compare.datasets.drop')}</p>
          <p className="ant-upload-hint">{t('compare.datasets.dropHint')}</p>
        </Upload.Dragger>
        {progress !== null ? <Progress percent={progress} status="active" style={{ marginTop: 12 }} /> : null}
        {error ? (
          <div style={{ marginTop: 12 }} data-testid="compare-dataset-upload-error">
            <ErrorAlert error={error} />
          </div>
        ) : null}
        <Flex justify="flex-end" style={{ marginTop: 16 }}>
          <Button type="primary" onClick={() => void submit()} loading={progress !== null} disabled={!file} data-testid="compare-dataset-upload">
            {t('compare.datasets.uploadButton')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

/** The catalogue of department extracts (比对数据): upload, profile, rejected rows. */
export function DatasetsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const [search, setSearch] = useState(list.filters.q);
  const [selected, setSelected] = useState<string | null>(null);
  const kinds = useJson(extractKindsEndpoint());
  const datasets = useJson(datasetsEndpoint({ kind: list.filters.kind, status: list.filters.status, q: list.filters.q, page: list.page, pageSize: list.pageSize }));
  const reload = datasets.reload;
  const isProfiling = datasets.data?.items.some((item) => item.status === 'profiling') ?? false;
  useEffect(() => {
    if (!isProfiling) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [isProfiling, reload]);

  return (
    <>
      <PageHeader title={t('compare.datasets.title')} crumbs={[{ title: t('nav.compare') }, { title: t('compare.datasets.title') }]} subtitle={t('compare.datasets.subtitle')} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {can(PERMISSION.compareDatasetWrite) ? (
          <UploadCard
            onUploaded={(dataset) => {
              reload();
              setSelected(String(dataset.id));
            }}
          />
        ) : null}
        <FilterBar onReset={() => { setSearch(''); list.resetFilters(); }}>
          <SearchBox value={search} onChange={setSearch} onSearch={(q) => list.setFilters({ q })} placeholder={t('compare.datasets.searchPlaceholder')} width={280} testId="compare-dataset" />
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t('compare.datasets.kind')}
            value={list.filters.kind || undefined}
            onChange={(kind?: string) => list.setFilters({ kind: kind ?? '' })}
            options={(kinds.data?.items ?? []).map((item) => ({ value: item.kind, label: kindLabel(item.kind) }))}
            data-testid="compare-dataset-filter-kind"
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('compare.datasets.status')}
            value={list.filters.status || undefined}
            onChange={(status?: string) => list.setFilters({ status: status ?? '' })}
            options={(['profiling', 'ready', 'invalid'] as const).map((status) => ({ value: status, label: t(`compare.datasetStatus.${status}`) }))}
          />
        </FilterBar>
        {datasets.error ? <ErrorAlert error={datasets.error} onRetry={reload} /> : null}
        <div className="ms-table-card">
          <Table<Dataset>
            data-testid="compare-dataset-table"
            rowKey={(row) => String(row.id)}
            dataSource={datasets.data?.items ?? []}
            loading={datasets.isLoading && !datasets.data}
            scroll={{ x: 1100 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.datasets.empty')} /> }}
            pagination={serverPagination(list.page, list.pageSize, datasets.data?.total, list.setPage)}
            onRow={(row) => ({ onClick: () => setSelected(String(row.id)), className: 'ms-clickable-row' })}
            columns={[
              { title: '#', dataIndex: 'id', width: 60 },
              { title: t('compare.datasets.name'), dataIndex: 'name', ellipsis: true },
              { title: t('compare.datasets.kind'), dataIndex: 'kind', width: 110, render: (kind: string) => kindLabel(kind) },
              { title: t('compare.datasets.status'), dataIndex: 'status', width: 110, render: (status: Dataset['status']) => <DatasetStatusBadge status={status} /> },
              { title: t('compare.datasets.rowsRead'), dataIndex: 'rowsRead', width: 100, align: 'right', render: (value: number | null) => value?.toLocaleString() ?? '—' },
              {
                title: t('compare.datasets.rowsRejected'),
                dataIndex: 'rowsRejected',
                width: 90,
                align: 'right',
                render: (value: number | null) => (value ? <Typography.Text type="danger">{value.toLocaleString()}</Typography.Text> : (value ?? '—')),
              },
              { title: t('compare.datasets.idValidity'), dataIndex: 'idValidityRate', width: 110, align: 'right', render: (rate: number | null) => percent(rate) },
              {
                title: t('compare.datasets.dateRanges'),
                key: 'dates',
                width: 220,
                render: (_, row) => {
                  const [first] = Object.entries(row.dateRanges);
                  return first ? <span className="ms-mono">{`${first[0]}: ${first[1].min ?? '—'} ~ ${first[1].max ?? '—'}`}</span> : '—';
                },
              },
              { title: t('compare.datasets.uploadedAt'), dataIndex: 'createdAt', width: 150, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
            ]}
          />
        </div>
      </Space>
      <Drawer
        open={Boolean(selected)}
        size="large"
        title={t('compare.datasets.profile')}
        onClose={() => setSelected(null)}
        destroyOnHidden
      >
        {selected ? <DatasetProfile id={selected} /> : null}
      </Drawer>
    </>
  );
}
