import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Select, Statistic, Table, Tabs, Tag, Typography, type ButtonProps, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addMonitoringEntry, endMonitoringEntry, monitoringCountsEndpoint, monitoringEndpoint, monitoringExportUrl, type MonitoringCounts, type MonitoringEntry } from '../../../api/discovery';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FilterBar } from '../../../components/FilterBar';
import { serverPagination } from '../../../components/pagination';
import { SearchBox } from '../../../components/SearchBox';
import { useJson } from '../../../hooks/useJson';
import { useListState } from '../../../hooks/useListState';
import { PageHeader } from '../../../layout/PageHeader';
import { localName } from '../assistanceLabels';
import { ResidentPicker } from './ResidentPicker';

const FILTER_KEYS = ['categoryCode', 'status', 'q'] as const;
const STATUSES = ['open', 'ended', 'left_within_year', 'all'] as const;

/** Puts a resident on the list by hand. */
function AddModal({ counts, onClose, onDone }: { counts: MonitoringCounts | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ residentId: number; categoryCode: string; since?: dayjs.Dayjs; note?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      await addMonitoringEntry({ residentId: values.residentId, categoryCode: values.categoryCode, ...(values.since ? { since: values.since.format('YYYY-MM-DD') } : {}), ...(values.note?.trim() ? { note: values.note.trim() } : {}) });
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal
      open
      title={t('discovery.monitoring.addTitle')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'discovery-monitoring-add-submit' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="residentId" label={t('discovery.monitoring.resident')} rules={[{ required: true, message: t('discovery.monitoring.residentRequired') }]}>
          <ResidentPicker placeholder={t('discovery.monitoring.residentPlaceholder')} testId="discovery-monitoring-resident" />
        </Form.Item>
        <Form.Item name="categoryCode" label={t('discovery.monitoring.category')} rules={[{ required: true, message: t('discovery.monitoring.categoryRequired') }]}>
          <Select data-testid="discovery-monitoring-category" options={(counts?.categories ?? []).map((c) => ({ value: c.code, label: localName(c) }))} />
        </Form.Item>
        <Form.Item name="since" label={t('discovery.monitoring.sinceLabel')}>
          <DatePicker disabledDate={(day) => day.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="note" label={t('discovery.monitoring.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Ends an entry with the reason. */
function EndModal({ entry, onClose, onDone }: { entry: MonitoringEntry; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ until?: dayjs.Dayjs; reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      await endMonitoringEntry(entry.id, { reason: values.reason.trim(), ...(values.until ? { until: values.until.format('YYYY-MM-DD') } : {}) });
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal
      open
      title={`${t('discovery.monitoring.endTitle')} · ${entry.name}`}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'discovery-monitoring-end-submit' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('discovery.monitoring.endHint')}</Typography.Paragraph>
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="until" label={t('discovery.monitoring.until')}>
          <DatePicker disabledDate={(day) => day.isAfter(dayjs(), 'day') || day.isBefore(dayjs(entry.since), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label={t('discovery.monitoring.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('discovery.monitoring.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="discovery-monitoring-end-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The low-income monitoring list (低收入人口动态监测): 8 categories with counts, search, export, and hand edits. */
export function MonitoringPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const list = useListState(FILTER_KEYS);
  const [search, setSearch] = useState(list.filters.q);
  const [isAdding, setAdding] = useState(false);
  const [ending, setEnding] = useState<MonitoringEntry | null>(null);
  const status = (STATUSES as readonly string[]).includes(list.filters.status) ? list.filters.status : 'open';
  const filters = { categoryCode: list.filters.categoryCode || undefined, status, q: list.filters.q || undefined };
  const counts = useJson(monitoringCountsEndpoint());
  const entries = useJson(monitoringEndpoint({ ...filters, page: list.page, pageSize: list.pageSize }));
  const canWrite = can(PERMISSION.assistanceMonitoringWrite);
  const reload = () => {
    entries.reload();
    counts.reload();
  };

  const columns: TableColumnsType<MonitoringEntry> = [
    { title: t('discovery.monitoring.category'), key: 'category', width: 190, render: (_, row) => localName({ nameZh: row.categoryNameZh, nameEn: row.categoryNameEn }) },
    { title: t('discovery.monitoring.name'), dataIndex: 'name', width: 100 },
    { title: t('discovery.monitoring.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (value: string) => <span className="ms-mono">{value}</span> },
    { title: t('discovery.monitoring.place'), dataIndex: 'placeName', width: 170, ellipsis: true },
    { title: t('discovery.monitoring.since'), dataIndex: 'since', width: 110 },
    { title: t('discovery.monitoring.until'), dataIndex: 'until', width: 110, render: (value: string | null) => value ?? '—' },
    { title: t('discovery.monitoring.source'), dataIndex: 'source', width: 110, render: (value: string) => t(`discovery.monitoring.sources.${value}` as 'discovery.monitoring.sources.manual') },
    {
      title: t('discovery.monitoring.endReason'),
      dataIndex: 'endReason',
      width: 110,
      render: (value: string | null) => (value ? t(`discovery.monitoring.endReasons.${value}` as 'discovery.monitoring.endReasons.manual') : '—'),
    },
    { title: t('discovery.monitoring.note'), dataIndex: 'note', ellipsis: true },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, row: MonitoringEntry) =>
              row.until === null ? (
                <Button size="small" type="link" onClick={() => setEnding(row)} data-testid={`discovery-monitoring-end-${row.id}`}>
                  {t('discovery.monitoring.end')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('discovery.monitoring.title')}
        crumbs={[{ title: t('nav.assistance') }, { title: t('discovery.monitoring.title') }]}
        subtitle={t('discovery.monitoring.subtitle')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} href={monitoringExportUrl(filters)} download data-testid="discovery-monitoring-export">
              {t('common.export')}
            </Button>
            {canWrite ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="discovery-monitoring-add">
                {t('discovery.monitoring.add')}
              </Button>
            ) : null}
          </>
        }
      />
      {counts.error ? <ErrorAlert error={counts.error} onRetry={counts.reload} /> : null}
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="discovery-monitoring-counts">
        <Col xs={12} md={6} xl={4}>
          <Card size="small">
            <Statistic title={t('discovery.monitoring.people')} value={counts.data?.people ?? '—'} />
          </Card>
        </Col>
        {(counts.data?.categories ?? []).map((category) => (
          <Col key={category.code} xs={12} md={6} xl={4}>
            <Card
              size="small"
              hoverable
              style={list.filters.categoryCode === category.code ? { borderColor: 'var(--ant-color-primary, #1677ff)' } : undefined}
              onClick={() => list.setFilters({ categoryCode: list.filters.categoryCode === category.code ? '' : category.code })}
              title={
                <span title={t('discovery.monitoring.tags', { tags: category.sourceTags.join('、') || '—' })}>
                  {localName(category)}
                  {category.isCoverage ? (
                    <Tag color="blue" style={{ marginInlineStart: 6 }}>
                      {t('discovery.monitoring.coverage')}
                    </Tag>
                  ) : null}
                </span>
              }
              data-testid={`discovery-monitoring-category-${category.code}`}
            >
              <Statistic title={t('discovery.monitoring.open')} value={category.open} />
              {category.isCoverage ? <Typography.Text type="secondary">{`${t('discovery.monitoring.leftWithinYear')} ${category.leftWithinYear}`}</Typography.Text> : null}
            </Card>
          </Col>
        ))}
      </Row>
      <FilterBar
        onReset={() => {
          setSearch('');
          list.resetFilters();
        }}
      >
        <SearchBox value={search} onChange={setSearch} onSearch={(q) => list.setFilters({ q })} placeholder={t('discovery.monitoring.searchPlaceholder')} width={300} testId="discovery-monitoring" />
        <Select
          allowClear
          style={{ width: 240 }}
          placeholder={t('discovery.monitoring.category')}
          value={list.filters.categoryCode || undefined}
          onChange={(code?: string) => list.setFilters({ categoryCode: code ?? '' })}
          options={(counts.data?.categories ?? []).map((c) => ({ value: c.code, label: localName(c) }))}
          data-testid="discovery-monitoring-category-filter"
        />
      </FilterBar>
      <Tabs
        activeKey={status}
        onChange={(key) => list.setFilters({ status: key === 'open' ? '' : key })}
        items={STATUSES.map((key) => ({ key, label: <span data-testid={`discovery-monitoring-tab-${key}`}>{t(`discovery.monitoring.status.${key}`)}</span> }))}
      />
      {entries.error ? <ErrorAlert error={entries.error} onRetry={entries.reload} /> : null}
      <div className="ms-table-card">
        <Table<MonitoringEntry>
          data-testid="discovery-monitoring-table"
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={entries.data?.items ?? []}
          loading={entries.isLoading}
          scroll={{ x: 1400 }}
          locale={{ emptyText: entries.isLoading ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('discovery.monitoring.empty')} /> }}
          pagination={serverPagination(list.page, list.pageSize, entries.data?.total, list.setPage)}
        />
      </div>
      {isAdding ? (
        <AddModal
          counts={counts.data}
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            message.success(t('discovery.monitoring.added'));
            reload();
          }}
        />
      ) : null}
      {ending ? (
        <EndModal
          entry={ending}
          onClose={() => setEnding(null)}
          onDone={() => {
            setEnding(null);
            message.success(t('discovery.monitoring.ended'));
            reload();
          }}
        />
      ) : null}
    </>
  );
}
