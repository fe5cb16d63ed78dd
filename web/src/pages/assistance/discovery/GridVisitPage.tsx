import { Button, Card, Checkbox, Form, Input, Radio, Result, Space, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { discoveryReferenceEndpoint, raiseGridVisit, type GridVisitInput } from '../../../api/discovery';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useJson } from '../../../hooks/useJson';
import { PageHeader } from '../../../layout/PageHeader';
import { localName } from '../assistanceLabels';
import { warningPath } from './discoveryLabels';
import { ResidentPicker } from './ResidentPicker';
import { PlaceField } from './PlaceField';

interface VisitValues {
  by: 'resident' | 'idNumber';
  residentId?: number;
  idNumber?: string;
  name?: string;
  placeId?: string;
  needs: string[];
  note: string;
}

/** A grid worker's visit (网格员走访发现): who, what was found, what is needed; it becomes a warning for the community's adviser. */
export function GridVisitPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [form] = Form.useForm<VisitValues>();
  const by = Form.useWatch('by', form) ?? 'resident';
  const reference = useJson(discoveryReferenceEndpoint());
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const [raised, setRaised] = useState<{ id: string | number; reference: string; organisationId: string | number | null } | null>(null);

  const submit = async (values: VisitValues) => {
    setSubmitting(true);
    setError(null);
    const input: GridVisitInput =
      values.by === 'resident'
        ? { residentId: values.residentId, needs: values.needs, note: values.note.trim() }
        : {
            idNumber: values.idNumber?.trim(),
            ...(values.name?.trim() ? { name: values.name.trim() } : {}),
            ...(values.placeId ? { placeId: Number(values.placeId) } : {}),
            needs: values.needs,
            note: values.note.trim(),
          };
    try {
      setRaised(await raiseGridVisit(input));
      form.resetFields();
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <PageHeader title={t('discovery.visit.title')} crumbs={[{ title: t('nav.assistance') }, { title: t('discovery.visit.title') }]} subtitle={t('discovery.visit.subtitle')} />
      <Card style={{ maxWidth: 720 }}>
        {raised ? (
          <Result
            status="success"
            title={raised.organisationId !== null ? t('discovery.visit.raised', { reference: raised.reference, organisation: t('discovery.visit.noCommunity') }) : t('discovery.visit.raisedNoOrganisation', { reference: raised.reference })}
            extra={
              <Space>
                {can(PERMISSION.assistanceWarningRead) ? (
                  <Link to={warningPath(raised.id)}>
                    <Button>{t('discovery.visit.viewWarning')}</Button>
                  </Link>
                ) : null}
                <Button type="primary" onClick={() => setRaised(null)} data-testid="discovery-visit-another">
                  {t('discovery.visit.another')}
                </Button>
              </Space>
            }
            data-testid="discovery-visit-raised"
          />
        ) : (
          <Form<VisitValues> form={form} layout="vertical" requiredMark initialValues={{ by: 'resident', needs: [] }} onFinish={(values) => void submit(values)}>
            {error ? (
              <div data-testid="discovery-visit-error">
                <ErrorAlert error={error} />
              </div>
            ) : null}
            <Form.Item name="by">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'resident', label: t('discovery.visit.byResident') },
                  { value: 'idNumber', label: t('discovery.visit.byIdNumber') },
                ]}
              />
            </Form.Item>
            {by === 'resident' ? (
              <Form.Item name="residentId" label={t('discovery.visit.resident')} rules={[{ required: true, message: t('discovery.visit.residentRequired') }]}>
                <ResidentPicker placeholder={t('discovery.visit.residentPlaceholder')} testId="discovery-visit-resident" />
              </Form.Item>
            ) : (
              <>
                <Form.Item name="idNumber" label={t('discovery.visit.idNumber')} rules={[{ required: true, whitespace: true, message: t('discovery.visit.idNumberRequired') }]}>
                  <Input maxLength={18} className="ms-mono" data-testid="discovery-visit-id-number" />
                </Form.Item>
                <Form.Item name="name" label={t('discovery.visit.name')} extra={t('discovery.visit.nameHint')}>
                  <Input maxLength={50} data-testid="discovery-visit-name" />
                </Form.Item>
                <Form.Item name="placeId" label={t('discovery.visit.place')}>
                  <PlaceField testId="discovery-visit-place" />
                </Form.Item>
              </>
            )}
            <Form.Item name="needs" label={t('discovery.visit.needs')} rules={[{ required: true, type: 'array', min: 1, message: t('discovery.visit.needsRequired') }]}>
              <Checkbox.Group data-testid="discovery-visit-needs" options={(reference.data?.needs ?? []).map((need) => ({ value: need.code, label: localName(need) }))} />
            </Form.Item>
            <Form.Item name="note" label={t('discovery.visit.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('discovery.visit.noteRequired') }]}>
              <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('discovery.visit.notePlaceholder')} data-testid="discovery-visit-note" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={isSubmitting} {...({ 'data-testid': 'discovery-visit-submit' } as ButtonProps)}>
              {t('discovery.visit.submit')}
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}
