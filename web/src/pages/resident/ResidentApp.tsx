import { CameraOutlined, FileTextOutlined, HeartOutlined, LogoutOutlined } from '@ant-design/icons';
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { RequireSession } from '../../auth/RequireSession';
import { useSession } from '../../auth/session-context';
import { ApplicationStatusPage } from './assistance/ApplicationStatusPage';
import { ApplyPage } from './assistance/ApplyPage';
import { MyApplicationsPage } from './assistance/MyApplicationsPage';
import { MobileAuthPage } from './MobileAuthPage';
import { MobileHeader } from './MobileHeader';
import { MyReportsPage } from './MyReportsPage';
import { ReportDetailPage } from './ReportDetailPage';
import { isResidentAccount } from './residentAccount';
import { SnapReportPage } from './SnapReportPage';
import './resident.css';

/** Lets resident sessions through; others go to the mobile log-in, staff are pointed to the console. */
function ResidentGate({ children }: { children: ReactNode }) {
  return (
    <RequireSession loginPath="/m/login">
      <ResidentOnly>{children}</ResidentOnly>
    </RequireSession>
  );
}

/** A signed-in account that is not a resident's is pointed to the console. */
function ResidentOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, logOut } = useSession();
  if (isResidentAccount(me)) return children;
  return (
    <div data-testid="resident-m-staff">
      <Result
        status="info"
        title={t('mobile.staffTitle')}
        subTitle={t('mobile.staffHint')}
        extra={[
          <Link key="console" to="/">
            <Button type="primary">{t('mobile.toConsole')}</Button>
          </Link>,
          <Button key="logout" onClick={() => void logOut()}>
            {t('mobile.switchAccount')}
          </Button>,
        ]}
      />
    </div>
  );
}

/** The frame of a signed-in resident's pages: header, page, and the tab bar at the thumb. */
function MobileShell() {
  const { t } = useTranslation();
  const { logOut, me } = useSession();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const isReports = location.pathname.startsWith('/m/reports');
  // 救助通: the social-assistance pages share the frame under their own name.
  const isAssistance = location.pathname.startsWith('/m/assistance');
  const tabClass = (isActive: boolean) => (isActive ? 'rm-tab rm-tab-active' : 'rm-tab');

  const handleLogOut = async () => {
    try {
      await logOut();
    } catch {
      message.error(t('mobile.logoutFailed'));
    }
    await navigate('/m/login', { replace: true });
  };

  return (
    <div className="rm-shell">
      <MobileHeader title={isAssistance ? t('applications.resident.appName') : t('mobile.appName')} />
      <main className="rm-main">
        <Outlet />
      </main>
      <nav className="rm-tabbar" aria-label={t('mobile.tabs')}>
        <Link to="/m" className={tabClass(!isReports && !isAssistance)} data-testid="resident-m-tab-new">
          <CameraOutlined />
          <span>{t('mobile.tabNew')}</span>
        </Link>
        <Link to="/m/reports" className={tabClass(isReports)} data-testid="resident-m-tab-reports">
          <FileTextOutlined />
          <span>{t('mobile.tabReports')}</span>
        </Link>
        <Link to="/m/assistance" className={tabClass(isAssistance)} data-testid="resident-m-tab-assistance">
          <HeartOutlined />
          <span>{t('applications.resident.tab')}</span>
        </Link>
        <button type="button" className="rm-tab" onClick={() => void handleLogOut()} data-testid="resident-m-logout" title={me?.displayName}>
          <LogoutOutlined />
          <span>{t('mobile.logout')}</span>
        </button>
      </nav>
    </div>
  );
}

/** The residents' mobile pages: sign-in and registration, 随手拍 and my reports, and 救助通 (social-assistance applications). */
export function ResidentApp() {
  return (
    <ConfigProvider componentSize="large">
      <div className="rm-app">
        <Routes>
          <Route path="login" element={<MobileAuthPage mode="login" />} />
          <Route path="register" element={<MobileAuthPage mode="register" />} />
          <Route
            element={
              <ResidentGate>
                <MobileShell />
              </ResidentGate>
            }
          >
            <Route index element={<SnapReportPage />} />
            <Route path="reports" element={<MyReportsPage />} />
            <Route path="reports/:reportId" element={<ReportDetailPage />} />
            <Route path="assistance" element={<MyApplicationsPage />} />
            <Route path="assistance/apply" element={<ApplyPage />} />
            <Route path="assistance/:applicationId" element={<ApplicationStatusPage />} />
            <Route path="*" element={<Navigate to="/m" replace />} />
          </Route>
        </Routes>
      </div>
    </ConfigProvider>
  );
}
