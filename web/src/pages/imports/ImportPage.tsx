import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Badge, Button, Card, Flex, Progress, Radio, Space, Steps, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, isAbortError } from '../../api/client';
import { importEndpoint, importTemplateUrl, importsEndpoint, uploadImport } from '../../api/imports';
import { IMPORT_KINDS, type ImportJob, type ImportKind } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { serverPagination } from '../../components/pagination';
import { enumLabel } from '../../domain/labels';
import { errorText } from '../../i18n/errors';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { ImportResult } from './ImportResult';

/** How often a running import is asked for its progress. */
const POLL_INTERVAL_MS = 1500;
const ACCEPTED_EXTENSIONS = ['.csv', '.xlsx'];

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const STATUS_BADGE = { running: 'processing', completed: 'success', failed: 'error' } as const;

/** Bulk import of residents, households and organisations from CSV or Excel files. */
export function ImportPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<ImportKind>('residents');
  const [file, setFile] = useState<File | null>(null);
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [historyPaging, setHistoryPaging] = useState({ page: 1, pageSize: 10 });
  const history = useJson(importsEndpoint(historyPaging));
  const reloadHistory = history.reload;
  const resultRef = useRef<HTMLDivElement>(null);

  const jobId = job?.id;
  const isRunning = job?.status === 'running';
  useEffect(() => {
    if (jobId === undefined || !isRunning) return;
    const controller = new AbortController();
    const timer = window.setInterval(() => {
      getJson<ImportJob>(importEndpoint(jobId), undefined, controller.signal).then(
        (latest) => {
          setJob(latest);
          if (latest.status !== 'running') reloadHistory();
        },
        (error: unknown) => {
          if (!isAbortError(error)) message.error(errorText(error));
        },
      );
    }, POLL_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, [jobId, isRunning, reloadHistory, message]);

  const startImport = useCallback(async () => {
    if (!file) {
      message.warning(t('imports.fileRequired'));
      return;
    }
    setUploadError(null);
    setUploadPercent(0);
    try {
      const created = await uploadImport(kind, file, setUploadPercent);
      setJob(created);
      setStep(2);
      reloadHistory();
    } catch (error) {
      setUploadError(error);
    } finally {
      setUploadPercent(null);
    }
  }, [file, kind, message, reloadHistory, t]);

  const restart = () => {
    setJob(null);
    setFile(null);
    setUploadError(null);
    setStep(0);
  };

  const showJob = (selected: ImportJob) => {
    setJob(selected);
    setStep(2);
    resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  const isUploading = uploadPercent !== null;

  return (
    <>
      <PageHeader title={t('imports.title')} crumbs={[{ title: t('nav.system') }, { title: t('imports.title') }]} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('imports.wizard')} ref={resultRef}>
          <Steps
            current={step}
            style={{ maxWidth: 760, margin: '0 auto 32px' }}
            items={[{ title: t('imports.stepChoose') }, { title: t('imports.stepUpload') }, { title: t('imports.stepResult') }]}
          />
          {step === 0 ? (
            <div className="ms-wizard-body">
              <Typography.Paragraph type="secondary">{t('imports.chooseKindHint')}</Typography.Paragraph>
              <Radio.Group
                value={kind}
                onChange={(event) => setKind(event.target.value as ImportKind)}
                optionType="button"
                buttonStyle="solid"
                size="large"
                data-testid="import-kind"
                options={IMPORT_KINDS.map((value) => ({ value, label: enumLabel('importKinds', value) }))}
              />
              <Alert
                type="info"
                showIcon
                style={{ margin: '24px 0' }}
                title={t('imports.templateHint')}
                action={
                  <Button icon={<DownloadOutlined />} href={importTemplateUrl(kind)} download data-testid="import-template">
                    {t('imports.template')}
                  </Button>
                }
              />
              <Flex justify="flex-end">
                <Button type="primary" onClick={() => setStep(1)} data-testid="import-next">
                  {t('imports.next')}
                </Button>
              </Flex>
            </div>
          ) : null}
          {step === 1 ? (
            <div className="ms-wizard-body">
              <Upload.Dragger
                accept={ACCEPTED_EXTENSIONS.join(',')}
                multiple={false}
                showUploadList={false}
                disabled={isUploading}
                beforeUpload={(chosen) => {
                  const name = chosen.name.toLowerCase();
                  if (!ACCEPTED_EXTENSIONS.some((extension) => name.endsWith(extension))) {
                    message.error(t('imports.fileTypeInvalid'));
                    return Upload.LIST_IGNORE;
                  }
                  setFile(chosen);
                  setUploadError(null);
                  return false;
                }}
                data-testid="import-file"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('imports.dropTitle')}</p>
                <p className="ant-upload-hint">{t('imports.dropHint')}</p>
              </Upload.Dragger>
              {file ? (
                <Typography.Paragraph style={{ marginTop: 12 }} data-testid="import-selected-file">
                  {t('imports.selectedFile', { name: file.name, size: formatSize(file.size) })} ·{' '}
                  {t('imports.kind')}：{enumLabel('importKinds', kind)}
                </Typography.Paragraph>
              ) : null}
              {isUploading ? (
                <div style={{ marginTop: 12 }}>
                  <Typography.Text type="secondary">{uploadPercent < 100 ? t('imports.uploading') : t('imports.processing')}</Typography.Text>
                  <Progress percent={uploadPercent} status="active" />
                </div>
              ) : null}
              {uploadError ? (
                <div style={{ marginTop: 12 }}>
                  <ErrorAlert error={uploadError} />
                </div>
              ) : null}
              <Flex justify="space-between" style={{ marginTop: 24 }}>
                <Button onClick={() => setStep(0)} disabled={isUploading}>
                  {t('imports.previous')}
                </Button>
                <Button type="primary" onClick={() => void startImport()} loading={isUploading} disabled={!file} data-testid="import-start">
                  {t('imports.start')}
                </Button>
              </Flex>
            </div>
          ) : null}
          {step === 2 && job ? <ImportResult job={job} onAgain={restart} /> : null}
        </Card>
        <Card title={t('imports.history')}>
          {history.error ? <ErrorAlert error={history.error} onRetry={history.reload} /> : null}
          <Table<ImportJob>
            data-testid="import-history"
            size="small"
            rowKey={(row) => String(row.id)}
            dataSource={history.data?.items ?? []}
            loading={history.isLoading}
            scroll={{ x: 900 }}
            pagination={serverPagination(historyPaging.page, historyPaging.pageSize, history.data?.total, (page, pageSize) =>
              setHistoryPaging({ page, pageSize }),
            )}
            columns={[
              { title: t('imports.createdAt'), dataIndex: 'createdAt', width: 160, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
              { title: t('imports.kind'), dataIndex: 'kind', width: 100, render: (value: string) => enumLabel('importKinds', value) },
              { title: t('imports.fileName'), dataIndex: 'fileName', ellipsis: true },
              {
                title: t('imports.status'),
                dataIndex: 'status',
                width: 100,
                render: (status: ImportJob['status']) => <Badge status={STATUS_BADGE[status] ?? 'default'} text={enumLabel('importStatus', status)} />,
              },
              { title: t('imports.totalRows'), dataIndex: 'totalRows', width: 80, align: 'right' },
              { title: t('imports.inserted'), dataIndex: 'inserted', width: 70, align: 'right' },
              { title: t('imports.updated'), dataIndex: 'updated', width: 70, align: 'right' },
              {
                title: t('imports.failed'),
                dataIndex: 'failed',
                width: 70,
                align: 'right',
                render: (failed: number) => (failed > 0 ? <Typography.Text type="danger">{failed}</Typography.Text> : failed),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 100,
                render: (_: unknown, row) => (
                  <Button type="link" size="small" onClick={() => showJob(row)}>
                    {t('imports.viewResult')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
