import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { App as AntApp, AutoComplete, Button, DatePicker, Input, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditEndpoint, verifyAuditChain } from '../../api/audit';
import type { AuditEntry, AuditVerification } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { enumLabel } from '../../domain/labels';
import { errorText } from '../../i18n/errors';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { VerifyChainModal } from './VerifyChainModal';

const FILTER_KEYS = ['action', 'entityType', 'from', 'to'] as const;
/** Entity types the server records today; the filter also accepts any other typed value. */
const ENTITY_TYPES = ['resident', 'household', 'organisation', 'place', 'user', 'import_job', 'api_key', 'audit_log', 'calendar_year'];
const DATE = 'YYYY-MM-DD';

/** Who did what to which record, when and from where; admins can prove the chain is untouched. */
export function AuditPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [action, setAction] = useState(filters.action);
  const [entityType, setEntityType] = useState(filters.entityType);
  const [isVerifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerification | null>(null);

  useEffect(() => setAction(filters.action), [filters.action]);
  useEffect(() => setEntityType(filters.entityType), [filters.entityType]);
  const applyText = () => list.setFilters({ action, entityType });

  // The URL carries calendar days; the API takes instants, the whole of both days included.
  const from = filters.from && dayjs(filters.from, DATE).isValid() ? dayjs(filters.from, DATE).startOf('day') : null;
  const to = filters.to && dayjs(filters.to, DATE).isValid() ? dayjs(filters.to, DATE).endOf('day') : null;
  const entries = useJson(
    auditEndpoint({
      action: filters.action,
      entityType: filters.entityType,
      from: from?.toISOString(),
      to: to?.toISOString(),
      page: list.page,
      pageSize: list.pageSize,
    }),
  );

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await verifyAuditChain());
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setVerifying(false);
    }
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 170, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss') },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 130 },
    { title: t('audit.action'), dataIndex: 'action', width: 200, render: (value: string) => <Tag className="ms-mono">{value}</Tag> },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_: unknown, row) => (
        <span>
          {enumLabel('auditEntities', row.entityType)}
          {row.entityId ? <span className="ms-mono ms-muted"> #{row.entityId}</span> : null}
        </span>
      ),
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 140, render: (ip: string | null) => (ip ? <span className="ms-mono">{ip}</span> : '—') },
  ];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        crumbs={[{ title: t('nav.system') }, { title: t('audit.title') }]}
        extra={
          can(PERMISSION.auditVerify) ? (
            <Button icon={<SafetyCertificateOutlined />} loading={isVerifying} onClick={() => void verify()} data-testid="audit-verify">
              {isVerifying ? t('audit.verifying') : t('audit.verify')}
            </Button>
          ) : null
        }
      />
      <FilterBar>
        <Input
          allowClear
          style={{ width: 220 }}
          value={action}
          placeholder={t('audit.actionPlaceholder')}
          prefix={<SearchOutlined className="ms-muted" />}
          onChange={(event) => setAction(event.target.value)}
          onPressEnter={applyText}
          data-testid="audit-action-filter"
        />
        <AutoComplete
          allowClear
          style={{ width: 180 }}
          value={entityType || undefined}
          placeholder={t('audit.entityTypePlaceholder')}
          options={ENTITY_TYPES.map((type) => ({ value: type, label: `${enumLabel('auditEntities', type)} (${type})` }))}
          onChange={(value: string | undefined) => setEntityType(value ?? '')}
          onSelect={(value: string | undefined) => list.setFilters({ action, entityType: value ?? '' })}
          onClear={() => list.setFilters({ action, entityType: '' })}
          data-testid="audit-entity-filter"
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[from, to]}
          onChange={(range: [Dayjs | null, Dayjs | null] | null) =>
            list.setFilters({ from: range?.[0]?.format(DATE) ?? '', to: range?.[1]?.format(DATE) ?? '' })
          }
        />
        <Button type="primary" onClick={applyText}>
          {t('common.search')}
        </Button>
        <Button
          onClick={() => {
            setAction('');
            setEntityType('');
            list.resetFilters();
          }}
        >
          {t('common.reset')}
        </Button>
      </FilterBar>
      {entries.error ? <ErrorAlert error={entries.error} onRetry={entries.reload} /> : null}
      <div className="ms-table-card" data-testid="audit-table">
        <Table<AuditEntry>
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={entries.data?.items ?? []}
          loading={entries.isLoading}
          scroll={{ x: 900 }}
          pagination={serverPagination(list.page, list.pageSize, entries.data?.total, list.setPage)}
          expandable={{
            expandedRowRender: (row) =>
              row.details === null || row.details === undefined || (typeof row.details === 'object' && Object.keys(row.details).length === 0) ? (
                <Typography.Text type="secondary">{t('audit.noDetails')}</Typography.Text>
              ) : (
                <pre className="ms-json">{JSON.stringify(row.details, null, 2)}</pre>
              ),
          }}
        />
      </div>
      <VerifyChainModal result={verification} onClose={() => setVerification(null)} />
    </>
  );
}
