import { CheckOutlined, CloseOutlined, EditOutlined, FileSearchOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Row, Space, Table, Typography, type DescriptionsProps, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { applicationEndpoint, materialUrl, type ApplicationItem, type ApplicationView, type EconomicCheck } from '../../../api/applications';
import { catalogueReferenceEndpoint, factsEndpoint } from '../../../api/assistance';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { PageLoading } from '../../../components/PageLoading';
import { useJson } from '../../../hooks/useJson';
import { i18next } from '../../../i18n';
import { PageHeader } from '../../../layout/PageHeader';
import { DueTime, MATTER_TIME } from '../../matters/MatterTags';
import { useAmountText, yuanFromFen } from '../assistanceLabels';
import { ExplanationTree, FormulaView, type UnitsByPath } from '../RuleViews';
import './applications.css';
import { ApplicationStatusTag, applicationEditPath, BundleStateTag, fieldLabel, isUndecided, ItemModeTag, ItemStateTag, missingMessage, nameOf, optionLabel } from './applicationLabels';
import { ItemDecisionModal, type ItemDecisionKind } from './ItemDecisionModal';
import { isWithdrawable, WithdrawButton } from './WithdrawButton';

function formatTime(value: string | null): string {
  return value ? dayjs(value).format(MATTER_TIME) : '—';
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const MONEY_FIELDS = /(monthlyIncome|hospitalCostsLast12Months|financialAssets|otherMonthlyIncome)$/;

/** A declared or verified value of the economic check as staff read it: money in yuan, categories named. */
function checkValue(field: string, value: unknown): string {
  if (typeof value === 'number' && MONEY_FIELDS.test(field)) return yuanFromFen(value);
  if (field === 'benefits' && Array.isArray(value)) return value.length === 0 ? '—' : value.map((code) => optionLabel('options.benefits', String(code))).join('、');
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** A doubt of the economic check in the page's language (the server's sentences are known), or as it came. */
function doubtText(doubt: string): string {
  const death = /^members\.(\d+): the deaths extract records a death on (\S+)$/.exec(doubt);
  if (death) return i18next.t('applications.detail.doubtDeath', { index: Number(death[1]) + 1, date: death[2] });
  const benefit = /^benefits: (\S+) is declared but not on the assistance roll$/.exec(doubt);
  if (benefit) return i18next.t('applications.detail.doubtBenefit', { benefit: optionLabel('options.benefits', benefit[1]) });
  const noData = /^no ready dataset of (.+) to check against$/.exec(doubt);
  if (noData) return i18next.t('applications.detail.doubtNoData', { kinds: noData[1]!.split(', ').map((kind) => optionLabel('sourceKinds', kind)).join('、') });
  return doubt;
}

/** The household economic check (家庭经济状况核对): what was read, what the data changed, what stays in doubt. */
function EconomicCheckCard({ check }: { check: EconomicCheck }) {
  const { t } = useTranslation();
  const adjustments = check.adjustments ?? [];
  const doubts = check.doubts ?? [];
  return (
    <Card title={t('applications.detail.check')} data-testid="application-check">
      <Typography.Paragraph type="secondary">{t('applications.detail.checkedAt', { time: formatTime(check.checkedAt), asOf: check.asOf })}</Typography.Paragraph>
      {check.missingSources.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('applications.detail.missingSources', { kinds: check.missingSources.map((kind) => optionLabel('sourceKinds', kind)).join('、') })}
          style={{ marginBottom: 12 }}
          data-testid="application-check-missing"
        />
      ) : null}
      <Typography.Title level={5}>{t('applications.detail.sources')}</Typography.Title>
      {check.sources.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('applications.detail.noSources')}</Typography.Paragraph>
      ) : (
        <Table
          size="small"
          rowKey="datasetId"
          pagination={false}
          dataSource={check.sources}
          columns={[
            { title: t('applications.detail.sourceKind'), dataIndex: 'kind', width: 120, render: (kind: string) => optionLabel('sourceKinds', kind) },
            { title: t('applications.detail.sourceName'), key: 'name', render: (_, source) => `${source.name}（#${source.datasetId}）` },
            { title: t('applications.detail.sourceProfiledAt'), dataIndex: 'profiledAt', width: 150, render: (at: string | null) => formatTime(at) },
          ]}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          style={{ marginBottom: 16 }}
        />
      )}
      <Typography.Title level={5}>{t('applications.detail.adjustments')}</Typography.Title>
      {adjustments.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('applications.detail.noAdjustments')}</Typography.Paragraph>
      ) : (
        <Table
          size="small"
          rowKey={(row) => `${row.field}-${row.source}`}
          pagination={false}
          dataSource={adjustments}
          data-testid="application-check-adjustments"
          columns={[
            { title: t('applications.detail.adjustmentField'), dataIndex: 'field', render: (field: string) => fieldLabel(field.includes('.') ? field : `household.${field}`) },
            { title: t('applications.detail.adjustmentDeclared'), key: 'declared', render: (_, row) => checkValue(row.field, row.declared) },
            { title: t('applications.detail.adjustmentVerified'), key: 'verified', render: (_, row) => <Typography.Text strong>{checkValue(row.field, row.verified)}</Typography.Text> },
            { title: t('applications.detail.adjustmentSource'), dataIndex: 'source', width: 110, render: (kind: string) => optionLabel('sourceKinds', kind) },
          ]}
          style={{ marginBottom: 16 }}
        />
      )}
      <Typography.Title level={5}>{t('applications.detail.doubts')}</Typography.Title>
      {doubts.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('applications.detail.noDoubts')}</Typography.Paragraph>
      ) : (
        <ul data-testid="application-check-doubts">
          {doubts.map((doubt) => (
            <li key={doubt}>{doubtText(doubt)}</li>
          ))}
        </ul>
      )}
      {check.alreadyReceived && check.alreadyReceived.length > 0 ? (
        <Typography.Paragraph type="secondary">{t('applications.detail.alreadyReceived', { codes: check.alreadyReceived.join('、') })}</Typography.Paragraph>
      ) : null}
    </Card>
  );
}

/** An item's explanation for staff: why it was placed where it is, the rule condition by condition, the formula. */
function ItemExplanation({ item, units }: { item: ApplicationItem; units: UnitsByPath }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="application-item-explanation">
      <Typography.Text>
        <Typography.Text type="secondary">{t('applications.detail.modeReason')}：</Typography.Text>
        {item.modeReason}
      </Typography.Text>
      {item.errors.length > 0 ? (
        <Alert type="error" showIcon title={t('applications.detail.ruleErrors')} description={item.errors.map((error) => <div key={error}>{error}</div>)} data-testid="application-item-errors" />
      ) : null}
      {item.explanation?.rule ? <ExplanationTree node={item.explanation.rule} units={units} /> : null}
      {item.explanation?.formula ? <FormulaView formula={item.explanation.formula} units={units} /> : null}
      {!item.explanation?.rule && item.errors.length === 0 ? <Typography.Text type="secondary">{t('applications.detail.noExplanation')}</Typography.Text> : null}
    </Space>
  );
}

function ApplicationDetail({ application, onChanged }: { application: ApplicationView; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const amountText = useAmountText();
  const [decision, setDecision] = useState<{ item: ApplicationItem; kind: ItemDecisionKind } | null>(null);
  const canReview = can(PERMISSION.assistanceItemReview);
  const canReadPolicies = can(PERMISSION.assistancePolicyRead);
  const facts = useJson(canReadPolicies ? factsEndpoint() : null);
  const reference = useJson(canReadPolicies ? catalogueReferenceEndpoint() : null);
  const units = useMemo<UnitsByPath>(() => {
    const map = new Map<string, string>();
    for (const fact of facts.data ?? []) if (fact.unit) map.set(fact.path, fact.unit);
    for (const parameter of reference.data?.parameters ?? []) map.set(`params.${parameter.key}`, parameter.unit);
    return map;
  }, [facts.data, reference.data]);
  const isDraft = application.status === 'draft';
  const bundle = application.bundle;

  const overview: DescriptionsProps['items'] = [
    { key: 'reference', label: t('applications.detail.reference'), children: <span className="ms-mono">{application.reference}</span> },
    { key: 'status', label: t('applications.detail.status'), children: <ApplicationStatusTag status={application.status} /> },
    { key: 'channel', label: t('applications.detail.channel'), children: optionLabel('channels', application.channel) },
    { key: 'place', label: t('applications.detail.place'), children: application.place ? `${application.place.name}（${application.place.code}）` : '—' },
    { key: 'applicant', label: t('applications.detail.applicant'), children: application.applicantName || '—' },
    { key: 'idNumber', label: t('applications.detail.idNumber'), children: <span className="ms-mono">{application.applicantIdNumberMasked ?? '—'}</span> },
    { key: 'phone', label: t('applications.detail.phone'), children: <span className="ms-mono">{application.phoneMasked ?? '—'}</span> },
    { key: 'consent', label: t('applications.detail.consent'), children: application.consentDataCheck ? t('common.yes') : t('common.no') },
    { key: 'createdAt', label: t('applications.detail.createdAt'), children: formatTime(application.createdAt) },
    { key: 'submittedAt', label: t('applications.detail.submittedAt'), children: formatTime(application.submittedAt) },
    {
      key: 'situation',
      label: t('applications.detail.situation'),
      span: 'filled',
      children: application.situation ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{application.situation}</Typography.Paragraph> : '—',
    },
  ];

  const itemColumns: TableColumnsType<ApplicationItem> = [
    {
      title: t('applications.detail.itemPolicy'),
      key: 'policy',
      width: 220,
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <span>{nameOf(item.policyName)}</span>
          <Link to={`/matters/${item.matterId}`} className="ms-mono" style={{ fontSize: 12 }}>
            {item.matterReference}
          </Link>
        </Space>
      ),
    },
    {
      title: t('applications.detail.itemDepartment'),
      key: 'department',
      width: 200,
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <span>{nameOf(item.department)}</span>
          <Typography.Text type={item.organisationName ? 'secondary' : 'warning'} style={{ fontSize: 12 }}>
            {item.organisationName ?? t('applications.detail.noOrganisation')}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('applications.detail.itemMode'), dataIndex: 'mode', width: 110, render: (mode: string) => <ItemModeTag mode={mode} /> },
    { title: t('applications.detail.itemState'), dataIndex: 'state', width: 170, render: (state: string) => <ItemStateTag state={state} /> },
    { title: t('applications.detail.itemAmount'), key: 'amount', width: 150, render: (_, item) => amountText(item.amountFen, item.benefitPeriod) },
    {
      title: t('applications.detail.itemDue'),
      key: 'due',
      width: 150,
      render: (_, item) => (isUndecided(item.state) ? <DueTime dueAt={item.dueAt} isOverdue={item.dueAt !== null && dayjs(item.dueAt).isBefore(dayjs())} pendingYear={item.duePendingYear} /> : '—'),
    },
    {
      title: t('applications.detail.itemDecision'),
      key: 'decision',
      width: 220,
      render: (_, item) =>
        item.decision ? (
          <Space orientation="vertical" size={0}>
            <span>
              {optionLabel('itemStates', item.decision)} · {formatTime(item.decidedAt)}
            </span>
            {item.decisionReason ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="application-item-reason">
                {t('applications.detail.refusalReason', { reason: item.decisionReason })}
              </Typography.Text>
            ) : null}
          </Space>
        ) : (
          '—'
        ),
    },
    // Decisions are offered while an item waits for its department; a decided bundle shows none.
    ...(canReview && application.items.some((item) => item.state === 'reviewing' || item.state === 'rule_error')
      ? [
          {
            title: t('applications.detail.itemActions'),
            key: 'actions',
            width: 200,
            fixed: 'right' as const,
            render: (_: unknown, item: ApplicationItem) =>
              item.state === 'reviewing' ? (
                <Space size={4}>
                  <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setDecision({ item, kind: 'grant' })} data-testid="application-item-grant">
                    {t('applications.decide.grant')}
                  </Button>
                  <Button size="small" danger icon={<CloseOutlined />} onClick={() => setDecision({ item, kind: 'refuse' })} data-testid="application-item-refuse">
                    {t('applications.decide.refuse')}
                  </Button>
                </Space>
              ) : item.state === 'rule_error' ? (
                <Button size="small" icon={<FileSearchOutlined />} onClick={() => setDecision({ item, kind: 'review' })} data-testid="application-item-review">
                  {t('applications.decide.review')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div data-testid="application-detail" data-status={application.status} data-bundle-state={bundle?.state ?? ''}>
      <PageHeader
        title={t('applications.detail.title', { reference: application.reference })}
        crumbs={[{ title: t('nav.assistance') }, { title: t('applications.list.title'), to: '/assistance/applications' }, { title: application.reference }]}
        subtitle={
          <Space size={8}>
            <span>{application.applicantName}</span>
            {bundle ? <BundleStateTag state={bundle.state} /> : <ApplicationStatusTag status={application.status} />}
          </Space>
        }
        extra={
          <Space>
            {isDraft && application.draft && can(PERMISSION.assistanceApplicationWrite) ? (
              <Link to={applicationEditPath(application.id)}>
                <Button type="primary" icon={<EditOutlined />} data-testid="application-edit">
                  {t('applications.detail.edit')}
                </Button>
              </Link>
            ) : null}
            {isWithdrawable(application) && can(PERMISSION.assistanceApplicationWrite) ? <WithdrawButton application={application} onDone={onChanged} /> : null}
          </Space>
        }
      />
      {isDraft ? (
        <Alert
          type="info"
          showIcon
          title={t('applications.detail.draftNotice')}
          description={
            application.missing.length > 0 ? (
              <>
                <div>{t('applications.detail.missing')}：</div>
                <ul style={{ margin: 0 }}>
                  {application.missing.map((m) => (
                    <li key={m.field}>
                      {fieldLabel(m.field)}：{missingMessage(m)}
                    </li>
                  ))}
                </ul>
              </>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {bundle ? (
        <Card title={t('applications.detail.items')} data-testid="application-items" style={{ marginBottom: 16 }}>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              {
                key: 'bundle',
                label: t('applications.detail.bundleReference'),
                children: (
                  <Link to={`/matters/${bundle.matterId}`} className="ms-mono">
                    {bundle.reference}
                  </Link>
                ),
              },
              { key: 'state', label: t('applications.detail.bundleState'), children: <BundleStateTag state={bundle.state} /> },
              {
                key: 'due',
                label: t('applications.detail.dueAt'),
                children:
                  bundle.state === 'processing' ? <DueTime dueAt={bundle.dueAt} isOverdue={bundle.dueAt !== null && dayjs(bundle.dueAt).isBefore(dayjs())} pendingYear={bundle.duePendingYear} /> : '—',
              },
            ]}
            style={{ marginBottom: 12 }}
          />
          <Table<ApplicationItem>
            rowKey="id"
            size="middle"
            columns={itemColumns}
            dataSource={application.items}
            pagination={false}
            scroll={{ x: 1280 }}
            onRow={(item) => ({ 'data-testid': 'application-item', 'data-policy': item.policyCode, 'data-state': item.state }) as HTMLAttributes<HTMLElement>}
            expandable={{ expandedRowRender: (item) => <ItemExplanation item={item} units={units} />, rowExpandable: () => true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          />
        </Card>
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('applications.detail.overview')}>
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={overview} styles={{ label: { width: 140 } }} />
            </Card>
            <Card title={t('applications.detail.members')}>
              <Table
                size="small"
                rowKey={(_, index) => String(index)}
                pagination={false}
                dataSource={application.members}
                columns={[
                  { title: t('applications.detail.memberName'), dataIndex: 'name' },
                  { title: t('applications.detail.memberRelation'), dataIndex: 'relation', render: (relation: string) => optionLabel('options.relation', relation) },
                  { title: t('applications.detail.memberId'), dataIndex: 'idNumberMasked', render: (value: string | null) => <span className="ms-mono">{value ?? '—'}</span> },
                ]}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('applications.detail.materials')} data-testid="application-materials-card">
              {application.materials.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('applications.detail.noMaterials')} />
              ) : (
                <Table
                  size="small"
                  rowKey="index"
                  pagination={false}
                  dataSource={application.materials}
                  columns={[
                    { title: t('applications.detail.materialName'), dataIndex: 'code' },
                    {
                      title: t('applications.detail.fileName'),
                      key: 'file',
                      render: (_, material) => (
                        <a href={materialUrl(application.id, material.index)} target="_blank" rel="noreferrer" data-testid="application-material-link">
                          {material.fileName}
                        </a>
                      ),
                    },
                    { title: t('applications.detail.size'), dataIndex: 'size', width: 80, render: (size: number) => formatSize(size) },
                  ]}
                />
              )}
            </Card>
            {application.economicCheck ? (
              <EconomicCheckCard check={application.economicCheck} />
            ) : (
              <Card title={t('applications.detail.check')}>
                <Typography.Text type="secondary">{isDraft ? t('applications.detail.noCheck') : '—'}</Typography.Text>
              </Card>
            )}
          </Space>
        </Col>
      </Row>
      {decision ? (
        <ItemDecisionModal
          item={decision.item}
          kind={decision.kind}
          onClose={() => setDecision(null)}
          onDone={() => {
            message.success(t('applications.decide.done', { policy: nameOf(decision.item.policyName) }));
            setDecision(null);
            onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

/** 联办申请 in the console: the application, its bundle and items with their decisions, materials and the economic check. */
export function ApplicationDetailPage() {
  const { t } = useTranslation();
  const { applicationId = '' } = useParams();
  const application = useJson(applicationEndpoint(applicationId));
  const data = application.data && String(application.data.id) === applicationId ? application.data : undefined;
  if (application.error) {
    return (
      <>
        <PageHeader title={t('applications.detail.loadingTitle')} crumbs={[{ title: t('nav.assistance') }, { title: t('applications.list.title'), to: '/assistance/applications' }]} />
        <ErrorResult error={application.error} onRetry={application.reload} />
      </>
    );
  }
  if (!data) return <PageLoading />;
  return <ApplicationDetail key={applicationId} application={data} onChanged={application.reload} />;
}
