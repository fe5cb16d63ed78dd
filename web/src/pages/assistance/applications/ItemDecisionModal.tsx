import { Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { decideItem, takeItemIntoReview, type ApplicationItem, type ApplicationView } from '../../../api/applications';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { fenFromYuan, yuanFromFen } from '../assistanceLabels';
import { nameOf } from './applicationLabels';

/** What a department handler does with an item: grant, refuse, or take a rule-error item into review. */
export type ItemDecisionKind = 'grant' | 'refuse' | 'review';

interface Values {
  amount?: string;
  reason?: string;
  note?: string;
}

/**
 * The dialog of a department's decision on one item (部门审核): a grant at the evaluated amount
 * or another one, a refusal with the reason the resident will read, or — for an item a rule
 * could not decide — the manual check that takes it into review. The server checks that the
 * account belongs to the item's department.
 */
export function ItemDecisionModal({ item, kind, onClose, onDone }: { item: ApplicationItem; kind: ItemDecisionKind; onClose: () => void; onDone: (application: ApplicationView) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const policy = nameOf(item.policyName);
  const titles = { grant: t('applications.decide.grantTitle', { policy }), refuse: t('applications.decide.refuseTitle', { policy }), review: t('applications.decide.reviewTitle', { policy }) };
  const hints = { grant: t('applications.decide.grantHint'), refuse: t('applications.decide.refuseHint'), review: t('applications.decide.reviewHint') };

  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      let next: ApplicationView;
      switch (kind) {
        case 'grant': {
          const amount = values.amount?.trim() ? fenFromYuan(values.amount) : null;
          next = await decideItem(item.id, { decision: 'grant', ...(amount !== null ? { amountFen: amount } : {}) });
          break;
        }
        case 'refuse':
          next = await decideItem(item.id, { decision: 'refuse', reason: values.reason?.trim() ?? '' });
          break;
        case 'review':
          next = await takeItemIntoReview(item.id, values.note?.trim() ?? '');
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
      title={titles[kind]}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: kind === 'refuse', 'data-testid': 'application-decision-confirm' } as ButtonProps}
      confirmLoading={isSubmitting}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{hints[kind]}</Typography.Paragraph>
      {error ? (
        <div data-testid="application-decision-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Form form={form} layout="vertical" requiredMark>
        {kind === 'grant' && item.benefitPeriod !== 'none' ? (
          <Form.Item
            name="amount"
            label={t('applications.decide.amount')}
            extra={t('applications.decide.amountHint', { amount: yuanFromFen(item.amountFen) })}
            rules={[{ validator: async (_, value: string | undefined) => (!value?.trim() || fenFromYuan(value) !== null ? undefined : Promise.reject(new Error(t('applications.decide.amountInvalid')))) }]}
          >
            <Input prefix="¥" inputMode="decimal" data-testid="application-decision-amount" />
          </Form.Item>
        ) : null}
        {kind === 'refuse' ? (
          <Form.Item name="reason" label={t('applications.decide.reason')} rules={[{ required: true, whitespace: true, message: t('applications.decide.reasonRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="application-decision-reason" />
          </Form.Item>
        ) : null}
        {kind === 'review' ? (
          <Form.Item name="note" label={t('applications.decide.note')} rules={[{ required: true, whitespace: true, message: t('applications.decide.noteRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="application-decision-note" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
