import { PhoneOutlined, SendOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Result, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { answerAppealDirectly, createAppeal, lookUpCaller, type CallerProfile } from '../../api/appeals';
import type { KnowledgeHit } from '../../api/knowledge';
import { performMatterAction } from '../../api/matters';
import { type AppealInput, type AppealKind, type Id } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { stateColor } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';
import { PageHeader } from '../../layout/PageHeader';
import { AppealCategoryField, AppealKindField, AppealLocationFields, AppealTitleField, type LocationMode } from './AppealFields';
import { CallerPanel } from './CallerPanel';
import { KnowledgePanel } from './KnowledgePanel';

interface CallForm {
  kind: AppealKind;
  categoryCode?: string;
  title?: string;
  description?: string;
  placeId?: string;
  lon?: number | null;
  lat?: number | null;
  reporterName?: string;
}

/** How the agent finishes the call: 直办 (answer and close at once) or 派单 (dispatch as triaged). */
type Finish = 'answer' | 'dispatch';

interface Outcome {
  matterId: Id;
  state: string;
  finish: Finish;
}

const PHONE = /^(1[3-9]\d{9}|0\d{9,11})$/;

/** A fresh idempotency key; `randomUUID` needs a secure context, so fall back to random bytes. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function normalisePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}


/**
 * 12345 坐席: one screen per call. The number brings up the caller's history and registry match;
 * the agent records the call once, and either answers it from the knowledge base on the spot
 * (直办, closed at once) or dispatches it to whoever triage (三事分流) named (派单).
 */
export function AgentConsolePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [form] = Form.useForm<CallForm>();
  const [phone, setPhone] = useState('');
  const [profile, setProfile] = useState<CallerProfile | null>(null);
  const [isLookingUp, setLookingUp] = useState(false);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [isPhoneInvalid, setPhoneInvalid] = useState(false);
  const [locationMode, setLocationMode] = useState<LocationMode>('place');
  const [article, setArticle] = useState<KnowledgeHit | null>(null);
  const [answer, setAnswer] = useState('');
  // One key per call: a double click or a retry after a failed second step registers the appeal once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState<Finish | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [createdId, setCreatedId] = useState<Id | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const title = Form.useWatch('title', form) ?? '';
  const description = Form.useWatch('description', form) ?? '';
  const categoryCode = Form.useWatch('categoryCode', form);
  const canAnswer = can(PERMISSION.matterDispatch);

  const lookUp = async () => {
    const number = normalisePhone(phone);
    setLookupError(null);
    setPhoneInvalid(!PHONE.test(number));
    if (!PHONE.test(number)) {
      setProfile(null);
      return;
    }
    setLookingUp(true);
    try {
      const found = await lookUpCaller(number);
      setProfile(found);
      const lastName = found.appeals.find((appeal) => appeal.reporterName)?.reporterName;
      if (lastName && !form.getFieldValue('reporterName')) form.setFieldValue('reporterName', lastName);
    } catch (failure) {
      setProfile(null);
      setLookupError(failure);
    } finally {
      setLookingUp(false);
    }
  };

  const chooseArticle = (hit: KnowledgeHit) => {
    setArticle(hit);
    setAnswer(hit.body);
    if (!form.getFieldValue('categoryCode') && hit.categoryCode) form.setFieldValue('categoryCode', hit.categoryCode);
    if (!form.getFieldValue('title')) form.setFieldValue('title', hit.title);
  };

  const toInput = (values: CallForm): AppealInput => {
    const trimmed = (text: string | undefined) => (text && text.trim() ? text.trim() : undefined);
    const number = normalisePhone(phone);
    const input: AppealInput = {
      kind: values.kind,
      door: 'hotline',
      categoryCode: values.categoryCode ?? '',
      title: (values.title ?? '').trim(),
      description: trimmed(values.description),
      reporterName: trimmed(values.reporterName),
      reporterPhone: PHONE.test(number) ? number : undefined,
    };
    if (locationMode === 'place' && values.placeId) input.placeId = Number(values.placeId);
    if (locationMode === 'point' && typeof values.lon === 'number' && typeof values.lat === 'number') {
      input.lon = values.lon;
      input.lat = values.lat;
    }
    return input;
  };

  const finish = async (how: Finish) => {
    let values: CallForm;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(how);
    setError(null);
    try {
      // A retry after the second step failed reuses the appeal already registered.
      const matterId = createdId ?? (await createAppeal(toInput(values), idempotencyKey)).matterId;
      setCreatedId(matterId);
      const state =
        how === 'answer'
          ? (await answerAppealDirectly(matterId, { articleId: article?.id, note: answer.trim() || undefined })).state
          : (await performMatterAction(matterId, 'dispatch', {})).state;
      setOutcome({ matterId, state, finish: how });
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(null);
    }
  };

  const nextCall = () => {
    form.resetFields();
    setPhone('');
    setProfile(null);
    setLookupError(null);
    setPhoneInvalid(false);
    setArticle(null);
    setAnswer('');
    setError(null);
    setCreatedId(null);
    setOutcome(null);
    setIdempotencyKey(newIdempotencyKey());
  };


  if (outcome) {
    return (
      <>
        <PageHeader title={t('agent.title')} crumbs={[{ title: t('nav.appeals') }, { title: t('agent.title') }]} />
        <Card data-testid="agent-result">
          <Result
            status="success"
            title={outcome.finish === 'answer' ? t('agent.answeredTitle') : t('agent.dispatchedTitle')}
            subTitle={
              <Space size={8}>
                <span>{t('agent.state')}</span>
                <Tag color={stateColor(outcome.state)} data-testid="agent-result-state">
                  {enumLabel('matterStates', outcome.state)}
                </Tag>
              </Space>
            }
            extra={[
              <Link key="view" to={`/matters/${encodeURIComponent(String(outcome.matterId))}`} data-testid="agent-result-link">
                <Button>{t('appeals.viewMatter')}</Button>
              </Link>,
              <Button key="next" type="primary" icon={<PhoneOutlined />} onClick={nextCall} data-testid="agent-next-call">
                {t('agent.nextCall')}
              </Button>,
            ]}
          />
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('agent.title')} subtitle={t('agent.subtitle')} crumbs={[{ title: t('nav.appeals') }, { title: t('agent.title') }]} />
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={t('agent.callerTitle')} style={{ marginBottom: 16 }}>
            <Input.Search
              value={phone}
              onChange={(event) => setPhone(event.target.value)}
              onSearch={() => void lookUp()}
              enterButton={
                <Button type="primary" icon={<PhoneOutlined />} loading={isLookingUp} data-testid="agent-lookup">
                  {t('agent.lookUp')}
                </Button>
              }
              placeholder={t('agent.phonePlaceholder')}
              maxLength={20}
              data-testid="agent-phone"
              style={{ maxWidth: 420, marginBottom: 12 }}
            />
            {isPhoneInvalid ? <Alert type="warning" showIcon title={t('agent.phoneInvalid')} style={{ marginBottom: 12 }} data-testid="agent-phone-invalid" /> : null}
            {lookupError ? <ErrorAlert error={lookupError} /> : null}
            {profile ? (
              <CallerPanel profile={profile} onUseName={(name) => form.setFieldValue('reporterName', name)} />
            ) : (
              <Typography.Text type="secondary">{t('agent.callerHint')}</Typography.Text>
            )}
          </Card>
          <Card title={t('agent.entryTitle')}>
            {error ? <ErrorAlert error={error} /> : null}
            {createdId !== null && error ? (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('agent.registeredAlready')}
                action={
                  <Link to={`/matters/${encodeURIComponent(String(createdId))}`}>
                    <Button size="small">{t('appeals.viewMatter')}</Button>
                  </Link>
                }
              />
            ) : null}
            <Form<CallForm> form={form} layout="vertical" requiredMark initialValues={{ kind: 'consultation' }} data-testid="agent-form" disabled={createdId !== null}>
              <Row gutter={16}>
                <Col xs={24} md={8}>
                  <AppealKindField testId="agent-kind" />
                </Col>
                <Col xs={24} md={16}>
                  <AppealCategoryField testId="agent-category" />
                </Col>
              </Row>
              <AppealTitleField testId="agent-title" />
              <Form.Item name="description" label={t('appeals.description')}>
                <Input.TextArea rows={3} maxLength={5000} placeholder={t('agent.descriptionPlaceholder')} data-testid="agent-description" />
              </Form.Item>
              <AppealLocationFields mode={locationMode} onModeChange={setLocationMode} testIdPrefix="agent" />
              <Form.Item name="reporterName" label={t('appeals.reporterName')}>
                <Input maxLength={50} data-testid="agent-reporter-name" />
              </Form.Item>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('agent.knowledgeTitle')} style={{ marginBottom: 16 }}>
            <KnowledgePanel callText={`${title} ${description}`} categoryCode={categoryCode} selectedId={article?.id ?? null} onSelect={chooseArticle} />
          </Card>
          <Card title={t('agent.finishTitle')}>
            {article ? (
              <Alert
                type="success"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('agent.citing', { title: article.title })}
                data-testid="agent-knowledge-selected"
                closable={{ onClose: () => setArticle(null) }}
              />
            ) : null}
            <Typography.Text type="secondary">{t('agent.answerLabel')}</Typography.Text>
            <Input.TextArea
              rows={6}
              value={answer}
              onChange={(event) => setAnswer(event.target.value)}
              maxLength={4000}
              placeholder={t('agent.answerPlaceholder')}
              data-testid="agent-answer-note"
              style={{ margin: '4px 0 16px' }}
            />
            <Space wrap>
              <Button
                type="primary"
                icon={<ThunderboltOutlined />}
                disabled={!canAnswer || (!answer.trim() && !article) || submitting !== null}
                loading={submitting === 'answer'}
                onClick={() => void finish('answer')}
                data-testid="agent-answer-directly"
              >
                {t('agent.answerDirectly')}
              </Button>
              <Button
                icon={<SendOutlined />}
                disabled={!canAnswer || submitting !== null}
                loading={submitting === 'dispatch'}
                onClick={() => void finish('dispatch')}
                data-testid="agent-dispatch"
              >
                {t('agent.dispatch')}
              </Button>
            </Space>
            <div style={{ marginTop: 8 }}>
              <Typography.Text type="secondary">{canAnswer ? t('agent.finishHint') : t('agent.noDispatchRight')}</Typography.Text>
            </div>
          </Card>
        </Col>
      </Row>
    </>
  );
}
