import { EditOutlined, ExperimentOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { policyEndpoint, serviceListsEndpoint, type PolicyDetail } from '../../api/assistance';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { localName, PolicyStatusTag, ReviewFreeTag } from './assistanceLabels';
import { RuleTree } from './RuleViews';

const SAVED_TIME = 'YYYY-MM-DD HH:mm';
const ALL_LISTS = { page: 1, pageSize: 200 } as const;

/** A policy's page: what it gives, who handles it, its rule as readable conditions, its materials and versions. */
export function PolicyDetailPage() {
  const { policyId = '' } = useParams();
  const policy = useJson(/^\d+$/.test(policyId) ? policyEndpoint(policyId) : null);
  if (!/^\d+$/.test(policyId)) return <ErrorResult error={new Error('not found')} />;
  if (policy.error) return <ErrorResult error={policy.error} onRetry={policy.reload} />;
  if (!policy.data) return <PageLoading />;
  return <PolicyView policy={policy.data} />;
}

function PolicyView({ policy }: { policy: PolicyDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const lists = useJson(serviceListsEndpoint(ALL_LISTS));
  const listName = (code: string) => {
    const found = lists.data?.items.find((l) => l.code === code);
    return found ? localName(found) : code;
  };

  return (
    <div data-testid="assistance-policy-detail" data-policy-code={policy.code}>
      <PageHeader
        title={localName(policy)}
        subtitle={<span className="ms-mono">{policy.code}</span>}
        crumbs={[{ title: t('nav.assistance') }, { title: t('assistance.catalogue.title'), to: '/assistance/policies' }, { title: localName(policy) }]}
        extra={
          <Space>
            <Button icon={<ExperimentOutlined />} onClick={() => void navigate(`/assistance/tester?policy=${encodeURIComponent(policy.code)}`)} data-testid="assistance-policy-test">
              {t('assistance.detail.test')}
            </Button>
            {can(PERMISSION.assistancePolicyWrite) ? (
              <Button type="primary" icon={<EditOutlined />} onClick={() => void navigate(`/assistance/policies/${policy.id}/edit`)} data-testid="assistance-policy-edit">
                {t('assistance.detail.edit')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {policy.ruleProblems.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('assistance.detail.ruleBroken')}
          description={policy.ruleProblems.map((p) => (
            <div key={`${p.path}-${p.message}`}>{`${p.condition ?? p.path}: ${p.message}`}</div>
          ))}
          data-testid="assistance-rule-problems"
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('assistance.detail.overview')}>
            <Descriptions column={1} size="small" bordered data-testid="assistance-policy-facts">
              <Descriptions.Item label={t('assistance.policy.department')}>{localName(policy.department)}</Descriptions.Item>
              <Descriptions.Item label={t('assistance.detail.handledBy')}>
                {policy.handlingOrganisations.length > 0 ? (
                  <Space size={[4, 4]} wrap data-testid="assistance-handling-organisations">
                    {policy.handlingOrganisations.map((o) => (
                      <Tag key={o.id}>{o.name}</Tag>
                    ))}
                  </Space>
                ) : (
                  <span className="ms-muted">{t('assistance.detail.noHandler')}</span>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('assistance.policy.category')}>{localName(policy.category)}</Descriptions.Item>
              <Descriptions.Item label={t('assistance.detail.summary')}>{policy.summary || t('common.none')}</Descriptions.Item>
              <Descriptions.Item label={t('assistance.policy.benefit')}>{t(`assistance.periods.${policy.benefitPeriod}`)}</Descriptions.Item>
              <Descriptions.Item label={t('assistance.policy.timeLimit')}>
                <span data-testid="assistance-time-limit">{t('assistance.policy.workingDays', { count: policy.timeLimitDays })}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('assistance.policy.grant')}>
                {policy.isReviewFree ? (
                  <Space>
                    <ReviewFreeTag />
                    <span>{t('assistance.detail.reviewFreeText')}</span>
                  </Space>
                ) : (
                  t('assistance.detail.reviewText')
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('assistance.policy.status')}>
                <Space>
                  <PolicyStatusTag status={policy.status} />
                  <span className="ms-muted">{t('assistance.detail.version', { version: policy.version, at: dayjs(policy.updatedAt).format(SAVED_TIME) })}</span>
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('assistance.detail.lists')}>
                <Space size={[4, 4]} wrap>
                  {policy.serviceListCodes.map((code) => (
                    <Link key={code} to={`/assistance/policies?serviceListCode=${encodeURIComponent(code)}`}>
                      <Tag color="geekblue">{listName(code)}</Tag>
                    </Link>
                  ))}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t('assistance.detail.legalBasis')}>{policy.legalBasis || t('common.none')}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('assistance.detail.materials')} style={{ marginBottom: 16 }}>
            {policy.materials.length > 0 ? (
              <List size="small" dataSource={policy.materials} renderItem={(item) => <List.Item>{item}</List.Item>} data-testid="assistance-materials" />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assistance.detail.noMaterials')} />
            )}
          </Card>
          <Card title={t('assistance.detail.revisions')}>
            <Table
              size="small"
              rowKey="version"
              pagination={false}
              dataSource={policy.revisions}
              columns={[
                { title: t('assistance.detail.revision'), dataIndex: 'version', width: 80 },
                { title: t('assistance.detail.savedAt'), dataIndex: 'changedAt', render: (at: string) => dayjs(at).format(SAVED_TIME) },
                { title: t('assistance.detail.savedBy'), dataIndex: 'changedBy', render: (by: string | null) => by ?? t('assistance.detail.shipped') },
              ]}
              data-testid="assistance-revisions"
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('assistance.detail.rule')}>
            <Typography.Paragraph type="secondary">{t('assistance.detail.ruleIntro')}</Typography.Paragraph>
            <RuleTree node={policy.eligibility} />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('assistance.detail.formula')}
            </Typography.Title>
            {policy.benefitFormula ? (
              <pre className="ms-json" data-testid="assistance-formula-source">
                {policy.benefitFormula}
              </pre>
            ) : (
              <Typography.Text type="secondary">{t('assistance.detail.noFormula')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
