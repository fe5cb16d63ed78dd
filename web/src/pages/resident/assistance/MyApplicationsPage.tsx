import { FormOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Empty, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { applicationsEndpoint, type ApplicationSummary } from '../../../api/applications';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useJson } from '../../../hooks/useJson';
import { ApplicationStatusTag, BundleStateTag, optionLabel } from '../../assistance/applications/applicationLabels';
import { MOBILE_TIME } from '../MyReportsPage';
import { residentApplicationPath } from './residentPaths';

/** How many applications one more page shows. */
const PAGE_SIZE = 20;

function ApplicationRow({ item }: { item: ApplicationSummary }) {
  const { t } = useTranslation();
  const itemCount = Object.values(item.itemStates).reduce((sum, n) => sum + n, 0);
  return (
    <Link to={residentApplicationPath(item.id)} className="rm-list-item" data-testid="resident-m-application-item" data-id={item.id} data-status={item.status} data-bundle-state={item.bundleState ?? ''}>
      <div className="rm-list-item-main">
        <div className="rm-list-item-head">
          {item.bundleState ? <BundleStateTag state={item.bundleState} /> : <ApplicationStatusTag status={item.status} />}
          <span className="ms-mono">{item.reference}</span>
        </div>
        {item.status === 'draft' ? (
          <div className="rm-list-item-meta">{item.missingCount > 0 ? t('applications.resident.draftHint', { count: item.missingCount }) : t('applications.resident.draftReady')}</div>
        ) : (
          <div className="rm-list-item-meta">
            {t('applications.resident.itemsSummary', { count: itemCount })}
            {Object.entries(item.itemStates).map(([state, count]) => (
              <Tag key={state} style={{ marginLeft: 6 }}>
                {optionLabel('itemStates', state)} {count}
              </Tag>
            ))}
          </div>
        )}
        <div className="rm-list-item-meta">
          {item.submittedAt
            ? t('applications.resident.submittedAt', { time: dayjs(item.submittedAt).format(MOBILE_TIME) })
            : t('applications.resident.createdAt', { time: dayjs(item.createdAt).format(MOBILE_TIME) })}
        </div>
      </div>
      <RightOutlined className="rm-field-chevron" />
    </Link>
  );
}

/** 我的救助申请: drafts and submitted applications with the bundle's status, newest first. */
export function MyApplicationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('applications.resident.listTitle'));
  const [pages, setPages] = useState(1);
  const applications = useJson(applicationsEndpoint({ page: 1, pageSize: PAGE_SIZE * pages }));
  const items = applications.data?.items ?? [];
  const total = applications.data?.total ?? 0;
  const newButton = (
    <Link to="/m/assistance/apply">
      <Button type="primary" block icon={<FormOutlined />} className="rm-big-button" data-testid="resident-m-apply-new">
        {t('applications.resident.newApplication')}
      </Button>
    </Link>
  );

  return (
    <div className="rm-page">
      <Typography.Title level={4} className="rm-page-title">
        {t('applications.resident.listTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('applications.resident.listIntro')}</Typography.Paragraph>
      {applications.error ? <ErrorAlert error={applications.error} onRetry={applications.reload} /> : null}
      {items.length > 0 ? <div style={{ marginBottom: 12 }}>{newButton}</div> : null}
      <Spin spinning={applications.isLoading && items.length === 0}>
        <div data-testid="resident-m-applications" data-total={applications.data ? total : ''}>
          {applications.data && items.length === 0 ? <Empty description={t('applications.resident.empty')}>{newButton}</Empty> : null}
          {items.map((item) => (
            <ApplicationRow key={item.id} item={item} />
          ))}
          {items.length < total ? (
            <Button block loading={applications.isLoading} onClick={() => setPages((count) => count + 1)}>
              {t('mobile.loadMore')}
            </Button>
          ) : null}
        </div>
      </Spin>
    </div>
  );
}
