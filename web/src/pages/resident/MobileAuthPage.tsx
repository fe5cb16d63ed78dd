import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { registerResident } from '../../api/resident';
import { useSession } from '../../auth/session-context';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { errorText } from '../../i18n/errors';
import { MobileHeader, type MobileRedirectState } from './MobileHeader';
import { isResidentAccount } from './residentAccount';

interface AuthForm {
  phone: string;
  password: string;
  confirm?: string;
}

/** The shape of a mainland mobile number as typed: the server decides, this only saves a round trip. */
const MOBILE_PATTERN = /^(?:\+?86)?1[3-9]\d{9}$/;

function compactPhone(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/**
 * A resident signs in, or registers, with a mobile number and a password. There is no SMS code:
 * the server has no SMS gateway, so the number is taken as typed.
 */
export function MobileAuthPage({ mode }: { mode: 'login' | 'register' }) {
  const { t } = useTranslation();
  const isRegister = mode === 'register';
  useDocumentTitle(isRegister ? t('mobile.registerTitle') : t('mobile.loginTitle'));
  const { status, me, logIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const from = (location.state as MobileRedirectState | null)?.from;
  const target = from && from.startsWith('/m') && !from.startsWith('/m/login') && !from.startsWith('/m/register') ? from : '/m';
  if (status === 'signedIn' && !isSubmitting) return <Navigate to={isResidentAccount(me) ? target : '/'} replace />;

  const handleFinish = async (values: AuthForm) => {
    setSubmitting(true);
    setError(null);
    const phone = compactPhone(values.phone);
    try {
      if (isRegister) await registerResident(phone, values.password);
      const account = await logIn(phone, values.password);
      // A staff member who signed in here still works in the console.
      await navigate(isResidentAccount(account) ? target : '/', { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="rm-shell">
      <MobileHeader title={t('mobile.appName')} />
      <main className="rm-main rm-auth">
        <Typography.Title level={3} className="rm-auth-title">
          {isRegister ? t('mobile.registerTitle') : t('mobile.loginTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{isRegister ? t('mobile.registerIntro') : t('mobile.loginIntro')}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="resident-m-auth-error" /> : null}
        <Form<AuthForm> layout="vertical" requiredMark={false} onFinish={(values) => void handleFinish(values)}>
          <Form.Item
            name="phone"
            label={t('mobile.phone')}
            rules={[
              { required: true, whitespace: true, message: t('mobile.phoneRequired') },
              { validator: async (_, value: string | undefined) => (!value || MOBILE_PATTERN.test(compactPhone(value)) ? undefined : Promise.reject(new Error(t('mobile.phoneInvalid')))) },
            ]}
          >
            <Input
              prefix={<MobileOutlined />}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder={t('mobile.phonePlaceholder')}
              maxLength={20}
              data-testid="resident-m-phone"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('mobile.password')}
            extra={isRegister ? t('mobile.passwordRule') : undefined}
            rules={[
              { required: true, message: t('mobile.passwordRequired') },
              ...(isRegister ? [{ min: 10, message: t('mobile.passwordRule') }] : []),
            ]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete={isRegister ? 'new-password' : 'current-password'}
              placeholder={t('mobile.passwordPlaceholder')}
              data-testid="resident-m-password"
            />
          </Form.Item>
          {isRegister ? (
            <Form.Item
              name="confirm"
              label={t('mobile.passwordConfirm')}
              dependencies={['password']}
              rules={[
                { required: true, message: t('mobile.passwordRequired') },
                ({ getFieldValue }) => ({
                  validator: async (_, value: string | undefined) =>
                    !value || value === getFieldValue('password') ? undefined : Promise.reject(new Error(t('mobile.passwordMismatch'))),
                }),
              ]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="resident-m-password-confirm" />
            </Form.Item>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={isSubmitting} className="rm-big-button" data-testid="resident-m-submit">
            {isRegister ? t('mobile.registerSubmit') : t('mobile.loginSubmit')}
          </Button>
        </Form>
        <div className="rm-auth-switch">
          {isRegister ? (
            <Link to="/m/login" state={location.state} data-testid="resident-m-login-link">
              {t('mobile.haveAccount')}
            </Link>
          ) : (
            <Link to="/m/register" state={location.state} data-testid="resident-m-register">
              {t('mobile.noAccount')}
            </Link>
          )}
        </div>
        <Typography.Paragraph type="secondary" className="rm-auth-notice">
          {t('mobile.privacyNotice')}
        </Typography.Paragraph>
      </main>
    </div>
  );
}
