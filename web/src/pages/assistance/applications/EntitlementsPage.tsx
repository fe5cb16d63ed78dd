import { HistoryOutlined, StopOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Drawer, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography, type ButtonProps, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { entitlementsEndpoint, ledgerEndpoint, stopEntitlement, type Entitlement, type LedgerPayment, type StopReason } from '../../../api/applications';
import { catalogueReferenceEndpoint } from '../../../api/assistance';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FilterBar } from '../../../components/FilterBar';
import { serverPagination } from '../../../components/pagination';
import { useJson } from '../../../hooks/useJson';
import { useListState } from '../../../hooks/useListState';
import { PageHeader } from '../../../layout/PageHeader';
import { localName, useAmountText, yuanFromFen } from '../assistanceLabels';
import { applicationPath, nameOf, optionLabel } from './applicationLabels';

const FILTER_KEYS = ['status', 'departmentCode', 'applicationId'] as const;
const STATUSES = ['active', 'stopped'] as const;
const STOP_REASONS: readonly StopReason[] = ['ineligible', 'withdrawn'];

function isStatus(value: string): value is (typeof STATUSES)[number] {
  return (STATUSES as readonly string[]).includes(value);
}

/** One entitlement's ledger, month by month, with what it paid and what is to be recovered. */
function LedgerDrawer({ entitlement, onClose }: { entitlement: Entitlement; onClose: () => void }) {
  const { t } = useTranslation();
  const ledger = useJson(ledgerEndpoint(entitlement.id));
  return (
    <Drawer open size={520} title={t('applications.entitlements.ledgerTitle', { name: entitlement.payeeName, policy: nameOf(entitlement.policyName) })} onClose={onClose} destroyOnHidden>
      {ledger.error ? <ErrorAlert error={ledger.error} onRetry={ledger.reload} /> : null}
      <Typography.Paragraph type="secondary" data-testid="entitlement-ledger-total">
        {t('applications.entitlements.ledgerTotal', { paid: yuanFromFen(entitlement.paidFen), toRecover: yuanFromFen(entitlement.toRecoverFen) })}
      </Typography.Paragraph>
      <Table<LedgerPayment>
        size="small"
        rowKey="month"
        loading={ledger.isLoading}
        pagination={false}
        dataSource={ledger.data?.payments ?? []}
        data-testid="entitlement-ledger"
        columns={[
          { title: t('applications.entitlements.ledgerMonth'), dataIndex: 'month', width: 110 },
          { title: t('applications.entitlements.ledgerAmount'), dataIndex: 'amountFen', align: 'right', render: (fen: number) => yuanFromFen(fen) },
          {
            title: t('applications.entitlements.ledgerStatus'),
            dataIndex: 'status',
            width: 110,
            render: (status: string) => <Tag color={status === 'to_recover' ? 'red' : 'green'}>{optionLabel('entitlements.ledgerStatuses', status)}</Tag>,
          },
        ]}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('applications.entitlements.ledgerEmpty')} /> }}
      />
    </Drawer>
  );
}

interface StopValues {
  reason: StopReason;
  lastMonth: dayjs.Dayjs;
  note: string;
}

/** Stops an entitlement when eligibility ends or the payee renounces it, paid through the month chosen. */
function StopModal({ entitlement, onClose, onDone }: { entitlement: Entitlement; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<StopValues>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      const result = await stopEntitlement(entitlement.id, { reason: values.reason, note: values.note.trim(), lastMonth: values.lastMonth.format('YYYY-MM') });
      message.success(t('applications.entitlements.stoppedDone', { count: result.paymentsToRecover }));
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
      title={t('applications.entitlements.stopTitle', { name: entitlement.payeeName, policy: nameOf(entitlement.policyName) })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, 'data-testid': 'entitlement-stop-confirm' } as ButtonProps}
      confirmLoading={isSubmitting}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('applications.entitlements.stopHint')}</Typography.Paragraph>
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" requiredMark initialValues={{ lastMonth: dayjs() }}>
        <Form.Item name="reason" label={t('applications.entitlements.stopReason')} rules={[{ required: true, message: t('applications.entitlements.stopReasonRequired') }]}>
          <Select options={STOP_REASONS.map((reason) => ({ value: reason, label: optionLabel('entitlements.stopReasons', reason) }))} data-testid="entitlement-stop-reason" />
        </Form.Item>
        <Form.Item name="lastMonth" label={t('applications.entitlements.lastMonth')} rules={[{ required: true, message: t('applications.entitlements.lastMonthRequired') }]}>
          <DatePicker picker="month" allowClear={false} data-testid="entitlement-stop-month" />
        </Form.Item>
        <Form.Item name="note" label={t('applications.entitlements.stopNote')} rules={[{ required: true, whitespace: true, message: t('applications.entitlements.stopNoteRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="entitlement-stop-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 待遇台账: the entitlements granted in the account's region — what each pays per period to the
 * payee's social-security card, from which month, what it has paid and what is to be recovered —
 * with each one's ledger, and stopping one when eligibility ends (city operators).
 */
export function EntitlementsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const amountText = useAmountText();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [ledgerOf, setLedgerOf] = useState<Entitlement | null>(null);
  const [stopping, setStopping] = useState<Entitlement | null>(null);
  const applicationId = Number(filters.applicationId);
  const reference = useJson(can(PERMISSION.assistancePolicyRead) ? catalogueReferenceEndpoint() : null);
  const entitlements = useJson(
    entitlementsEndpoint({
      status: isStatus(filters.status) ? filters.status : undefined,
      departmentCode: filters.departmentCode || undefined,
      applicationId: Number.isInteger(applicationId) && applicationId > 0 ? applicationId : undefined,
      page: list.page,
      pageSize: list.pageSize,
    }),
  );
  const departmentName = (code: string) => {
    const found = reference.data?.departments.find((d) => d.code === code);
    return found ? localName(found) : code;
  };
  const hasFilters = Boolean(filters.status || filters.departmentCode || filters.applicationId);
  const canManage = can(PERMISSION.assistanceEntitlementManage);

  const columns: TableColumnsType<Entitlement> = [
    {
      title: t('applications.entitlements.payee'),
      key: 'payee',
      width: 190,
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <span>{row.payeeName}</span>
          <Typography.Text type="secondary" className="ms-mono" style={{ fontSize: 12 }}>
            {row.payeeIdNumberMasked}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('applications.entitlements.policy'),
      key: 'policy',
      width: 240,
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <span>{nameOf(row.policyName)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {departmentName(row.departmentCode)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('applications.entitlements.amount'), key: 'amount', width: 150, align: 'right', render: (_, row) => amountText(row.amountFen, row.period) },
    {
      title: t('applications.entitlements.months'),
      key: 'months',
      width: 170,
      render: (_, row) => (row.endMonth ? t('applications.entitlements.monthRange', { start: row.startMonth, end: row.endMonth }) : t('applications.entitlements.fromMonth', { start: row.startMonth })),
    },
    { title: t('applications.entitlements.paid'), dataIndex: 'paidFen', width: 120, align: 'right', render: (fen: number) => yuanFromFen(fen) },
    {
      title: t('applications.entitlements.toRecover'),
      dataIndex: 'toRecoverFen',
      width: 120,
      align: 'right',
      render: (fen: number) => (fen > 0 ? <Typography.Text type="danger">{yuanFromFen(fen)}</Typography.Text> : yuanFromFen(fen)),
    },
    {
      title: t('applications.entitlements.status'),
      key: 'status',
      width: 170,
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Tag color={row.status === 'active' ? 'green' : 'default'} data-testid="entitlement-status" data-status={row.status}>
            {row.status === 'active' ? t('applications.entitlements.active') : t('applications.entitlements.stopped')}
          </Tag>
          {row.stopReason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} title={row.stopNote ?? undefined}>
              {t('applications.entitlements.stoppedBecause', { reason: optionLabel('entitlements.stopReasons', row.stopReason) })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('applications.entitlements.application'),
      dataIndex: 'applicationReference',
      width: 180,
      render: (ref: string, row) => (
        <Link to={applicationPath(row.applicationId)} className="ms-mono">
          {ref}
        </Link>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_, row) => (
        <Space size={4}>
          <Button size="small" icon={<HistoryOutlined />} onClick={() => setLedgerOf(row)} data-testid="entitlement-ledger-open">
            {t('applications.entitlements.ledger')}
          </Button>
          {canManage && row.status === 'active' ? (
            <Button size="small" danger icon={<StopOutlined />} onClick={() => setStopping(row)} data-testid="entitlement-stop">
              {t('applications.entitlements.stop')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('applications.entitlements.title')} subtitle={t('applications.entitlements.subtitle')} crumbs={[{ title: t('nav.assistance') }, { title: t('applications.entitlements.title') }]} />
      <FilterBar onReset={list.resetFilters}>
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('applications.entitlements.statusFilter')}
          value={isStatus(filters.status) ? filters.status : undefined}
          onChange={(status: string | undefined) => list.setFilters({ status: status ?? '' })}
          options={[
            { value: 'active', label: t('applications.entitlements.active') },
            { value: 'stopped', label: t('applications.entitlements.stopped') },
          ]}
          data-testid="entitlement-status-filter"
        />
        {reference.data ? (
          <Select
            allowClear
            style={{ width: 220 }}
            placeholder={t('applications.entitlements.departmentFilter')}
            value={filters.departmentCode || undefined}
            onChange={(code: string | undefined) => list.setFilters({ departmentCode: code ?? '' })}
            options={reference.data.departments.map((d) => ({ value: d.code, label: localName(d) }))}
          />
        ) : null}
        {filters.applicationId ? (
          <Tag closable onClose={() => list.setFilters({ applicationId: '' })}>
            {t('applications.entitlements.application')} #{filters.applicationId}
          </Tag>
        ) : null}
      </FilterBar>
      {entitlements.error ? <ErrorAlert error={entitlements.error} onRetry={entitlements.reload} /> : null}
      <div className="ms-table-card" data-testid="entitlement-table">
        <Table<Entitlement>
          rowKey="id"
          columns={columns}
          dataSource={entitlements.data?.items ?? []}
          loading={entitlements.isLoading}
          scroll={{ x: 1500 }}
          pagination={serverPagination(list.page, list.pageSize, entitlements.data?.total, list.setPage)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hasFilters ? t('applications.entitlements.noneFound') : t('applications.entitlements.empty')} /> }}
        />
      </div>
      {ledgerOf ? <LedgerDrawer entitlement={ledgerOf} onClose={() => setLedgerOf(null)} /> : null}
      {stopping ? (
        <StopModal
          entitlement={stopping}
          onClose={() => setStopping(null)}
          onDone={() => {
            setStopping(null);
            entitlements.reload();
          }}
        />
      ) : null}
    </>
  );
}
