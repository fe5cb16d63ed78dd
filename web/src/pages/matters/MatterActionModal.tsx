import { Alert, App as AntApp, Form, Input, Modal, Switch, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { performMatterAction } from '../../api/matters';
import type { MatterDetail } from '../../api/types';
import type { AppealActionDefinition } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';
import { actionErrorText, isStateConflict } from './actionErrors';

interface MatterActionModalProps {
  matter: MatterDetail;
  /** The action being taken; null when the modal is closed. */
  action: AppealActionDefinition | null;
  onClose: () => void;
  /** The server took the step and answered with the matter as it is now. */
  onDone: (matter: MatterDetail) => void;
  /** The matter moved on under us (409): the page should load it again. */
  onStale: () => void;
}

interface ActionForm {
  note?: string;
  isSolved?: boolean;
}

/** Confirms one step of the workflow, asking for the note (and for callbacks, whether it was solved). */
export function MatterActionModal({ matter, action, onClose, onDone, onStale }: MatterActionModalProps) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ActionForm>();
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const actionName = action ? enumLabel('matterActions', action.code) : '';

  const close = () => {
    setError(null);
    onClose();
  };

  const submit = async () => {
    if (!action) return;
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      const note = values.note?.trim();
      const updated = await performMatterAction(matter.id, action.code, {
        note: note ? note : undefined,
        isSolved: action.isCallback ? Boolean(values.isSolved) : undefined,
      });
      message.success(t('matters.actionDone', { action: actionName }));
      form.resetFields();
      onDone(updated);
    } catch (failure) {
      setError(actionErrorText(failure));
      if (isStateConflict(failure)) onStale();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={action !== null}
      title={t('matters.actionTitle', { action: actionName, reference: matter.reference })}
      okText={actionName || t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'matter-action-confirm' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={close}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="matter-action-error" /> : null}
      <Form<ActionForm>
        form={form}
        layout="vertical"
        requiredMark
        preserve={false}
        initialValues={{ isSolved: action?.code === 'callback_satisfied' }}
      >
        {action?.isCallback ? (
          <Form.Item name="isSolved" label={t('matters.isSolved')} valuePropName="checked">
            <Switch checkedChildren={t('matters.solved')} unCheckedChildren={t('matters.unsolved')} data-testid="matter-action-solved" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="note"
          label={t('matters.note')}
          rules={action?.isNoteRequired ? [{ required: true, whitespace: true, message: t('matters.noteRequired') }] : []}
        >
          <Input.TextArea
            rows={4}
            maxLength={5000}
            showCount
            placeholder={action?.isNoteRequired ? t('matters.notePlaceholder') : t('matters.noteOptionalPlaceholder')}
            data-testid="matter-action-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
