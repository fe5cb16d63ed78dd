import { LockOutlined, SafetyCertificateOutlined, TeamOutlined, UserOutlined, ApartmentOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import type { LoginRedirectState } from '../../auth/RequireSession';
import { useSession } from '../../auth/session-context';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { describeError } from '../../i18n/errors';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { isResidentAccount } from '../resident/residentAccount';

interface LoginForm {
  username: string;
  password: string;
}

/** The words for a failed log-in; a lock names the time it ends. */
function useLoginErrorText(error: unknown): string | null {
  const { t } = useTranslation();
  if (error === null) return null;
  if (error instanceof ApiError && error.code === 'ACCOUNT_LOCKED') {
    const lockedUntil = error.details?.lockedUntil;
    if (typeof lockedUntil === 'string' && dayjs(lockedUntil).isValid()) {
      return `${t('errors.ACCOUNT_LOCKED')} ${t('login.lockedUntil', { time: dayjs(lockedUntil).format('YYYY-MM-DD HH:mm:ss') })}`;
    }
  }
  return describeError(error).message;
}

/** Staff sign-in. */
export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.title'));
  const { status, me, logIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const errorText = useLoginErrorText(error);

  const from = (location.state as LoginRedirectState | null)?.from;
  const target = from && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
  // Residents who sign in here belong on their mobile pages, not in the console.
  if (status === 'signedIn' && !isSubmitting) return <Navigate to={isResidentAccount(me) ? '/m' : target} replace />;

  const handleFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const account = await logIn(values.username.trim(), values.password);
      await navigate(isResidentAccount(account) ? '/m' : target, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="ms-login">
      <div className="ms-login-lang">
        <LanguageSwitch />
      </div>
      <section className="ms-login-hero">
        <div className="ms-login-brand">
          <span className="ms-brand-mark ms-brand-mark-large">民</span>
          <div>
            <div className="ms-login-brand-name">{t('app.name')}</div>
            <div className="ms-login-brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <Typography.Title level={2} className="ms-login-welcome">
          {t('login.welcome')}
        </Typography.Title>
        <p className="ms-login-intro">{t('login.intro')}</p>
        <ul className="ms-login-features">
          <li>
            <ApartmentOutlined /> {t('login.features.registry')}
          </li>
          <li>
            <SafetyCertificateOutlined /> {t('login.features.privacy')}
          </li>
          <li>
            <TeamOutlined /> {t('login.features.scope')}
          </li>
        </ul>
      </section>
      <section className="ms-login-panel">
        <Card className="ms-login-card" variant="borderless">
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 24 }}>
            {t('login.title')}
          </Typography.Title>
          {errorText ? (
            <Alert type="error" showIcon title={errorText} style={{ marginBottom: 20 }} data-testid="login-error" />
          ) : null}
          <Form<LoginForm> layout="vertical" size="large" requiredMark={false} onFinish={(values) => void handleFinish(values)}>
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                placeholder={t('login.usernamePlaceholder')}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password
                prefix={<LockOutlined />}
                placeholder={t('login.passwordPlaceholder')}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Form.Item style={{ marginBottom: 12 }}>
              <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="login-submit">
                {t('login.submit')}
              </Button>
            </Form.Item>
          </Form>
          <Typography.Paragraph type="secondary" className="ms-login-notice">
            {t('login.notice')}
          </Typography.Paragraph>
        </Card>
        <div className="ms-login-footer">{t('app.footer')}</div>
      </section>
    </div>
  );
}
