import { CameraOutlined, LeftOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Image, Steps, Tag, Timeline, Typography, type TimelineProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { myReportEndpoint, reportPhotoUrl, uploadReportPhoto, type ReportDetail, type ReportEvent } from '../../api/resident';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { enumLabel } from '../../domain/labels';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { useJson } from '../../hooks/useJson';
import { translateOptional } from '../../i18n/dynamic';
import { errorText } from '../../i18n/errors';
import { nameIn } from './bilingual';
import { MOBILE_TIME, ReportStateTag } from './MyReportsPage';
import { preparePhoto } from './photos';
import { RatingForm } from './RatingForm';
import type { FiledState } from './SnapReportPage';

/** The main road of a report, as the progress bar shows it. */
const PROGRESS_STATES = ['received', 'dispatched', 'handling', 'replied', 'closed', 'evaluated'] as const;

type TimelineItem = NonNullable<TimelineProps['items']>[number];

/** What one timeline entry says to the resident: plain words, from the resident's side. */
function eventHeadline(event: ReportEvent): string {
  if (event.kind === 'created') return translateOptional('mobile.events.created') ?? enumLabel('matterEvents', 'created');
  if (!event.action) return enumLabel('matterEvents', event.kind);
  const own = event.isMine ? translateOptional(`mobile.events.mine_${event.action}`) : undefined;
  return own ?? translateOptional(`mobile.events.${event.action}`) ?? enumLabel('matterActions', event.action);
}

function ReportProgress({ report }: { report: ReportDetail }) {
  const { t } = useTranslation();
  if (report.state === 'merged') return <Alert type="info" showIcon title={t('mobile.mergedNotice')} />;
  const current = PROGRESS_STATES.indexOf(report.state as (typeof PROGRESS_STATES)[number]);
  return (
    <Steps
      type="dot"
      size="small"
      titlePlacement="vertical"
      // Six short state names fit across a phone; stacked they would push the rating off the screen.
      responsive={false}
      current={Math.max(current, 0)}
      status={report.state === 'evaluated' ? 'finish' : 'process'}
      items={PROGRESS_STATES.map((state) => ({ title: enumLabel('matterStates', state) }))}
      className="rm-steps"
      data-testid="resident-m-steps"
      data-current={report.state}
    />
  );
}

function ReportTimeline({ events }: { events: ReportEvent[] }) {
  const items: TimelineItem[] = [...events].reverse().map((event, index) => ({
    key: `${event.at}-${index}`,
    color: event.action === 'callback_unsatisfied' ? 'red' : index === 0 ? 'blue' : 'gray',
    // The time goes with the words, not in a column of its own: a phone has no width to spare.
    content: (
      <div data-testid="resident-m-timeline-item" data-action={event.action ?? event.kind}>
        <div className="rm-muted">{dayjs(event.at).format(MOBILE_TIME)}</div>
        <Typography.Text strong>{eventHeadline(event)}</Typography.Text>
        {event.toStateName ? <div className="rm-muted">{nameIn(event.toStateName)}</div> : null}
        {event.note ? <div className="rm-timeline-note">{event.note}</div> : null}
      </div>
    ),
  }));
  return (
    <div data-testid="resident-m-timeline">
      <Timeline items={items} />
    </div>
  );
}

function Photos({ report, onAdded }: { report: ReportDetail; onAdded: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [isUploading, setUploading] = useState(false);

  const add = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setUploading(true);
    try {
      const prepared = await preparePhoto(file);
      if (!prepared) {
        message.error(t('mobile.photoUnusable'));
        return;
      }
      await uploadReportPhoto(report.id, prepared.blob, prepared.name);
      onAdded();
    } catch (failure) {
      message.error(errorText(failure));
    } finally {
      setUploading(false);
    }
  };

  if (report.photos.length === 0 && !report.canAddPhotos) return null;
  return (
    <section className="rm-card">
      <div className="rm-card-title">{t('mobile.photos')}</div>
      <div className="rm-photo-grid" data-testid="resident-m-photos">
        <Image.PreviewGroup>
          {report.photos.map((photo) => (
            <div key={String(photo.id)} className="rm-photo">
              <Image src={reportPhotoUrl(report.id, photo.id)} alt="" data-testid="resident-m-photo-item" />
            </div>
          ))}
        </Image.PreviewGroup>
        {report.canAddPhotos ? (
          <label className="rm-photo rm-photo-add" aria-busy={isUploading}>
            <CameraOutlined />
            <span>{isUploading ? t('mobile.uploading') : t('mobile.addPhoto')}</span>
            <input
              type="file"
              accept="image/*"
              capture="environment"
              className="rm-visually-hidden"
              disabled={isUploading}
              onChange={(event) => {
                void add(event.target.files);
                event.target.value = '';
              }}
              data-testid="resident-m-add-photo"
            />
          </label>
        ) : null}
      </div>
    </section>
  );
}

function ReportView({ report, reload }: { report: ReportDetail; reload: () => void }) {
  const { t } = useTranslation();
  const location = useLocation();
  const filed = location.state as FiledState | null;
  useDocumentTitle(report.title);

  return (
    <div className="rm-page" data-testid="resident-m-report-detail" data-id={String(report.id)}>
      <Link to="/m/reports" className="rm-back" data-testid="resident-m-back">
        <LeftOutlined /> {t('mobile.reportsTitle')}
      </Link>
      {filed?.justFiled ? (
        <Alert
          type="success"
          showIcon
          title={t('mobile.sent', { reference: report.reference })}
          description={filed.photoFailures > 0 ? t('mobile.photoFailures', { count: filed.photoFailures }) : t('mobile.sentHint')}
          style={{ marginBottom: 12 }}
          data-testid="resident-m-sent"
        />
      ) : null}
      <section className="rm-card">
        <div className="rm-report-head">
          <ReportStateTag state={report.state} name={report.stateName} />
          {report.round > 1 ? <Tag color="orange">{t('mobile.secondRound', { round: report.round })}</Tag> : null}
        </div>
        <Typography.Title level={5} className="rm-report-title">
          {report.title}
        </Typography.Title>
        <div className="rm-muted ms-mono" data-testid="resident-m-reference">
          {report.reference}
        </div>
        <ReportProgress report={report} />
      </section>

      {report.canRate ? <RatingForm report={report} onRated={reload} /> : null}

      <section className="rm-card">
        <div className="rm-card-title">{t('mobile.details')}</div>
        <dl className="rm-facts">
          <dt>{t('mobile.category')}</dt>
          <dd>{nameIn(report.categoryName)}</dd>
          <dt>{t('mobile.location')}</dt>
          <dd>{report.placeNames.join(' · ') || '—'}</dd>
          <dt>{t('mobile.filedAtLabel')}</dt>
          <dd>{dayjs(report.createdAt).format(MOBILE_TIME)}</dd>
          {report.closedAt ? (
            <>
              <dt>{t('mobile.closedAtLabel')}</dt>
              <dd>{dayjs(report.closedAt).format(MOBILE_TIME)}</dd>
            </>
          ) : null}
        </dl>
        <Typography.Paragraph className="rm-description">{report.description}</Typography.Paragraph>
      </section>

      <Photos report={report} onAdded={reload} />

      <section className="rm-card">
        <div className="rm-card-title">{t('mobile.progress')}</div>
        <ReportTimeline events={report.timeline} />
      </section>
    </div>
  );
}

/** One of the resident's reports: where it stands, what the handlers answered, and the rating. */
export function ReportDetailPage() {
  const { reportId = '' } = useParams();
  const report = useJson(myReportEndpoint(reportId));
  const data = report.data && String(report.data.id) === reportId ? report.data : undefined;
  if (report.error) return <ErrorResult error={report.error} onRetry={report.reload} />;
  if (!data) return <PageLoading />;
  return <ReportView key={reportId} report={data} reload={report.reload} />;
}
