import { CameraOutlined, RightOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { myReportsEndpoint, type BilingualName } from '../../api/resident';
import { ErrorAlert } from '../../components/ErrorAlert';
import { stateColor } from '../../domain/appealType';
import { useJson } from '../../hooks/useJson';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { nameIn } from './bilingual';

/** How many reports one more page shows. */
const PAGE_SIZE = 20;
/** Date and time in the lists and timelines of the mobile pages. */
export const MOBILE_TIME = 'YYYY-MM-DD HH:mm';

/** The state of a report as a coloured tag, in the page's language. */
export function ReportStateTag({ state, name }: { state: string; name: BilingualName }) {
  return (
    <Tag color={stateColor(state)} data-testid="resident-m-report-state" data-state={state}>
      {nameIn(name)}
    </Tag>
  );
}

/** 我的诉求: the resident's own reports, newest first, with their state; closed ones wait for a rating. */
export function MyReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('mobile.reportsTitle'));
  const [pages, setPages] = useState(1);
  const reports = useJson(myReportsEndpoint({ page: 1, pageSize: PAGE_SIZE * pages }));
  const items = reports.data?.items ?? [];
  const total = reports.data?.total ?? 0;

  return (
    <div className="rm-page">
      <Typography.Title level={4} className="rm-page-title">
        {t('mobile.reportsTitle')}
      </Typography.Title>
      {reports.error ? <ErrorAlert error={reports.error} onRetry={reports.reload} /> : null}
      <Spin spinning={reports.isLoading && items.length === 0}>
        <div data-testid="resident-m-reports" data-total={reports.data ? total : ''}>
          {reports.data && items.length === 0 ? (
            <Empty description={t('mobile.reportsEmpty')}>
              <Link to="/m">
                <Button type="primary" icon={<CameraOutlined />}>
                  {t('mobile.tabNew')}
                </Button>
              </Link>
            </Empty>
          ) : null}
          {items.map((item) => (
            <Link key={String(item.id)} to={`/m/reports/${encodeURIComponent(String(item.id))}`} className="rm-list-item" data-testid="resident-m-report-item" data-id={String(item.id)}>
              <div className="rm-list-item-main">
                <div className="rm-list-item-head">
                  <ReportStateTag state={item.state} name={item.stateName} />
                  {item.canRate ? <Badge status="warning" text={t('mobile.waitingForRating')} /> : null}
                </div>
                <div className="rm-list-item-title">{item.title}</div>
                <div className="rm-list-item-meta">
                  {nameIn(item.categoryName)} · {t('mobile.filedAt', { time: dayjs(item.createdAt).format(MOBILE_TIME) })}
                </div>
                <div className="rm-list-item-meta">{t('mobile.updatedAt', { time: dayjs(item.lastUpdateAt).format(MOBILE_TIME) })}</div>
              </div>
              <RightOutlined className="rm-field-chevron" />
            </Link>
          ))}
          {items.length < total ? (
            <Button block loading={reports.isLoading} onClick={() => setPages((count) => count + 1)} data-testid="resident-m-more">
              {t('mobile.loadMore')}
            </Button>
          ) : null}
        </div>
      </Spin>
    </div>
  );
}
