import { Alert, App as AntApp, Form, Input, Modal, Switch, type ButtonProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { performMatterAction, type MatterWithAssignment } from '../../api/matters';
import type { AppealActionDefinition } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';
import { actionErrorText, isStateConflict } from './actionErrors';
import { OrganisationPicker, PersonPicker } from './AssigneePickers';

interface MatterActionModalProps {
  matter: MatterWithAssignment;
  /** The action being taken; null when the modal is closed. */
  action: AppealActionDefinition | null;
  onClose: () => void;
  /** The server took the step and answered with the matter as it is now. */
  onDone: (matter: MatterWithAssignment) => void;
  /** The matter moved on under us (409): the page should load it again. */
  onStale: () => void;
}

interface ActionForm {
  note?: string;
  isSolved?: boolean;
  organisationId?: number;
  userId?: number;
}

/**
 * Confirms one step of the workflow, asking for the note (for callbacks, whether it was solved; for
 * a transfer (转办), the organisation that takes the matter and optionally one of its people).
 */
export function MatterActionModal({ matter, action, onClose, onDone, onStale }: MatterActionModalProps) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ActionForm>();
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const actionName = action ? enumLabel('matterActions', action.code) : '';
  const isAssigning = action !== null && matter.assigningActions.includes(action.code);
  const targetOrganisation = Form.useWatch('organisationId', form);

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
        organisationId: isAssigning ? values.organisationId : undefined,
        userId: isAssigning ? values.userId : undefined,
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
        // A person chosen for one organisation does not belong to the next one picked.
        onValuesChange={(changed: Partial<ActionForm>) => {
          if ('organisationId' in changed) form.setFieldValue('userId', undefined);
        }}
      >
        {isAssigning ? (
          <>
            <Form.Item name="organisationId" label={t('matters.transferTo')} rules={[{ required: true, message: t('matters.organisationRequired') }]}>
              <OrganisationPicker matterId={matter.id} purpose="transfer" testId="matter-transfer-org" />
            </Form.Item>
            {targetOrganisation !== undefined ? (
              <Form.Item name="userId" label={t('matters.transferPerson')} extra={t('matters.transferPersonHint')}>
                <PersonPicker key={targetOrganisation} matterId={matter.id} organisationId={targetOrganisation} testId="matter-transfer-user" />
              </Form.Item>
            ) : null}
          </>
        ) : null}
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
