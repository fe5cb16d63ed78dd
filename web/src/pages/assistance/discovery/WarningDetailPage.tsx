import { App as AntApp, Button, Card, Col, Collapse, Descriptions, Empty, Form, Input, List, Modal, Row, Select, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  decideWarning,
  discoveryReferenceEndpoint,
  linkResource,
  setWarningNeeds,
  verifyWarning,
  warningEndpoint,
  WARNING_OUTCOMES,
  type DiscoveryReference,
  type MatchedResource,
  type WarningAction,
  type WarningDetail,
  type WarningOutcome,
} from '../../../api/discovery';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ErrorResult } from '../../../components/ErrorResult';
import { PageLoading } from '../../../components/PageLoading';
import { useJson } from '../../../hooks/useJson';
import { PageHeader } from '../../../layout/PageHeader';
import { MATTER_TIME } from '../../matters/MatterTags';
import { MatterTimeline } from '../../matters/MatterTimeline';
import { localName } from '../assistanceLabels';
import { categoryLabel, NeedTags, needLabel, outcomeLabel, WarningStateTag, warningKindLabel } from './discoveryLabels';

interface ActionValues {
  note?: string;
  categoryCode?: string;
  needs?: string[];
}

function isOutcome(action: WarningAction): action is WarningOutcome {
  return (WARNING_OUTCOMES as readonly string[]).includes(action);
}

/** The dialog of one action: verification, a decision, or the needs; each field checked before it is sent. */
function ActionModal(props: { warning: WarningDetail; action: Exclude<WarningAction, 'link_resource'>; reference: DiscoveryReference | undefined; onClose: () => void; onDone: (next: WarningDetail) => void }) {
  const { warning, action, reference } = props;
  const { t } = useTranslation();
  const [form] = Form.useForm<ActionValues>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      const note = values.note?.trim() ?? '';
      let next: WarningDetail;
      if (action === 'verify') next = await verifyWarning(warning.id, note);
      else if (action === 'set_needs') next = await setWarningNeeds(warning.id, values.needs ?? []);
      else next = await decideWarning(warning.id, { outcome: action, reason: note, ...(values.categoryCode ? { categoryCode: values.categoryCode } : {}) });
      props.onDone(next);
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={t(`discovery.actions.${action}`)}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'discovery-action-submit' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={props.onClose}
      destroyOnHidden
    >
      {action !== 'set_needs' ? <Typography.Paragraph type="secondary">{t(action === 'verify' ? 'discovery.actions.verifyHint' : 'discovery.actions.decideHint')}</Typography.Paragraph> : null}
      {error ? (
        <div data-testid="discovery-action-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Form form={form} layout="vertical" requiredMark initialValues={{ needs: warning.needs }}>
        {action === 'set_needs' ? (
          <Form.Item name="needs" label={t('discovery.actions.needs')} rules={[{ required: true, type: 'array', min: 1, message: t('discovery.actions.needsRequired') }]}>
            <Select mode="multiple" data-testid="discovery-action-needs" options={(reference?.needs ?? []).map((need) => ({ value: need.code, label: localName(need) }))} />
          </Form.Item>
        ) : (
          <Form.Item
            name="note"
            label={t(action === 'verify' ? 'discovery.actions.note' : 'discovery.actions.reason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t(action === 'verify' ? 'discovery.actions.noteRequired' : 'discovery.actions.reasonRequired') }]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t(action === 'verify' ? 'discovery.actions.notePlaceholder' : 'discovery.actions.reasonPlaceholder')} data-testid="discovery-action-note" />
          </Form.Item>
        )}
        {action === 'included' ? (
          <Form.Item name="categoryCode" label={t('discovery.actions.category')} extra={t('discovery.actions.categoryHint')}>
            <Select allowClear data-testid="discovery-action-category" options={(reference?.categories ?? []).map((category) => ({ value: category.code, label: localName(category) }))} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** Confirms a link with an optional note. */
function LinkModal({ warning, resource, onClose, onDone }: { warning: WarningDetail; resource: MatchedResource; onClose: () => void; onDone: (next: WarningDetail) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const submit = async () => {
    setSubmitting(true);
    setError(null);
    try {
      onDone(await linkResource(warning.id, resource.id, note.trim()));
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <Modal
      open
      title={`${t('discovery.actions.link_resource')} · ${resource.name}`}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'discovery-link-submit' } as ButtonProps}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error ? <ErrorAlert error={error} /> : null}
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'provider', label: t('discovery.detail.provider'), children: resource.providerName },
          { key: 'left', label: t('discovery.detail.placesLeft'), children: resource.placesLeft },
          { key: 'contact', label: t('discovery.detail.contact'), children: [resource.contactName, resource.contactPhoneMasked].filter(Boolean).join(' ') || '—' },
        ]}
      />
      <Input.TextArea rows={3} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} placeholder={t('discovery.actions.linkNotePlaceholder')} data-testid="discovery-link-note" />
    </Modal>
  );
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** The grounds of a warning, read for its kind; the raw data stays one click away. */
function EvidenceView({ warning, reference }: { warning: WarningDetail; reference: DiscoveryReference | undefined }) {
  const { t } = useTranslation();
  const evidence = warning.evidence;
  let body: ReactNode = null;
  if (warning.kind === 'illness_poverty_risk') {
    const comparison = record(evidence.comparison);
    const household = record(comparison.household);
    const stays = (Array.isArray(comparison.sources) ? comparison.sources : []).map(record).filter((source) => source.dataset === 'hospital');
    body = (
      <>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'oop', label: t('discovery.detail.outOfPocket'), children: `¥${text(evidence.outOfPocket)}` },
            { key: 'annual', label: t('discovery.detail.annualAssistance'), children: `¥${text(household.annualAssistance)}` },
            { key: 'members', label: t('discovery.detail.membersInAssistance'), children: text(household.membersInAssistance) },
            { key: 'run', label: t('discovery.detail.source'), children: t('discovery.detail.comparisonRun', { id: text(evidence.runId) }) },
            { key: 'computation', label: t('discovery.detail.computation'), span: 2, children: text(comparison.computation) },
          ]}
        />
        <Typography.Title level={5}>{t('discovery.detail.stays')}</Typography.Title>
        <Table
          size="small"
          pagination={false}
          rowKey={(row) => text(row.row)}
          dataSource={stays}
          columns={[
            { title: t('discovery.detail.admission'), dataIndex: 'admissionDate' },
            { title: t('discovery.detail.discharge'), dataIndex: 'dischargeDate', render: (value: unknown) => text(value) },
            { title: t('discovery.detail.outOfPocket'), dataIndex: 'outOfPocket', align: 'right', render: (value: unknown) => `¥${text(value)}` },
          ]}
        />
      </>
    );
  } else if (warning.kind === 'grid_visit') {
    const visit = record(evidence.visit);
    body = (
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'by', label: t('discovery.detail.visitBy'), children: text(visit.by) },
          { key: 'at', label: t('discovery.detail.visitAt'), children: typeof visit.at === 'string' ? dayjs(visit.at).format(MATTER_TIME) : '—' },
          { key: 'note', label: t('discovery.detail.visitNote'), children: text(visit.note) },
          { key: 'needs', label: t('discovery.detail.observedNeeds'), children: <NeedTags reference={reference} needs={Array.isArray(visit.needs) ? visit.needs.map(String) : []} /> },
        ]}
      />
    );
  } else if (warning.kind === 'breadwinner_death') {
    const deceased = record(evidence.deceased);
    const survivors = (Array.isArray(evidence.survivors) ? evidence.survivors : []).map(record);
    body = (
      <>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'name', label: t('discovery.detail.deceased'), children: `${text(deceased.name)}（${text(deceased.idNumberMasked)}）` },
            { key: 'relation', label: t('discovery.detail.relation'), children: text(deceased.relationToHead) },
            { key: 'age', label: t('discovery.detail.age'), children: text(deceased.age) },
            { key: 'recorded', label: t('discovery.detail.recordedAt'), children: typeof deceased.recordedAt === 'string' ? dayjs(deceased.recordedAt).format(MATTER_TIME) : '—' },
          ]}
        />
        <Typography.Title level={5}>{t('discovery.detail.survivors')}</Typography.Title>
        <Table
          size="small"
          pagination={false}
          rowKey={(row) => text(row.idNumberMasked)}
          dataSource={survivors}
          columns={[
            { title: t('discovery.warnings.name'), dataIndex: 'name' },
            { title: t('discovery.warnings.idNumber'), dataIndex: 'idNumberMasked', render: (value: unknown) => <span className="ms-mono">{text(value)}</span> },
            { title: t('discovery.detail.relation'), dataIndex: 'relationToHead', render: (value: unknown) => text(value) },
            { title: t('discovery.detail.age'), dataIndex: 'age' },
          ]}
        />
      </>
    );
  } else if (warning.kind === 'left_coverage') {
    body = (
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'category', label: t('discovery.detail.leftCategory'), children: categoryLabel(reference, text(evidence.category)) },
          { key: 'period', label: t('discovery.detail.leftPeriod'), children: `${text(evidence.since)} ~ ${text(evidence.until)}` },
          { key: 'reason', label: t('discovery.detail.endReason'), children: evidence.endReason ? t(`discovery.monitoring.endReasons.${String(evidence.endReason)}` as 'discovery.monitoring.endReasons.manual') : '—' },
          { key: 'entry', label: t('discovery.detail.source'), children: t('discovery.detail.monitoringEntry', { id: text(evidence.monitoringEntryId) }) },
        ]}
      />
    );
  }
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="discovery-warning-evidence">
      {body}
      <Collapse size="small" items={[{ key: 'raw', label: t('discovery.detail.raw'), children: <pre className="ms-mono" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(evidence, null, 2)}</pre> }]} />
    </Space>
  );
}

function WarningView({ warning, onChange }: { warning: WarningDetail; onChange: (next: WarningDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const reference = useJson(discoveryReferenceEndpoint());
  const [action, setAction] = useState<Exclude<WarningAction, 'link_resource'> | null>(null);
  const [linking, setLinking] = useState<MatchedResource | null>(null);
  const canLink = warning.actions.includes('link_resource');
  const buttons = warning.actions.filter((code): code is Exclude<WarningAction, 'link_resource'> => code !== 'link_resource');

  return (
    <div data-testid="discovery-warning-detail" data-state={warning.state}>
      <PageHeader
        title={`${warningKindLabel(warning.kind)} · ${warning.name}`}
        crumbs={[{ title: t('nav.assistance') }, { title: t('discovery.warnings.title'), to: '/assistance/warnings' }, { title: warning.reference }]}
        subtitle={
          <Space size={8}>
            <span className="ms-mono" data-testid="discovery-warning-reference">
              {warning.reference}
            </span>
            <WarningStateTag state={warning.state} />
            {warning.isOpen && warning.escalationLevel > 0 ? <Tag color="red">{t('discovery.warnings.escalated')}</Tag> : null}
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('discovery.detail.person')}>
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'name', label: t('discovery.warnings.name'), children: warning.name },
                  { key: 'id', label: t('discovery.warnings.idNumber'), children: <span className="ms-mono">{warning.idNumberMasked}</span> },
                  {
                    key: 'household',
                    label: t('discovery.detail.household'),
                    children: warning.householdId ? <Link to={`/households/${encodeURIComponent(String(warning.householdId))}`}>#{warning.householdId}</Link> : '—',
                  },
                  { key: 'place', label: t('discovery.warnings.place'), children: warning.placeName },
                  { key: 'assignee', label: t('discovery.warnings.assignee'), children: [warning.organisationName, warning.assigneeName].filter(Boolean).join(' · ') || '—' },
                  { key: 'due', label: t('discovery.warnings.dueAt'), children: warning.isOpen && warning.dueAt ? dayjs(warning.dueAt).format(MATTER_TIME) : '—' },
                  { key: 'needs', label: t('discovery.warnings.needs'), span: 2, children: <NeedTags reference={reference.data} needs={warning.needs} /> },
                  ...(warning.outcome
                    ? [
                        { key: 'outcome', label: t('discovery.warnings.outcome'), children: outcomeLabel(warning.outcome) },
                        { key: 'decidedAt', label: t('discovery.detail.decidedAt'), children: warning.decidedAt ? dayjs(warning.decidedAt).format(MATTER_TIME) : '—' },
                        { key: 'reason', label: t('discovery.detail.outcomeReason'), span: 2, children: warning.outcomeReason ?? '—' },
                      ]
                    : []),
                ]}
              />
            </Card>
            <Card title={t('discovery.detail.evidence')}>
              <EvidenceView warning={warning} reference={reference.data} />
            </Card>
            <Card title={t('discovery.detail.timeline')}>
              <MatterTimeline events={warning.timeline} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('discovery.detail.actionsTitle')}>
              {buttons.length === 0 ? (
                <Typography.Text type="secondary" data-testid="discovery-warning-no-actions">
                  {warning.isOpen ? t('discovery.detail.noActions') : t('discovery.detail.closedNotice')}
                </Typography.Text>
              ) : (
                <Space wrap>
                  {buttons.map((code, index) => (
                    <Button key={code} type={index === 0 ? 'primary' : 'default'} onClick={() => setAction(code)} data-testid={`discovery-warning-action-${code}`}>
                      {t(`discovery.actions.${code}`)}
                    </Button>
                  ))}
                </Space>
              )}
            </Card>
            {warning.isOpen ? (
              <Card title={t('discovery.detail.matched')} extra={<Typography.Text type="secondary">{t('discovery.detail.matchedHint')}</Typography.Text>}>
                <List
                  data-testid="discovery-matches"
                  dataSource={warning.matchedResources}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('discovery.detail.noMatches')} /> }}
                  renderItem={(resource) => (
                    <List.Item
                      actions={
                        canLink
                          ? [
                              <Button key="link" size="small" type="link" onClick={() => setLinking(resource)} data-testid={`discovery-link-${resource.id}`}>
                                {t('discovery.detail.link')}
                              </Button>,
                            ]
                          : []
                      }
                    >
                      <List.Item.Meta
                        title={
                          <Space size={4}>
                            <span>{resource.name}</span>
                            <Tag color="cyan">{needLabel(reference.data, resource.kind)}</Tag>
                          </Space>
                        }
                        description={`${resource.providerName} · ${resource.placeName} · ${t('discovery.detail.placesLeft')} ${resource.placesLeft} · ${t('discovery.detail.validUntil')} ${resource.validUntil ?? t('discovery.detail.longTerm')}`}
                      />
                    </List.Item>
                  )}
                />
              </Card>
            ) : null}
            <Card title={t('discovery.detail.linked')}>
              <List
                data-testid="discovery-linked"
                dataSource={warning.linkedResources}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('discovery.detail.noLinked')} /> }}
                renderItem={(resource) => (
                  <List.Item>
                    <List.Item.Meta
                      title={`${resource.name}（${needLabel(reference.data, resource.kind)}）`}
                      description={[resource.providerName, [resource.contactName, resource.contactPhoneMasked].filter(Boolean).join(' '), resource.note, `${resource.linkedBy ?? ''} ${dayjs(resource.linkedAt).format(MATTER_TIME)}`]
                        .filter(Boolean)
                        .join(' · ')}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Space>
        </Col>
      </Row>
      {action ? (
        <ActionModal
          warning={warning}
          action={action}
          reference={reference.data}
          onClose={() => setAction(null)}
          onDone={(next) => {
            setAction(null);
            message.success(t('discovery.actions.done', { action: isOutcome(action) ? outcomeLabel(action) : t(`discovery.actions.${action}`) }));
            onChange(next);
          }}
        />
      ) : null}
      {linking ? (
        <LinkModal
          warning={warning}
          resource={linking}
          onClose={() => setLinking(null)}
          onDone={(next) => {
            setLinking(null);
            message.success(t('discovery.actions.done', { action: t('discovery.actions.link_resource') }));
            onChange(next);
          }}
        />
      ) : null}
    </div>
  );
}

/** One warning (预警) with its grounds, the matching social resources, its decisions and its record. */
export function WarningDetailPage() {
  const { warningId = '' } = useParams();
  const warning = useJson(warningEndpoint(warningId));
  const [latest, setLatest] = useState<WarningDetail | null>(null);
  if (warning.error) return <ErrorResult error={warning.error} onRetry={warning.reload} />;
  const shown = latest && String(latest.id) === String(warning.data?.id) ? latest : warning.data;
  if (!shown) return <PageLoading />;
  return <WarningView warning={shown} onChange={setLatest} />;
}
