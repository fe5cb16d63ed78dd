import { Alert, Form, Input, Modal, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert';

/** Shortest reason the server accepts (核查 is a reason; 1 is not). */
const MIN_REASON_LENGTH = 2;

interface RevealModalProps<T> {
  /** Whose personal data it is, shown in the title. */
  subject: string;
  /** What is revealed; by default the whole of a person's personal fields. */
  title?: string;
  isOpen: boolean;
  /** Reads the full fields through an audited endpoint, with the reason given. */
  reveal: (reason: string) => Promise<T>;
  onClose: () => void;
  onRevealed: (fields: T, reason: string) => void;
  /** Prefix of the test ids: `<prefix>-reason` and `<prefix>-confirm`. */
  testIdPrefix: string;
}

/** Asks why the full personal fields are needed, then reads them through the audited endpoint. */
export function RevealModal<T>({ subject, title, isOpen, reveal, onClose, onRevealed, testIdPrefix }: RevealModalProps<T>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async () => {
    const { reason } = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      const fields = await reveal(reason.trim());
      onRevealed(fields, reason.trim());
      form.resetFields();
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={isOpen}
      title={`${title ?? t('residents.revealTitle')} · ${subject}`}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': `${testIdPrefix}-confirm` } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('residents.revealIntro')} style={{ marginBottom: 16 }} />
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item
          name="reason"
          label={t('residents.reason')}
          rules={[
            { required: true, whitespace: true, message: t('residents.reasonRequired') },
            { min: MIN_REASON_LENGTH, message: t('residents.reasonTooShort', { min: MIN_REASON_LENGTH }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t('residents.reasonPlaceholder')} data-testid={`${testIdPrefix}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
