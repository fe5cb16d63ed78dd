import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, Modal, Row, Select, Space, Statistic, Table, Typography, type ButtonProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  confirmFinding,
  DISMISSAL_REASONS,
  dismissFinding,
  findingEndpoint,
  recordRecovery,
  setAmountToRecover,
  settleFinding,
  unmaskFinding,
  type FindingAction,
  type FindingDetail,
} from '../../api/compare';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RevealModal } from '../../components/RevealModal';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { MATTER_TIME } from '../matters/MatterTags';
import { MatterTimeline } from '../matters/MatterTimeline';
import { dismissalLabel, FindingStateTag, findingPath, methodLabel, regionSourceLabel, ruleLabel, runPath, yuan } from './compareLabels';
import { EvidenceExplanation } from './EvidenceExplanation';

/** Amounts as people type them: yuan with at most two decimals, commas allowed. */
const AMOUNT = /^[¥￥]?\s*\d{1,3}(,?\d{3})*(\.\d{1,2})?$|^[¥￥]?\s*\d+(\.\d{1,2})?$/;

interface ActionValues {
  note?: string;
  amount?: string;
  reason?: string;
  recoveredOn?: dayjs.Dayjs;
}

/** The dialog of one action on a finding: the fields it needs, validated before they are sent. */
function ActionModal({ finding, action, onClose, onDone }: { finding: FindingDetail; action: FindingAction; onClose: () => void; onDone: (next: FindingDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ActionValues>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const amountRules = (isRequired: boolean) => [
    { required: isRequired, message: t('compare.actions.amountRequired') },
    { pattern: AMOUNT, message: t('compare.actions.amountInvalid') },
  ];

  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      const note = values.note?.trim() ?? '';
      const amount = values.amount?.trim() ?? '';
      let next: FindingDetail;
      switch (action) {
        case 'confirm':
          next = await confirmFinding(finding.id, { note, ...(amount ? { amountToRecover: amount } : {}) });
          break;
        case 'dismiss':
          next = await dismissFinding(finding.id, { reason: values.reason ?? '', note });
          break;
        case 'set_amount_to_recover':
          next = await setAmountToRecover(finding.id, { amount, ...(note ? { note } : {}) });
          break;
        case 'record_recovery':
          next = await recordRecovery(finding.id, { amount, recoveredOn: (values.recoveredOn ?? dayjs()).format('YYYY-MM-DD'), ...(note ? { note } : {}) });
          break;
        case 'settle':
          next = await settleFinding(finding.id, note ? { note } : {});
          break;
      }
      onDone(next);
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={t(`compare.actions.${action}`)}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'compare-action-submit' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t(`compare.actions.${action}Hint`)}</Typography.Paragraph>
      {error ? (
        <div data-testid="compare-action-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Form form={form} layout="vertical" requiredMark initialValues={{ recoveredOn: dayjs(), amount: action === 'set_amount_to_recover' ? (finding.amountToRecover ?? finding.amountAtStake) : undefined }}>
        {action === 'dismiss' ? (
          <Form.Item name="reason" label={t('compare.actions.reason')} rules={[{ required: true, message: t('compare.actions.reasonRequired') }]}>
            <Select data-testid="compare-action-reason" options={DISMISSAL_REASONS.map((reason) => ({ value: reason, label: dismissalLabel(reason) }))} />
          </Form.Item>
        ) : null}
        {action === 'confirm' || action === 'set_amount_to_recover' || action === 'record_recovery' ? (
          <Form.Item
            name="amount"
            label={action === 'record_recovery' ? t('compare.actions.amountRecovered') : t('compare.actions.amountToRecover')}
            extra={action === 'confirm' ? t('compare.actions.amountToRecoverHint', { amount: yuan(finding.amountAtStake) }) : undefined}
            rules={amountRules(action !== 'confirm')}
          >
            <Input prefix="¥" inputMode="decimal" data-testid="compare-action-amount" />
          </Form.Item>
        ) : null}
        {action === 'record_recovery' ? (
          <Form.Item name="recoveredOn" label={t('compare.actions.recoveredOn')} rules={[{ required: true, message: t('compare.actions.dateRequired') }]}>
            <DatePicker allowClear={false} disabledDate={(day) => day.isAfter(dayjs(), 'day')} data-testid="compare-action-date" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="note"
          label={t('compare.actions.note')}
          rules={action === 'confirm' || action === 'dismiss' ? [{ required: true, whitespace: true, message: t('compare.actions.noteRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t(`compare.actions.${action}Placeholder`)} data-testid="compare-action-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FindingView({ finding, onChange }: { finding: FindingDetail; onChange: (next?: FindingDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [action, setAction] = useState<FindingAction | null>(null);
  const [isUnmasking, setUnmasking] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);

  return (
    <div data-testid="compare-finding-detail" data-state={finding.state}>
      <PageHeader
        title={`${ruleLabel(finding.rule)} · ${finding.name}`}
        crumbs={[{ title: t('nav.compare') }, { title: t('compare.findings.title'), to: '/compare/findings' }, { title: finding.reference }]}
        subtitle={
          <Space size={8}>
            <span className="ms-mono" data-testid="compare-finding-reference">
              {finding.reference}
            </span>
            <FindingStateTag state={finding.state} />
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('compare.findings.suspect')}>
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'name', label: t('compare.findings.name'), children: finding.name },
                  {
                    key: 'id',
                    label: t('compare.findings.idNumber'),
                    children: (
                      <Space size={4}>
                        <span className="ms-mono" data-testid={revealed ? 'compare-finding-id-number' : 'compare-finding-id-masked'}>
                          {revealed ?? finding.idNumberMasked}
                        </span>
                        {revealed ? (
                          <Button size="small" type="link" icon={<EyeInvisibleOutlined />} onClick={() => setRevealed(null)} data-testid="compare-finding-hide">
                            {t('residents.hide')}
                          </Button>
                        ) : finding.canUnmask ? (
                          <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setUnmasking(true)} data-testid="compare-finding-reveal">
                            {t('residents.reveal')}
                          </Button>
                        ) : null}
                      </Space>
                    ),
                  },
                  { key: 'rule', label: t('compare.findings.rule'), children: `${ruleLabel(finding.rule)}（${finding.rule}）` },
                  { key: 'method', label: t('compare.findings.match'), children: `${methodLabel(finding.matchMethod)} · ${finding.matchScore}` },
                  { key: 'place', label: t('compare.findings.place'), children: `${finding.placeName}（${regionSourceLabel(finding.regionSource)}）` },
                  {
                    key: 'runs',
                    label: t('compare.findings.runs'),
                    children: (
                      <Space size={4}>
                        <Link to={runPath(finding.firstRunId)}>#{finding.firstRunId}</Link>
                        {String(finding.lastRunId) !== String(finding.firstRunId) ? (
                          <>
                            → <Link to={runPath(finding.lastRunId)}>#{finding.lastRunId}</Link>
                          </>
                        ) : null}
                      </Space>
                    ),
                  },
                  { key: 'due', label: t('compare.findings.dueAt'), children: finding.dueAt && finding.isOpen ? dayjs(finding.dueAt).format(MATTER_TIME) : '—' },
                  ...(finding.dismissalReason ? [{ key: 'dismissal', label: t('compare.findings.dismissalReason'), children: dismissalLabel(finding.dismissalReason) }] : []),
                  ...(finding.previousFindingId
                    ? [{ key: 'previous', label: t('compare.findings.previous'), children: <Link to={findingPath(finding.previousFindingId)}>{t('compare.findings.previousLink', { id: finding.previousFindingId })}</Link> }]
                    : []),
                ]}
              />
            </Card>
            <Card title={t('compare.findings.evidence')}>
              <EvidenceExplanation evidence={finding.evidence} rule={finding.rule} matchMethod={finding.matchMethod} matchScore={finding.matchScore} />
            </Card>
            <Card title={t('compare.findings.timeline')}>
              <MatterTimeline events={finding.timeline} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('compare.findings.actionsTitle')}>
              {finding.actions.length === 0 ? (
                <Typography.Text type="secondary" data-testid="compare-finding-no-actions">
                  {finding.isOpen ? t('compare.findings.noActions') : t('compare.findings.closedNotice')}
                </Typography.Text>
              ) : (
                <Space wrap>
                  {finding.actions.map((code, index) => (
                    <Button key={code} type={index === 0 ? 'primary' : 'default'} danger={code === 'dismiss'} onClick={() => setAction(code)} data-testid={`compare-finding-action-${code}`}>
                      {t(`compare.actions.${code}`)}
                    </Button>
                  ))}
                </Space>
              )}
            </Card>
            <Card title={t('compare.findings.money')}>
              <Row gutter={[8, 16]}>
                <Col span={12}>
                  <Statistic title={t('compare.findings.amountAtStake')} value={yuan(finding.amountAtStake)} data-testid="compare-finding-amount-at-stake" />
                </Col>
                <Col span={12}>
                  <Statistic title={t('compare.findings.amountToRecover')} value={yuan(finding.amountToRecover)} data-testid="compare-finding-amount-to-recover" />
                </Col>
                <Col span={12}>
                  <Statistic title={t('compare.findings.recovered')} value={yuan(finding.amountRecovered)} data-testid="compare-finding-amount-recovered" />
                </Col>
              </Row>
              <Table
                data-testid="compare-finding-recoveries"
                size="small"
                style={{ marginTop: 16 }}
                pagination={false}
                rowKey={(row) => String(row.id)}
                dataSource={finding.recoveries}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('compare.findings.noRecoveries')} /> }}
                columns={[
                  { title: t('compare.actions.recoveredOn'), dataIndex: 'recoveredOn', width: 110 },
                  { title: t('compare.actions.amountRecovered'), dataIndex: 'amount', align: 'right', render: (amount: string) => yuan(amount) },
                  { title: t('compare.actions.note'), dataIndex: 'note', ellipsis: true },
                ]}
              />
            </Card>
          </Space>
        </Col>
      </Row>
      {action ? (
        <ActionModal
          finding={finding}
          action={action}
          onClose={() => setAction(null)}
          onDone={(next) => {
            setAction(null);
            message.success(t('compare.actions.done', { action: t(`compare.actions.${action}`) }));
            onChange(next);
          }}
        />
      ) : null}
      {isUnmasking ? (
        <RevealModal
          isOpen
          subject={finding.name}
          title={t('compare.findings.revealTitle')}
          reveal={(reason) => unmaskFinding(finding.id, reason)}
          testIdPrefix="compare-unmask"
          onClose={() => setUnmasking(false)}
          onRevealed={({ idNumber }) => {
            setUnmasking(false);
            setRevealed(idNumber);
            message.info(t('residents.revealed'));
          }}
        />
      ) : null}
    </div>
  );
}

/** One suspicious record (疑点) with its evidence explained, its actions, its money and its timeline. */
export function FindingDetailPage() {
  const { findingId = '' } = useParams();
  const finding = useJson(findingEndpoint(findingId));
  const [latest, setLatest] = useState<FindingDetail | null>(null);
  if (finding.error) return <ErrorResult error={finding.error} onRetry={finding.reload} />;
  const shown = latest && String(latest.id) === String(finding.data?.id) ? latest : finding.data;
  if (!shown) return <PageLoading />;
  return (
    <FindingView
      finding={shown}
      onChange={(next) => {
        if (next) setLatest(next);
        else finding.reload();
      }}
    />
  );
}
