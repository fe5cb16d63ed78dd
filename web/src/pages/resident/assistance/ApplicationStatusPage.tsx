import { EditOutlined, LeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { applicationEndpoint, type ApplicationItem, type ApplicationView } from '../../../api/applications';
import { ErrorResult } from '../../../components/ErrorResult';
import { PageLoading } from '../../../components/PageLoading';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useJson } from '../../../hooks/useJson';
import { useAmountText } from '../../assistance/assistanceLabels';
import '../../assistance/applications/applications.css';
import { ApplicationStatusTag, BundleStateTag, ItemStateTag, nameOf } from '../../assistance/applications/applicationLabels';
import { isWithdrawable, WithdrawButton } from '../../assistance/applications/WithdrawButton';
import { MOBILE_TIME } from '../MyReportsPage';
import { residentDraftPath, type SubmittedState } from './residentPaths';

function formatTime(value: string | null): string {
  return value ? dayjs(value).format(MOBILE_TIME) : '—';
}

/** One item as the resident follows it: state, department, amount, decision, and how to appeal a refusal. */
function ItemCard({ item }: { item: ApplicationItem }) {
  const { t } = useTranslation();
  const amountText = useAmountText();
  const isDecided = item.decidedAt !== null;
  return (
    <div className="ra-item" data-testid="resident-m-item" data-policy={item.policyCode} data-state={item.state}>
      <div className="ra-item-head">
        <span className="ra-item-name">{nameOf(item.policyName)}</span>
        <ItemStateTag state={item.state} />
      </div>
      <dl className="ra-facts">
        <dt>{t('applications.resident.department')}</dt>
        <dd>{item.organisationName ?? nameOf(item.department)}</dd>
        <dt>{t('applications.resident.amount')}</dt>
        <dd>{amountText(item.amountFen, item.benefitPeriod)}</dd>
        {isDecided ? (
          <>
            <dt>{t('applications.resident.decidedAt')}</dt>
            <dd>{formatTime(item.decidedAt)}</dd>
          </>
        ) : (
          <>
            <dt>{t('applications.resident.itemDue')}</dt>
            <dd>{item.dueAt ? formatTime(item.dueAt) : item.duePendingYear ? t('applications.resident.duePending', { year: item.duePendingYear }) : '—'}</dd>
          </>
        )}
      </dl>
      {item.mode === 'review_free' && item.state === 'granted' ? <Typography.Text type="success">{t('applications.resident.reviewFreeNote')}</Typography.Text> : null}
      {item.state === 'rule_error' ? <Typography.Text type="warning">{t('applications.resident.ruleErrorNote')}</Typography.Text> : null}
      {item.decision === 'refused' ? (
        <>
          <div className="ra-refusal" data-testid="resident-m-refusal">
            <Typography.Text strong>{t('applications.resident.refusalReason')}</Typography.Text>
            <div>{item.decisionReason ?? '—'}</div>
          </div>
          {item.appealAdvice ? (
            <div className="ra-appeal" data-testid="resident-m-appeal">
              <Typography.Text strong>{t('applications.resident.appealTitle')}</Typography.Text>
              <div>{nameOf(item.appealAdvice)}</div>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function StatusView({ application, onReload, isReloading }: { application: ApplicationView; onReload: () => void; isReloading: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const justSubmitted = (location.state as SubmittedState | null)?.justSubmitted === true;
  const bundle = application.bundle;

  if (application.status === 'draft') {
    return (
      <section className="rm-card" data-testid="resident-m-draft">
        <div className="ra-status-head">
          <span className="ms-mono">{application.reference}</span>
          <ApplicationStatusTag status={application.status} />
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('applications.resident.draftNotice')} ·{' '}
          {application.missing.length > 0 ? t('applications.resident.draftHint', { count: application.missing.length }) : t('applications.resident.draftReady')}
        </Typography.Paragraph>
        <Link to={residentDraftPath(application.id)}>
          <Button type="primary" block icon={<EditOutlined />} className="rm-big-button" data-testid="resident-m-continue">
            {t('applications.resident.continue')}
          </Button>
        </Link>
        <div style={{ marginTop: 8 }}>
          <WithdrawButton application={application} onDone={onReload} block size="large" />
        </div>
      </section>
    );
  }

  return (
    <>
      {justSubmitted && bundle?.state === 'processing' ? <Alert type="success" showIcon title={t('applications.resident.submittedNotice')} style={{ marginBottom: 12 }} data-testid="resident-m-submitted" /> : null}
      {bundle?.state === 'completed' ? <Alert type="success" showIcon title={t('applications.resident.completedNotice')} style={{ marginBottom: 12 }} /> : null}
      <section className="rm-card" data-testid="resident-m-bundle" data-state={bundle?.state ?? ''}>
        <div className="ra-status-head">
          <span className="rm-card-title" style={{ margin: 0 }}>
            {t('applications.resident.statusTitle')}
          </span>
          {bundle ? <BundleStateTag state={bundle.state} /> : <ApplicationStatusTag status={application.status} />}
        </div>
        <dl className="ra-facts" style={{ marginTop: 10 }}>
          <dt>{t('applications.resident.reference')}</dt>
          <dd className="ms-mono" data-testid="resident-m-application-reference">
            {application.reference}
          </dd>
          {bundle ? (
            <>
              <dt>{t('applications.resident.bundleReference')}</dt>
              <dd className="ms-mono">{bundle.reference}</dd>
              {bundle.state === 'processing' ? (
                <>
                  <dt>{t('applications.resident.dueAt')}</dt>
                  <dd data-testid="resident-m-due">{bundle.dueAt ? formatTime(bundle.dueAt) : bundle.duePendingYear ? t('applications.resident.duePending', { year: bundle.duePendingYear }) : '—'}</dd>
                </>
              ) : null}
            </>
          ) : null}
          <dt>{t('applications.detail.submittedAt')}</dt>
          <dd>{formatTime(application.submittedAt)}</dd>
        </dl>
        <Button block icon={<ReloadOutlined />} loading={isReloading} onClick={onReload} data-testid="resident-m-reload">
          {t('applications.resident.reload')}
        </Button>
      </section>
      <section className="rm-card" data-testid="resident-m-items">
        <div className="rm-card-title">{t('applications.resident.itemsTitle')}</div>
        <Typography.Paragraph type="secondary">{t('applications.resident.itemsIntro')}</Typography.Paragraph>
        {application.items.length === 0 ? <Empty description={t('applications.resident.noItems')} /> : application.items.map((item) => <ItemCard key={item.id} item={item} />)}
      </section>
      {isWithdrawable(application) ? <WithdrawButton application={application} onDone={onReload} block size="large" /> : null}
    </>
  );
}

/** 办理进度: the bundle's one status with its due date, and each item's state, department, amount and decision. */
export function ApplicationStatusPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('applications.resident.statusTitle'));
  const { applicationId = '' } = useParams();
  const application = useJson(applicationEndpoint(applicationId));
  const data = application.data && String(application.data.id) === applicationId ? application.data : undefined;
  return (
    <div className="rm-page" data-testid="resident-m-application">
      <Link to="/m/assistance" className="rm-back">
        <LeftOutlined /> {t('applications.resident.listTitle')}
      </Link>
      {application.error ? <ErrorResult error={application.error} onRetry={application.reload} /> : data ? <StatusView application={data} onReload={application.reload} isReloading={application.isLoading} /> : <PageLoading />}
    </div>
  );
}
