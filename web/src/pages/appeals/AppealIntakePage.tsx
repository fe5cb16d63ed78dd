import { Button, Card, Col, Descriptions, Form, Input, Result, Row, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { createAppeal } from '../../api/appeals';
import { APPEAL_DOORS, type AppealDoor, type AppealInput, type AppealKind, type AppealTriage } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { enumLabel } from '../../domain/labels';
import { PageHeader } from '../../layout/PageHeader';
import { AppealCategoryField, AppealKindField, AppealLocationFields, AppealTitleField, type LocationMode } from './AppealFields';

interface IntakeForm {
  kind: AppealKind;
  door: AppealDoor;
  categoryCode: string;
  title: string;
  description?: string;
  placeId?: string;
  lon?: number | null;
  lat?: number | null;
  reporterName?: string;
  reporterPhone?: string;
}


const SCALE_COLORS: Record<string, string> = { major: 'red', minor: 'blue', private: 'default' };
const PHONE_PATTERN = /^[0-9+\-\s()]{3,20}$/;

/** A fresh idempotency key; `randomUUID` needs a secure context, so fall back to random bytes. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}


function TriageResult({ triage, onAnother }: { triage: AppealTriage; onAnother: () => void }) {
  const { t } = useTranslation();
  return (
    <Card data-testid="appeal-result">
      <Result
        status="success"
        title={t('appeals.resultTitle')}
        subTitle={
          <Descriptions
            size="small"
            column={1}
            style={{ maxWidth: 420, margin: '0 auto', textAlign: 'left' }}
            items={[
              {
                key: 'scale',
                label: t('appeals.triage'),
                children: (
                  <Tag color={SCALE_COLORS[triage.scale] ?? 'default'} data-testid="appeal-result-scale">
                    {enumLabel('appealScales', triage.scale)}
                  </Tag>
                ),
              },
              {
                key: 'level',
                label: t('appeals.handlerLevel'),
                children: <span data-testid="appeal-result-handler-level">{enumLabel('handlerLevels', triage.handlerLevel)}</span>,
              },
              ...(triage.handlerOrganisationId !== null
                ? [{ key: 'organisation', label: t('appeals.handlerOrganisation'), children: <span className="ms-mono">{String(triage.handlerOrganisationId)}</span> }]
                : []),
            ]}
          />
        }
        extra={[
          <Link key="view" to={`/matters/${encodeURIComponent(String(triage.matterId))}`} data-testid="appeal-result-link">
            <Button type="primary">{t('appeals.viewMatter')}</Button>
          </Link>,
          <Button key="again" onClick={onAnother} data-testid="appeal-another">
            {t('appeals.another')}
          </Button>,
        ]}
      />
    </Card>
  );
}

/** 12345 坐席 quick entry: one form, one matter, triaged on the spot (三事分流). */
export function AppealIntakePage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<IntakeForm>();
  const [locationMode, setLocationMode] = useState<LocationMode>('place');
  // One key per filled-in form: a double click or a retry registers the appeal once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [triage, setTriage] = useState<AppealTriage | null>(null);

  const submit = async (values: IntakeForm) => {
    setSubmitting(true);
    setError(null);
    const trimmed = (text: string | undefined) => (text && text.trim() ? text.trim() : undefined);
    const input: AppealInput = {
      kind: values.kind,
      door: values.door,
      categoryCode: values.categoryCode,
      title: values.title.trim(),
      description: trimmed(values.description),
      reporterName: trimmed(values.reporterName),
      reporterPhone: trimmed(values.reporterPhone),
    };
    if (locationMode === 'place' && values.placeId) input.placeId = Number(values.placeId);
    if (locationMode === 'point' && typeof values.lon === 'number' && typeof values.lat === 'number') {
      input.lon = values.lon;
      input.lat = values.lat;
    }
    try {
      setTriage(await createAppeal(input, idempotencyKey));
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  const startAnother = () => {
    form.resetFields();
    setTriage(null);
    setError(null);
    setIdempotencyKey(newIdempotencyKey());
  };

  const doorOptions = APPEAL_DOORS.map((door) => ({ value: door, label: enumLabel('appealDoors', door) }));

  return (
    <>
      <PageHeader
        title={t('appeals.intakeTitle')}
        subtitle={t('appeals.intakeSubtitle')}
        crumbs={[{ title: t('nav.appeals') }, { title: t('appeals.intakeTitle') }]}
      />
      {triage ? (
        <TriageResult triage={triage} onAnother={startAnother} />
      ) : (
        <Card>
          {error ? <ErrorAlert error={error} /> : null}
          <Form<IntakeForm>
            form={form}
            layout="vertical"
            requiredMark
            initialValues={{ kind: 'complaint', door: 'hotline' }}
            onFinish={(values) => void submit(values)}
            data-testid="appeal-form"
          >
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <AppealKindField testId="appeal-kind" />
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="door" label={t('appeals.door')} rules={[{ required: true }]}>
                  <Select options={doorOptions} data-testid="appeal-door" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <AppealCategoryField testId="appeal-category" />
              </Col>
            </Row>
            <AppealTitleField testId="appeal-title" showCount />
            <Form.Item name="description" label={t('appeals.description')}>
              <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('appeals.descriptionPlaceholder')} data-testid="appeal-description" />
            </Form.Item>
            <AppealLocationFields mode={locationMode} onModeChange={setLocationMode} testIdPrefix="appeal" />
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="reporterName" label={t('appeals.reporterName')}>
                  <Input maxLength={50} data-testid="appeal-reporter-name" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="reporterPhone" label={t('appeals.reporterPhone')} rules={[{ pattern: PHONE_PATTERN, message: t('appeals.reporterPhoneInvalid') }]}>
                  <Input maxLength={20} data-testid="appeal-reporter-phone" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item style={{ marginBottom: 0 }}>
              <Button type="primary" htmlType="submit" loading={isSubmitting} data-testid="appeal-submit">
                {t('appeals.submit')}
              </Button>
              <Button style={{ marginLeft: 8 }} onClick={() => form.resetFields()} disabled={isSubmitting}>
                {t('appeals.reset')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
    </>
  );
}
