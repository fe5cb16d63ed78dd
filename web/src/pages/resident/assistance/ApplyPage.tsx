import { LeftOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { applicationEndpoint, type ApplicationView } from '../../../api/applications';
import { ErrorResult } from '../../../components/ErrorResult';
import { PageLoading } from '../../../components/PageLoading';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useJson } from '../../../hooks/useJson';
import { ApplicationForm } from '../../assistance/applications/ApplicationForm';
import { residentApplicationPath, type SubmittedState } from './residentPaths';
import { ResidentPlaceField } from './ResidentPlaceField';

/**
 * 申请救助 on the phone: the application form in steps, saved as a draft at every step. A new
 * draft's number goes into the address at its first save, so a reload or a later visit continues
 * the same draft instead of starting another.
 */
export function ApplyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // Read once: the address changes when the first save creates the draft, and the form goes on.
  const [initialId] = useState(() => params.get('id'));
  const application = useJson(initialId ? applicationEndpoint(initialId) : null);
  useDocumentTitle(initialId ? t('applications.resident.editTitle') : t('applications.resident.formTitle'));

  const header = (
    <>
      <Link to="/m/assistance" className="rm-back">
        <LeftOutlined /> {t('applications.resident.back')}
      </Link>
      <Typography.Title level={4} className="rm-page-title">
        {initialId ? t('applications.resident.editTitle') : t('applications.resident.formTitle')}
      </Typography.Title>
    </>
  );
  if (application.error) {
    return (
      <div className="rm-page">
        {header}
        <ErrorResult error={application.error} onRetry={application.reload} />
      </div>
    );
  }
  if (initialId && !application.data) return <PageLoading />;
  // A submitted application is followed, not edited.
  if (application.data && (application.data.status !== 'draft' || !application.data.draft)) return <Navigate to={residentApplicationPath(application.data.id)} replace />;

  const onSubmitted = (submitted: ApplicationView) => {
    const state: SubmittedState = { justSubmitted: true };
    void navigate(residentApplicationPath(submitted.id), { state, replace: true });
  };

  return (
    <div className="rm-page" data-testid="resident-m-apply">
      {header}
      <ApplicationForm
        key={initialId ?? 'new'}
        application={application.data}
        variant="mobile"
        renderPlace={(props) => <ResidentPlaceField {...props} />}
        onCreated={(saved) => setParams({ id: String(saved.id) }, { replace: true })}
        onSubmitted={onSubmitted}
      />
    </div>
  );
}
