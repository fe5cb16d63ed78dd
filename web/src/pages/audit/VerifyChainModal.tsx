import { Descriptions, Modal, Result, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditVerification, Id } from '../../api/types';

/** What the hash-chain verification found. */
export function VerifyChainModal({ result, onClose }: { result: AuditVerification | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={result !== null}
      title={t('audit.verifyTitle')}
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText={t('common.close')}
      width={720}
    >
      {result ? (
        <div data-testid="audit-verify-result">
          <Result
            status={result.isIntact ? 'success' : 'error'}
            title={result.isIntact ? t('audit.intact') : t('audit.broken')}
            style={{ padding: '16px 0' }}
          />
          <Descriptions
            bordered
            size="small"
            column={1}
            styles={{ label: { width: 140 } }}
            items={[
              { key: 'checked', label: t('audit.checked'), children: result.checked.toLocaleString() },
              {
                key: 'head',
                label: t('audit.headHash'),
                children: result.headHash ? (
                  <Typography.Text copyable className="ms-mono" style={{ wordBreak: 'break-all' }}>
                    {result.headHash}
                  </Typography.Text>
                ) : (
                  '—'
                ),
              },
            ]}
          />
          {result.problems.length > 0 ? (
            <Table<{ id: Id; reason: string }>
              style={{ marginTop: 16 }}
              size="small"
              rowKey={(row) => `${String(row.id)}-${row.reason}`}
              dataSource={result.problems}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              title={() => t('audit.problems')}
              columns={[
                { title: t('audit.problemId'), dataIndex: 'id', width: 120 },
                { title: t('audit.problemReason'), dataIndex: 'reason' },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
