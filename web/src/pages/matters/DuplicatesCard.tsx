import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Table, type ButtonProps, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { duplicatesEndpoint, mergeAppeal } from '../../api/appeals';
import { ApiError } from '../../api/client';
import type { DuplicateCandidate, MatterDetail } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isMergeable } from '../../domain/appealType';
import { useJson } from '../../hooks/useJson';
import { actionErrorText, isStateConflict } from './actionErrors';
import { MatterStateTag } from './MatterTags';

/** Shortest merge reason the server accepts. */
const MIN_REASON_LENGTH = 2;

interface DuplicatesCardProps {
  matter: MatterDetail;
  /** The merge went through (or the matter moved on): load the matter again. */
  onChanged: () => void;
}

/** 疑似重复: open appeals that look like the same problem, each mergeable into with a reason. */
export function DuplicatesCard({ matter, onChanged }: DuplicatesCardProps) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const duplicates = useJson(duplicatesEndpoint(matter.id));
  const [form] = Form.useForm<{ reason: string }>();
  const [primary, setPrimary] = useState<DuplicateCandidate | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canMerge = can(PERMISSION.matterDispatch) && isMergeable(matter.state);
  // An assisting unit (协办) from another region reads the matter but not its neighbourhood.
  const isOutsideRegion = duplicates.error instanceof ApiError && duplicates.error.status === 404;

  const submit = async () => {
    if (!primary) return;
    const { reason } = await form.validateFields();
    setSubmitting(true);
    setError(null);
    try {
      await mergeAppeal(matter.id, primary.id, reason.trim());
      message.success(t('matters.merged', { reference: primary.reference }));
      setPrimary(null);
      onChanged();
    } catch (failure) {
      setError(actionErrorText(failure));
      if (isStateConflict(failure)) onChanged();
    } finally {
      setSubmitting(false);
    }
  };

  const columns: TableColumnsType<DuplicateCandidate> = [
    {
      title: t('matters.reference'),
      dataIndex: 'reference',
      width: 170,
      render: (reference: string, row) => (
        <Link to={`/matters/${encodeURIComponent(String(row.id))}`} className="ms-mono">
          {reference}
        </Link>
      ),
    },
    { title: t('matters.subject'), dataIndex: 'title', ellipsis: true },
    { title: t('matters.state'), dataIndex: 'state', width: 110, render: (state: string) => <MatterStateTag state={state} /> },
    {
      title: t('matters.distance'),
      dataIndex: 'distanceMetres',
      width: 100,
      align: 'right',
      render: (distance: number) => t('matters.metres', { distance: Math.round(distance).toLocaleString() }),
    },
    ...(canMerge
      ? [
          {
            title: t('common.actions'),
            key: 'merge',
            width: 90,
            render: (_: unknown, row: DuplicateCandidate) => (
              <Button
                size="small"
                onClick={() => {
                  setError(null);
                  setPrimary(row);
                }}
                data-testid="matter-merge"
              >
                {t('matters.merge')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  if (isOutsideRegion) return null;
  return (
    <Card title={t('matters.duplicates')} extra={<span className="ms-muted">{t('matters.duplicatesHint')}</span>} data-testid="matter-duplicates">
      {duplicates.error ? <ErrorAlert error={duplicates.error} onRetry={duplicates.reload} /> : null}
      <Table<DuplicateCandidate>
        rowKey={(row) => String(row.id)}
        size="small"
        columns={columns}
        dataSource={duplicates.data?.items ?? []}
        loading={duplicates.isLoading}
        pagination={false}
        locale={{ emptyText: duplicates.isLoading ? ' ' : t('matters.duplicatesEmpty') }}
        scroll={{ x: 640 }}
      />
      <Modal
        open={primary !== null}
        title={t('matters.mergeTitle')}
        okText={t('matters.merge')}
        cancelText={t('common.cancel')}
        confirmLoading={isSubmitting}
        okButtonProps={{ 'data-testid': 'matter-merge-confirm' } as ButtonProps}
        onOk={() => void submit().catch(() => undefined)}
        onCancel={() => setPrimary(null)}
        destroyOnHidden
      >
        <Alert
          type="info"
          showIcon
          title={t('matters.mergeIntro', { reference: matter.reference, primary: primary?.reference ?? '' })}
          style={{ marginBottom: 16 }}
        />
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
        <Form form={form} layout="vertical" requiredMark preserve={false}>
          <Form.Item
            name="reason"
            label={t('matters.mergeReason')}
            rules={[
              { required: true, whitespace: true, message: t('matters.mergeReasonRequired') },
              { min: MIN_REASON_LENGTH, message: t('matters.mergeReasonRequired') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('matters.mergeReasonPlaceholder')} data-testid="matter-merge-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
