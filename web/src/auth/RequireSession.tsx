import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { PageLoading } from '../components/PageLoading';
import { describeError } from '../i18n/errors';
import { useSession } from './session-context';

/** Where the log-in page sends the person back to. */
export interface LoginRedirectState {
  from?: string;
}

/**
 * Lets signed-in accounts through; sends everyone else to `loginPath` (the console's /login, or the
 * residents' mobile log-in) and back afterwards.
 */
export function RequireSession({ children, loginPath = '/login' }: { children: ReactNode; loginPath?: string }) {
  const { t } = useTranslation();
  const { status, error, recheck } = useSession();
  const location = useLocation();
  switch (status) {
    case 'checking':
      return <PageLoading minHeight={480} />;
    case 'signedOut': {
      const state: LoginRedirectState = { from: location.pathname + location.search };
      return <Navigate to={loginPath} replace state={state} />;
    }
    case 'unreachable':
      return (
        <Result
          status="warning"
          title={t('pages.serverDownTitle')}
          subTitle={describeError(error).message}
          extra={
            <Button type="primary" onClick={recheck}>
              {t('common.retry')}
            </Button>
          }
        />
      );
    case 'signedIn':
      return children;
  }
}
