import { RollbackOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withdrawApplication, type ApplicationView } from '../../../api/applications';
import { ErrorAlert } from '../../../components/ErrorAlert';

/** True while an application can still be withdrawn: a draft, or a bundle in progress. */
export function isWithdrawable(application: ApplicationView): boolean {
  return application.status === 'draft' || (application.status === 'submitted' && application.bundle?.state === 'processing');
}

/**
 * 撤回申请: asks for the reason and withdraws the application; items already decided keep their
 * decision. Used on the resident's status page and on the console's application page.
 */
export function WithdrawButton({ application, onDone, block = false, size }: { application: ApplicationView; onDone: () => void; block?: boolean; size?: ButtonProps['size'] }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [isOpen, setOpen] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async () => {
    const { reason } = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      await withdrawApplication(application.id, reason.trim());
      message.success(t('applications.withdraw.done'));
      setOpen(false);
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <Button danger block={block} size={size} icon={<RollbackOutlined />} onClick={() => setOpen(true)} data-testid="application-withdraw">
        {t('applications.withdraw.action')}
      </Button>
      <Modal
        open={isOpen}
        title={t('applications.withdraw.title', { reference: application.reference })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, 'data-testid': 'application-withdraw-confirm' } as ButtonProps}
        confirmLoading={isSubmitting}
        onOk={() => void submit().catch(() => undefined)}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('applications.withdraw.hint')}</Typography.Paragraph>
        {error ? <ErrorAlert error={error} /> : null}
        <Form form={form} layout="vertical" requiredMark>
          <Form.Item name="reason" label={t('applications.withdraw.reason')} rules={[{ required: true, whitespace: true, message: t('applications.withdraw.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="application-withdraw-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
