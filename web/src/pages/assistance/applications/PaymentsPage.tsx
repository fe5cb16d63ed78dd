import { PayCircleOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, DatePicker, Empty, Popconfirm, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { reconciliationEndpoint, runPayments, type PaymentRun, type ReconciliationLine } from '../../../api/applications';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FilterBar } from '../../../components/FilterBar';
import { useJson } from '../../../hooks/useJson';
import { PageHeader } from '../../../layout/PageHeader';
import { yuanFromFen } from '../assistanceLabels';
import { nameOf } from './applicationLabels';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Money with its count of payments beneath. */
function Amount({ fen, count, isDanger = false }: { fen: number; count?: number; isDanger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div style={{ textAlign: 'right' }}>
      <Typography.Text type={isDanger && fen > 0 ? 'danger' : undefined}>{yuanFromFen(fen)}</Typography.Text>
      {count !== undefined ? (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('applications.payments.count', { count })}
          </Typography.Text>
        </div>
      ) : null}
    </div>
  );
}

/**
 * 发放对账: the monthly payment run to social-security cards (一卡通) and the month's
 * reconciliation per department — owed, paid, to recover, unpaid, paid without being owed — and
 * whether each balances. City operators run the month; everyone reading the ledger reconciles.
 */
export function PaymentsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const month = MONTH.test(params.get('month') ?? '') ? params.get('month')! : dayjs().format('YYYY-MM');
  const reconciliation = useJson(reconciliationEndpoint(month));
  const [run, setRun] = useState<PaymentRun | null>(null);
  const [runError, setRunError] = useState<unknown>(null);
  const [isRunning, setRunning] = useState(false);
  const data = reconciliation.data && reconciliation.data.month === month ? reconciliation.data : undefined;

  const chooseMonth = (next: string) => {
    setRun(null);
    setRunError(null);
    setParams((previous) => {
      const copy = new URLSearchParams(previous);
      copy.set('month', next);
      return copy;
    });
  };

  const pay = async () => {
    setRunning(true);
    setRunError(null);
    try {
      const result = await runPayments(month);
      setRun(result);
      message.success(t('applications.payments.ran', { month: result.month, count: result.payments, total: yuanFromFen(result.totalFen) }));
      reconciliation.reload();
    } catch (failure) {
      setRunError(failure);
    } finally {
      setRunning(false);
    }
  };

  const columns: TableColumnsType<ReconciliationLine> = [
    { title: t('applications.payments.department'), key: 'department', render: (_, line) => nameOf(line.departmentName) },
    { title: t('applications.payments.owed'), key: 'owed', width: 150, render: (_, line) => <Amount fen={line.owedFen} count={line.owedCount} /> },
    { title: t('applications.payments.paid'), key: 'paid', width: 150, render: (_, line) => <Amount fen={line.paidFen} count={line.paidCount} /> },
    { title: t('applications.payments.toRecover'), key: 'toRecover', width: 150, render: (_, line) => <Amount fen={line.toRecoverFen} count={line.toRecoverCount} isDanger /> },
    { title: t('applications.payments.unpaid'), dataIndex: 'unpaidCount', width: 90, align: 'right', render: (count: number) => (count > 0 ? <Typography.Text type="danger">{count}</Typography.Text> : count) },
    { title: t('applications.payments.paidNotOwed'), dataIndex: 'paidNotOwedCount', width: 90, align: 'right', render: (count: number) => (count > 0 ? <Typography.Text type="danger">{count}</Typography.Text> : count) },
    {
      title: t('applications.payments.balances'),
      dataIndex: 'balances',
      width: 110,
      render: (balances: boolean) => (
        <Tag color={balances ? 'green' : 'red'} data-testid="payment-line-balances" data-balances={String(balances)}>
          {balances ? t('applications.payments.balanced') : t('applications.payments.unbalanced')}
        </Tag>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('applications.payments.title')} subtitle={t('applications.payments.subtitle')} crumbs={[{ title: t('nav.assistance') }, { title: t('applications.payments.title') }]} />
      <FilterBar
        extra={
          can(PERMISSION.assistanceEntitlementManage) ? (
            <Popconfirm
              title={t('applications.payments.runConfirm', { month })}
              description={t('applications.payments.runHint')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => pay()}
            >
              <Button type="primary" icon={<PayCircleOutlined />} loading={isRunning} data-testid="payment-run">
                {t('applications.payments.run')}
              </Button>
            </Popconfirm>
          ) : null
        }
      >
        <span>{t('applications.payments.month')}</span>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          disabledDate={(day) => day.isAfter(dayjs(), 'month')}
          onChange={(day) => {
            if (day) chooseMonth(day.format('YYYY-MM'));
          }}
          data-testid="payment-month"
        />
      </FilterBar>
      {runError ? <ErrorAlert error={runError} /> : null}
      {run ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('applications.payments.ran', { month: run.month, count: run.payments, total: yuanFromFen(run.totalFen) })}
          description={
            run.deaths.stopped > 0
              ? t('applications.payments.deathsApplied', { stopped: run.deaths.stopped, toRecover: run.deaths.paymentsToRecover, amount: yuanFromFen(run.deaths.amountToRecoverFen) })
              : undefined
          }
          data-testid="payment-run-result"
        />
      ) : null}
      {reconciliation.error ? <ErrorAlert error={reconciliation.error} onRetry={reconciliation.reload} /> : null}
      {data && data.lines.length > 0 ? (
        <Alert
          type={data.totals.balances ? 'success' : 'error'}
          showIcon
          style={{ marginBottom: 16 }}
          title={data.totals.balances ? t('applications.payments.totalsBalanced', { month }) : t('applications.payments.totalsUnbalanced', { month })}
          data-testid="payment-totals"
          data-balances={String(data.totals.balances)}
        />
      ) : null}
      <div className="ms-table-card" data-testid="payment-reconciliation">
        <Table<ReconciliationLine>
          rowKey="departmentCode"
          columns={columns}
          dataSource={data?.lines ?? []}
          loading={reconciliation.isLoading}
          pagination={false}
          scroll={{ x: 900 }}
          summary={() =>
            data && data.lines.length > 0 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <Typography.Text strong>{t('applications.payments.totals')}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1}>
                  <Amount fen={data.totals.owedFen} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2}>
                  <Amount fen={data.totals.paidFen} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3}>
                  <Amount fen={data.totals.toRecoverFen} isDanger />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} colSpan={3} />
              </Table.Summary.Row>
            ) : null
          }
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('applications.payments.empty')} /> }}
        />
      </div>
    </>
  );
}
