import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Empty, Result, Row, Statistic, Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importErrorsEndpoint, importReportUrl } from '../../api/imports';
import type { ImportJob, ImportRowError } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { serverPagination } from '../../components/pagination';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';

function ImportErrors({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const errors = useJson(importErrorsEndpoint(job.id, paging));
  return (
    <Card
      title={t('imports.errors')}
      size="small"
      extra={
        <Button icon={<DownloadOutlined />} href={importReportUrl(job.id)} download data-testid="import-report">
          {t('imports.downloadReport')}
        </Button>
      }
    >
      {errors.error ? <ErrorAlert error={errors.error} onRetry={errors.reload} /> : null}
      <Table<ImportRowError>
        data-testid="import-errors"
        size="small"
        rowKey={(row) => `${row.rowNumber}-${row.field ?? ''}-${row.reason}`}
        dataSource={errors.data?.items ?? []}
        loading={errors.isLoading}
        pagination={serverPagination(paging.page, paging.pageSize, errors.data?.total, (page, pageSize) => setPaging({ page, pageSize }))}
        columns={[
          { title: t('imports.rowNumber'), dataIndex: 'rowNumber', width: 90, align: 'right' },
          { title: t('imports.field'), dataIndex: 'field', width: 180, render: (field: string | null) => (field ? <span className="ms-mono">{field}</span> : '—') },
          { title: t('imports.reason'), dataIndex: 'reason' },
        ]}
      />
    </Card>
  );
}

/** Outcome of one import: counts, file facts, and the rejected rows. */
export function ImportResult({ job, onAgain }: { job: ImportJob; onAgain?: () => void }) {
  const { t } = useTranslation();
  const status: 'success' | 'warning' | 'error' | 'info' =
    job.status === 'running' ? 'info' : job.status === 'failed' ? 'error' : job.failed > 0 ? 'warning' : 'success';
  const title =
    job.status === 'running'
      ? t('imports.runningTitle')
      : job.status === 'failed'
        ? t('imports.failedTitle')
        : job.failed > 0
          ? t('imports.completedWithErrors', { failed: job.failed })
          : t('imports.completedTitle');
  const counts = [
    { key: 'total', label: t('imports.totalRows'), value: job.totalRows, color: undefined },
    { key: 'inserted', label: t('imports.inserted'), value: job.inserted, color: '#0e7c66' },
    { key: 'updated', label: t('imports.updated'), value: job.updated, color: '#1f4e96' },
    { key: 'unchanged', label: t('imports.unchanged'), value: job.unchanged, color: '#6b7280' },
    { key: 'failed', label: t('imports.failed'), value: job.failed, color: job.failed > 0 ? '#b42318' : undefined },
  ];
  return (
    <div data-testid="import-result">
      <Result
        status={status}
        title={title}
        subTitle={job.message ?? undefined}
        extra={
          onAgain ? (
            <Button type="primary" onClick={onAgain}>
              {t('imports.again')}
            </Button>
          ) : undefined
        }
        style={{ padding: '16px 0' }}
      />
      <Row gutter={[16, 16]} justify="center" style={{ marginBottom: 16 }}>
        {counts.map((count) => (
          <Col key={count.key} xs={12} sm={8} md={4}>
            <Card size="small" className="ms-count-card" data-testid={`import-count-${count.key}`}>
              <Statistic title={count.label} value={count.value} styles={{ content: { color: count.color } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'kind', label: t('imports.kind'), children: enumLabel('importKinds', job.kind) },
          { key: 'file', label: t('imports.fileName'), children: job.fileName },
          { key: 'encoding', label: t('imports.encoding'), children: job.encoding ?? '—' },
          { key: 'created', label: t('imports.createdAt'), children: dayjs(job.createdAt).format('YYYY-MM-DD HH:mm:ss') },
          { key: 'finished', label: t('imports.finishedAt'), children: job.finishedAt ? dayjs(job.finishedAt).format('YYYY-MM-DD HH:mm:ss') : '—' },
          { key: 'status', label: t('imports.status'), children: enumLabel('importStatus', job.status) },
        ]}
      />
      {job.failed > 0 ? (
        <ImportErrors job={job} />
      ) : job.status === 'completed' ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.noErrors')} />
      ) : null}
    </div>
  );
}
