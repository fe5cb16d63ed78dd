import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography, type ButtonProps, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { addMatterCoHandler, assignMatterPerson, reportMatterCoHandler, withdrawMatterCoHandler, type MatterCoHandler, type MatterWithAssignment } from '../../api/matters';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { actionErrorText, isStateConflict } from './actionErrors';
import { OrganisationPicker, PersonPicker } from './AssigneePickers';
import { MATTER_TIME } from './MatterTags';

/** Which dialog is open: assigning a person, enlisting a unit, a unit's report, or releasing a unit. */
type Dialog = { kind: 'assign' } | { kind: 'add' } | { kind: 'report'; coHandler: MatterCoHandler } | { kind: 'withdraw'; coHandler: MatterCoHandler };

interface DialogForm {
  userId?: number;
  organisationId?: number;
  note?: string;
}

interface AssignmentCardProps {
  matter: MatterWithAssignment;
  /** The server changed the matter (or it moved on under us): load it again. */
  onChanged: () => void;
}

/**
 * 主办/协办: the lead unit and the person handling the matter (指派), the assisting units with their
 * status, and the dialogs to assign a person, enlist a unit, send a unit's report or release it.
 * The server decides who may do what; the buttons only follow the permissions it grants.
 */
export function AssignmentCard({ matter, onChanged }: AssignmentCardProps) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const [form] = Form.useForm<DialogForm>();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isOpen = matter.closedAt === null;
  const canDispatch = can(PERMISSION.matterDispatch);
  const canHandle = can(PERMISSION.matterHandle);
  const pending = matter.coHandlers.filter((unit) => unit.status === 'pending');

  const open = (next: Dialog) => {
    setError(null);
    setDialog(next);
  };

  const submit = async () => {
    if (!dialog) return;
    const values = await form.validateFields();
    const note = values.note?.trim() ?? '';
    setSubmitting(true);
    setError(null);
    try {
      switch (dialog.kind) {
        case 'assign':
          await assignMatterPerson(matter.id, values.userId ?? 0, note || undefined);
          message.success(t('matters.assignDone'));
          break;
        case 'add':
          await addMatterCoHandler(matter.id, values.organisationId ?? 0, note);
          message.success(t('matters.coHandlerAdded'));
          break;
        case 'report':
          await reportMatterCoHandler(matter.id, dialog.coHandler.organisationId, note);
          message.success(t('matters.coHandlerReported'));
          break;
        case 'withdraw':
          await withdrawMatterCoHandler(matter.id, dialog.coHandler.organisationId, note || undefined);
          message.success(t('matters.coHandlerWithdrawn'));
          break;
      }
      form.resetFields();
      setDialog(null);
      onChanged();
    } catch (failure) {
      setError(actionErrorText(failure));
      if (isStateConflict(failure)) onChanged();
    } finally {
      setSubmitting(false);
    }
  };

  const columns: TableColumnsType<MatterCoHandler> = [
    { title: t('matters.coHandlerUnit'), dataIndex: 'organisationName', width: 180 },
    {
      title: t('matters.coHandlerStatus'),
      dataIndex: 'status',
      width: 100,
      render: (status: MatterCoHandler['status']) => (
        <Tag color={status === 'pending' ? 'orange' : 'green'} data-testid="matter-co-handler-status" data-status={status}>
          {status === 'pending' ? t('matters.coHandlerPending') : t('matters.coHandlerDone')}
        </Tag>
      ),
    },
    {
      title: t('matters.coHandlerRequest'),
      dataIndex: 'request',
      render: (request: string, row) => (
        <>
          <div style={{ whiteSpace: 'pre-wrap' }}>{request}</div>
          {row.report ? (
            <div className="ms-timeline-note" data-testid="matter-co-handler-report-text">
              {row.report}
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {row.reportedByName ?? '—'} · {row.reportedAt ? dayjs(row.reportedAt).format(MATTER_TIME) : ''}
              </Typography.Text>
            </div>
          ) : null}
        </>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_: unknown, row) =>
        row.status === 'pending' && isOpen ? (
          <Space size={4} wrap>
            {row.isOwn && canHandle ? (
              <Button size="small" type="primary" onClick={() => open({ kind: 'report', coHandler: row })} data-testid="matter-co-handler-report">
                {t('matters.coHandlerReport')}
              </Button>
            ) : null}
            {canDispatch && matter.isInRegion ? (
              <Button size="small" danger onClick={() => open({ kind: 'withdraw', coHandler: row })} data-testid="matter-co-handler-withdraw">
                {t('matters.coHandlerWithdraw')}
              </Button>
            ) : null}
          </Space>
        ) : null,
    },
  ];

  const titles: Record<Dialog['kind'], string> = {
    assign: t('matters.assignTitle'),
    add: t('matters.coHandlerAddTitle'),
    report: t('matters.coHandlerReportTitle', { unit: dialog?.kind === 'report' ? dialog.coHandler.organisationName : '' }),
    withdraw: t('matters.coHandlerWithdrawTitle', { unit: dialog?.kind === 'withdraw' ? dialog.coHandler.organisationName : '' }),
  };
  const isNoteRequired = dialog?.kind === 'add' || dialog?.kind === 'report';
  let fields: ReactNode = null;
  if (dialog?.kind === 'assign') {
    fields = (
      <Form.Item name="userId" label={t('matters.assigneePerson')} rules={[{ required: true, message: t('matters.personRequired') }]}>
        <PersonPicker matterId={matter.id} testId="matter-assign-user" />
      </Form.Item>
    );
  } else if (dialog?.kind === 'add') {
    fields = (
      <Form.Item name="organisationId" label={t('matters.coHandlerUnit')} rules={[{ required: true, message: t('matters.organisationRequired') }]}>
        <OrganisationPicker matterId={matter.id} purpose="assist" testId="matter-co-handler-org" />
      </Form.Item>
    );
  }

  return (
    <Card
      title={t('matters.assignmentTitle')}
      data-testid="matter-assignment"
      extra={
        isOpen && matter.isInRegion && matter.coHandling?.isOpen && canDispatch ? (
          <Button size="small" onClick={() => open({ kind: 'add' })} data-testid="matter-co-handler-add">
            {t('matters.coHandlerAdd')}
          </Button>
        ) : null
      }
    >
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        styles={{ label: { width: 120 } }}
        items={[
          { key: 'lead', label: t('matters.leadUnit'), children: <span data-testid="matter-lead-unit">{matter.assigneeOrganisation?.name ?? '—'}</span> },
          {
            key: 'person',
            label: t('matters.assigneePerson'),
            children: (
              <Space size={8} wrap>
                <span data-testid="matter-assignee-user">{matter.assigneeUser?.displayName ?? t('matters.unassigned')}</span>
                {matter.canAssign ? (
                  <Button size="small" onClick={() => open({ kind: 'assign' })} data-testid="matter-assign">
                    {t('matters.assign')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {pending.length > 0 && matter.coHandling?.replyRequiresAssistants && isOpen ? (
        <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('matters.replyWaits', { units: pending.map((unit) => unit.organisationName).join('、') })} data-testid="matter-reply-waits" />
      ) : null}
      <div data-testid="matter-co-handlers" style={{ marginTop: 12 }}>
        <Table<MatterCoHandler>
          rowKey={(row) => String(row.organisationId)}
          size="small"
          columns={columns}
          dataSource={matter.coHandlers}
          pagination={false}
          locale={{ emptyText: t('matters.coHandlersEmpty') }}
          scroll={{ x: 560 }}
        />
      </div>
      <Modal
        open={dialog !== null}
        title={dialog ? titles[dialog.kind] : ''}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={isSubmitting}
        okButtonProps={{ 'data-testid': 'matter-assignment-confirm' } as ButtonProps}
        onOk={() => void submit().catch(() => undefined)}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="matter-assignment-error" /> : null}
        <Form<DialogForm> form={form} layout="vertical" requiredMark preserve={false}>
          {fields}
          <Form.Item
            name="note"
            label={dialog?.kind === 'add' ? t('matters.coHandlerRequest') : dialog?.kind === 'report' ? t('matters.coHandlerReportText') : t('matters.note')}
            rules={isNoteRequired ? [{ required: true, whitespace: true, message: t('matters.noteRequired') }] : []}
          >
            <Input.TextArea
              rows={4}
              maxLength={5000}
              showCount
              placeholder={isNoteRequired ? t('matters.notePlaceholder') : t('matters.noteOptionalPlaceholder')}
              data-testid="matter-assignment-note"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
