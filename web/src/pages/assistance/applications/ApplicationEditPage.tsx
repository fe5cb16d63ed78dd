import { Alert, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { applicationEndpoint } from '../../../api/applications';
import { isAbortError } from '../../../api/client';
import { fetchPlace } from '../../../api/places';
import { ErrorResult } from '../../../components/ErrorResult';
import { PageLoading } from '../../../components/PageLoading';
import { PlaceTreeSelect } from '../../../components/PlaceTreeSelect';
import { useJson } from '../../../hooks/useJson';
import { errorText } from '../../../i18n/errors';
import { PageHeader } from '../../../layout/PageHeader';
import { ApplicationForm, type PlaceFieldProps } from './ApplicationForm';
import { applicationPath } from './applicationLabels';

const ACCEPTED_LEVELS = new Set(['community', 'grid', 'microgrid']);

/** The community (or grid) an adviser files the application under, from the region's place tree. */
function ConsolePlaceField({ value, onChange, problem }: PlaceFieldProps) {
  const { t } = useTranslation();
  const [placeId, setPlaceId] = useState<string | undefined>();
  const [isResolving, setResolving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const choose = async (id: string | undefined) => {
    setPlaceId(id);
    setFailure(null);
    if (!id) {
      onChange(null);
      return;
    }
    setResolving(true);
    try {
      const place = await fetchPlace(id);
      // A street or district is refused by the server too; saying so here saves a round trip.
      if (!ACCEPTED_LEVELS.has(place.level)) {
        setFailure(t('applications.missing.placeLevel'));
        onChange(null);
        return;
      }
      onChange({ code: place.code, label: [...place.ancestors.slice(1).map((a) => a.name), place.name].join(' · ') });
    } catch (error) {
      if (!isAbortError(error)) setFailure(errorText(error));
    } finally {
      setResolving(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {value ? (
        <Typography.Text data-testid="application-place" data-code={value.code}>
          {t('applications.form.placeChosen', { name: value.label })}
        </Typography.Text>
      ) : null}
      <Space>
        <PlaceTreeSelect value={placeId} onChange={(id) => void choose(id)} style={{ width: 360 }} testId="application-place-picker" />
        {isResolving ? <Spin size="small" /> : null}
      </Space>
      <Typography.Text type="secondary">{t('applications.form.placePickHint')}</Typography.Text>
      {failure ? <Alert type="error" showIcon title={failure} /> : null}
      {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
    </Space>
  );
}

/**
 * 代为申请: a social-assistance adviser fills in the same form for a resident (at the community
 * office, or at home on a visit), saved as a draft at every step; `?id=` continues a draft.
 */
export function ApplicationEditPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // Read once: the address takes the draft's number at its first save, and the form goes on.
  const [initialId] = useState(() => params.get('id'));
  const application = useJson(initialId ? applicationEndpoint(initialId) : null);
  const title = application.data ? t('applications.detail.title', { reference: application.data.reference }) : t('applications.list.newOnBehalf');
  const crumbs = [{ title: t('nav.assistance') }, { title: t('applications.list.title'), to: '/assistance/applications' }, { title }];

  if (application.error) {
    return (
      <>
        <PageHeader title={title} crumbs={crumbs} />
        <ErrorResult error={application.error} onRetry={application.reload} />
      </>
    );
  }
  if (initialId && !application.data) return <PageLoading />;
  // A submitted application is followed, not edited; another person's draft is theirs to finish.
  if (application.data && (application.data.status !== 'draft' || !application.data.draft)) return <Navigate to={applicationPath(application.data.id)} replace />;
  return (
    <>
      <PageHeader title={title} crumbs={crumbs} subtitle={t('applications.list.subtitle')} />
      <ApplicationForm
        key={initialId ?? 'new'}
        application={application.data}
        variant="console"
        renderPlace={(props) => <ConsolePlaceField {...props} />}
        onCreated={(saved) => setParams({ id: String(saved.id) }, { replace: true })}
        onSubmitted={(submitted) => void navigate(applicationPath(submitted.id), { replace: true })}
      />
    </>
  );
}
