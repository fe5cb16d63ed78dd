import { CheckCircleOutlined, FrownOutlined, SmileOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Input, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { rateReport, type ReportDetail } from '../../api/resident';
import { errorText } from '../../i18n/errors';

/** A pair of large buttons for one yes-or-no question. */
function Choice({
  value,
  onChange,
  yes,
  no,
}: {
  value: boolean | null;
  onChange: (value: boolean) => void;
  yes: { label: string; icon: ReactNode; testId: string };
  no: { label: string; icon: ReactNode; testId: string };
}) {
  return (
    <div className="rm-choice">
      <Button type={value === true ? 'primary' : 'default'} icon={yes.icon} onClick={() => onChange(true)} aria-pressed={value === true} data-testid={yes.testId}>
        {yes.label}
      </Button>
      <Button type={value === false ? 'primary' : 'default'} danger={value === false} icon={no.icon} onClick={() => onChange(false)} aria-pressed={value === false} data-testid={no.testId}>
        {no.label}
      </Button>
    </div>
  );
}

/**
 * The resident's rating of a closed report (评价): satisfied or not, solved or not, and a comment.
 * Anything short of satisfied-and-solved sends the report back for a second round of handling
 * (二次办理), so then the comment, saying what is still wrong, is required.
 */
export function RatingForm({ report, onRated }: { report: ReportDetail; onRated: (report: ReportDetail) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [isSatisfied, setSatisfied] = useState<boolean | null>(null);
  const [isSolved, setSolved] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [isSubmitting, setSubmitting] = useState(false);
  const [hasTried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reopens = isSatisfied === false || isSolved === false;
  const isCommentMissing = reopens && comment.trim() === '';

  const submit = async () => {
    setTried(true);
    if (isSatisfied === null || isSolved === null || isCommentMissing) return;
    setSubmitting(true);
    setError(null);
    try {
      const rated = await rateReport(report.id, { satisfied: isSatisfied, solved: isSolved, comment: comment.trim() || undefined });
      message.success(reopens ? t('mobile.ratedReopened') : t('mobile.ratedThanks'));
      onRated(rated);
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section className="rm-card rm-rating" data-testid="resident-m-rating">
      <div className="rm-card-title">{t('mobile.rateTitle')}</div>
      <Typography.Paragraph type="secondary">{t('mobile.rateIntro')}</Typography.Paragraph>
      <div className="rm-rating-question">{t('mobile.rateSatisfaction')}</div>
      <Choice
        value={isSatisfied}
        onChange={setSatisfied}
        yes={{ label: t('mobile.satisfied'), icon: <SmileOutlined />, testId: 'resident-m-rate-satisfied' }}
        no={{ label: t('mobile.unsatisfied'), icon: <FrownOutlined />, testId: 'resident-m-rate-unsatisfied' }}
      />
      <div className="rm-rating-question">{t('mobile.rateSolved')}</div>
      <Choice
        value={isSolved}
        onChange={setSolved}
        yes={{ label: t('mobile.solved'), icon: <CheckCircleOutlined />, testId: 'resident-m-rate-solved' }}
        no={{ label: t('mobile.unsolved'), icon: <WarningOutlined />, testId: 'resident-m-rate-unsolved' }}
      />
      {hasTried && (isSatisfied === null || isSolved === null) ? <div className="rm-field-error">{t('mobile.rateChooseBoth')}</div> : null}
      <div className="rm-rating-question">{reopens ? t('mobile.rateCommentRequired') : t('mobile.rateComment')}</div>
      <Input.TextArea
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        rows={3}
        maxLength={1000}
        showCount
        status={hasTried && isCommentMissing ? 'error' : undefined}
        placeholder={reopens ? t('mobile.rateCommentReopenPlaceholder') : t('mobile.rateCommentPlaceholder')}
        data-testid="resident-m-rate-comment"
      />
      {hasTried && isCommentMissing ? <div className="rm-field-error">{t('mobile.rateCommentMissing')}</div> : null}
      {reopens ? <Alert type="info" showIcon title={t('mobile.rateReopenNotice')} style={{ marginTop: 12 }} /> : null}
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginTop: 12 }} data-testid="resident-m-rate-error" /> : null}
      <Button type="primary" block loading={isSubmitting} onClick={() => void submit()} className="rm-big-button" style={{ marginTop: 16 }} data-testid="resident-m-rate-submit">
        {t('mobile.rateSubmit')}
      </Button>
    </section>
  );
}
