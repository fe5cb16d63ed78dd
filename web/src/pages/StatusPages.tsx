import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import type { PermissionName } from '../auth/permissions';
import { useSession } from '../auth/session-context';

/** Shown for an unknown address inside the console. */
export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.notFoundTitle'));
  return (
    <Result
      status="404"
      title={t('pages.notFoundTitle')}
      subTitle={t('pages.notFoundText')}
      extra={
        <Link to="/">
          <Button type="primary">{t('pages.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** Shown when the account lacks the permission a page needs. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.forbiddenTitle'));
  return (
    <Result
      status="403"
      title={t('pages.forbiddenTitle')}
      subTitle={t('pages.forbiddenText')}
      extra={
        <Link to="/">
          <Button type="primary">{t('pages.backHome')}</Button>
        </Link>
      }
    />
  );
}

/** Shown by the error boundary when a page crashed or its code could not be downloaded. */
export function CrashResult({ onReset }: { onReset: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('pages.crashTitle')}
      subTitle={t('pages.crashText')}
      extra={[
        <Button key="retry" onClick={onReset}>
          {t('common.retry')}
        </Button>,
        <Button key="reload" type="primary" onClick={() => window.location.reload()}>
          {t('pages.reload')}
        </Button>,
      ]}
    />
  );
}

/** Renders its page only for accounts holding `permission`. */
export function RequirePermission({ permission, children }: { permission: PermissionName; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? children : <ForbiddenPage />;
}
