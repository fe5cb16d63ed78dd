import {
  AccountBookOutlined,
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  MoneyCollectOutlined,
  NodeIndexOutlined,
  UnorderedListOutlined,
  DownOutlined,
  EditOutlined,
  ExperimentOutlined,
  FormOutlined,
  HeartOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  PhoneOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { App as AntApp, Avatar, Button, Dropdown, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Role } from '../api/types';
import { PERMISSION, type PermissionName } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { PageLoading } from '../components/PageLoading';
import { enumLabel } from '../domain/labels';
import { currentLanguage } from '../i18n';
import { CrashResult } from '../pages/StatusPages';
import { LanguageSwitch } from './LanguageSwitch';

interface ModuleLink {
  key: string;
  to: string;
  icon: ReactNode;
  label: string;
  testId: string;
  permission?: PermissionName;
}

/** Display name of a role in the current language. */
export function roleName(role: Role): string {
  return currentLanguage() === 'en-US' ? role.nameEn : role.nameZh;
}

/** The frame of every signed-in page: module menu on the left, account and language on top. */
export function AppLayout() {
  const { t } = useTranslation();
  const { me, can, logOut } = useSession();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [isCollapsed, setCollapsed] = useState(false);

  const registry: ModuleLink[] = [
    { key: 'places', to: '/places', icon: <EnvironmentOutlined />, label: t('nav.places'), testId: 'menu-places', permission: PERMISSION.placeRead },
    { key: 'residents', to: '/residents', icon: <UserOutlined />, label: t('nav.residents'), testId: 'menu-residents', permission: PERMISSION.residentRead },
    { key: 'households', to: '/households', icon: <HomeOutlined />, label: t('nav.households'), testId: 'menu-households', permission: PERMISSION.householdRead },
    { key: 'organisations', to: '/organisations', icon: <ApartmentOutlined />, label: t('nav.organisations'), testId: 'menu-organisations', permission: PERMISSION.organisationRead },
  ];
  const appeals: ModuleLink[] = [
    { key: 'matters', to: '/matters', icon: <SolutionOutlined />, label: t('nav.matters'), testId: 'menu-matters', permission: PERMISSION.matterRead },
    { key: 'appeals/new', to: '/appeals/new', icon: <EditOutlined />, label: t('nav.appealIntake'), testId: 'menu-appeal-new', permission: PERMISSION.matterCreate },
    { key: 'appeals/kpis', to: '/appeals/kpis', icon: <BarChartOutlined />, label: t('nav.appealKpis'), testId: 'menu-appeal-kpis', permission: PERMISSION.matterRead },
    { key: 'appeals/hotline', to: '/appeals/hotline', icon: <PhoneOutlined />, label: t('nav.agentConsole'), testId: 'menu-appeal-hotline', permission: PERMISSION.matterDispatch },
    { key: 'appeals/knowledge', to: '/appeals/knowledge', icon: <BookOutlined />, label: t('nav.knowledge'), testId: 'menu-appeal-knowledge', permission: PERMISSION.matterRead },
    { key: 'appeals/patrol', to: '/appeals/patrol', icon: <AimOutlined />, label: t('nav.patrol'), testId: 'menu-appeal-patrol', permission: PERMISSION.matterCreate },
  ];
  const supervision: ModuleLink[] = [
    { key: 'supervision/overdue', to: '/supervision/overdue', icon: <AlertOutlined />, label: t('nav.supervisionOverdue'), testId: 'menu-supervision-overdue', permission: PERMISSION.supervisionRead },
  ];
  // 大数据比对: the city runs comparisons; auditors verify the findings; streets get their coverage lists.
  const compare: ModuleLink[] = [
    { key: 'compare/datasets', to: '/compare/datasets', icon: <DatabaseOutlined />, label: t('nav.compareDatasets'), testId: 'menu-compare-datasets', permission: PERMISSION.compareDatasetRead },
    { key: 'compare/runs', to: '/compare/runs', icon: <NodeIndexOutlined />, label: t('nav.compareRuns'), testId: 'menu-compare-runs', permission: PERMISSION.compareRunRead },
    { key: 'compare/findings', to: '/compare/findings', icon: <FileSearchOutlined />, label: t('nav.compareFindings'), testId: 'menu-compare-findings', permission: PERMISSION.compareFindingRead },
    { key: 'compare/recovery', to: '/compare/recovery', icon: <MoneyCollectOutlined />, label: t('nav.compareTotals'), testId: 'menu-compare-recovery', permission: PERMISSION.compareFindingRead },
    {
      key: 'compare/lists',
      to: '/compare/lists',
      icon: <UnorderedListOutlined />,
      label: t('nav.compareListings'),
      testId: 'menu-compare-lists',
      permission: can(PERMISSION.compareCoverageRead) ? PERMISSION.compareCoverageRead : PERMISSION.compareFindingRead,
    },
  ];
  // 社会救助: the policy catalogue and the rule tester.
  const assistance: ModuleLink[] = [
    { key: 'assistance/policies', to: '/assistance/policies', icon: <SafetyCertificateOutlined />, label: t('nav.assistancePolicies'), testId: 'menu-assistance-policies', permission: PERMISSION.assistancePolicyRead },
    { key: 'assistance/tester', to: '/assistance/tester', icon: <ExperimentOutlined />, label: t('nav.assistanceTester'), testId: 'menu-assistance-tester', permission: PERMISSION.assistancePolicyRead },
    // 一件事联办: the applications of the region, the entitlement ledger and its monthly payments.
    { key: 'assistance/applications', to: '/assistance/applications', icon: <FileDoneOutlined />, label: t('applications.nav.applications'), testId: 'menu-assistance-applications', permission: PERMISSION.assistanceApplicationRead },
    { key: 'assistance/entitlements', to: '/assistance/entitlements', icon: <WalletOutlined />, label: t('applications.nav.entitlements'), testId: 'menu-assistance-entitlements', permission: PERMISSION.assistanceEntitlementRead },
    { key: 'assistance/payments', to: '/assistance/payments', icon: <AccountBookOutlined />, label: t('applications.nav.payments'), testId: 'menu-assistance-payments', permission: PERMISSION.assistanceEntitlementRead },
    // 主动发现: warnings for the community's adviser, the monitoring list, social resources, the grid worker's visit.
    { key: 'assistance/warnings', to: '/assistance/warnings', icon: <AlertOutlined />, label: t('discovery.nav.warnings'), testId: 'menu-assistance-warnings', permission: PERMISSION.assistanceWarningRead },
    { key: 'assistance/monitoring', to: '/assistance/monitoring', icon: <TeamOutlined />, label: t('discovery.nav.monitoring'), testId: 'menu-assistance-monitoring', permission: PERMISSION.assistanceMonitoringRead },
    { key: 'assistance/resources', to: '/assistance/resources', icon: <HeartOutlined />, label: t('discovery.nav.resources'), testId: 'menu-assistance-resources', permission: PERMISSION.assistanceResourceRead },
    { key: 'assistance/visits', to: '/assistance/visits', icon: <FormOutlined />, label: t('discovery.nav.visit'), testId: 'menu-assistance-visits', permission: PERMISSION.assistanceWarningRaise },
  ];
  const system: ModuleLink[] = [
    { key: 'imports', to: '/imports', icon: <CloudUploadOutlined />, label: t('nav.imports'), testId: 'menu-imports', permission: PERMISSION.importRun },
    { key: 'audit', to: '/audit', icon: <AuditOutlined />, label: t('nav.audit'), testId: 'menu-audit', permission: PERMISSION.auditRead },
  ];
  const toItem = (link: ModuleLink) => ({
    key: link.key,
    icon: link.icon,
    label: (
      <Link to={link.to} data-testid={link.testId}>
        {link.label}
      </Link>
    ),
  });
  const visible = (links: ModuleLink[]) => links.filter((link) => !link.permission || can(link.permission));
  const menuItems: MenuProps['items'] = [
    toItem({ key: 'dashboard', to: '/', icon: <DashboardOutlined />, label: t('nav.dashboard'), testId: 'menu-dashboard' }),
    { type: 'group', key: 'registry', label: t('nav.registry'), children: visible(registry).map(toItem) },
    ...(visible(appeals).length > 0
      ? [{ type: 'group' as const, key: 'appeals', label: t('nav.appeals'), children: visible(appeals).map(toItem) }]
      : []),
    ...(visible(supervision).length > 0
      ? [{ type: 'group' as const, key: 'supervision', label: t('nav.supervision'), children: visible(supervision).map(toItem) }]
      : []),
    ...(visible(compare).length > 0
      ? [{ type: 'group' as const, key: 'compare', label: t('nav.compare'), children: visible(compare).map(toItem) }]
      : []),
    ...(visible(assistance).length > 0
      ? [{ type: 'group' as const, key: 'assistance', label: t('nav.assistance'), children: visible(assistance).map(toItem) }]
      : []),
    ...(visible(system).length > 0
      ? [{ type: 'group' as const, key: 'system', label: t('nav.system'), children: visible(system).map(toItem) }]
      : []),
  ];
  const [section, sub] = location.pathname.split('/').slice(1);
  const selectedKey =
    section === 'appeals' && (sub === 'new' || sub === 'kpis' || sub === 'hotline' || sub === 'patrol' || sub === 'knowledge')
      ? `appeals/${sub}`
      : (section === 'supervision' || section === 'compare' || section === 'assistance') && sub
        ? `${section}/${sub}`
        : section || 'dashboard';

  const handleLogOut = async () => {
    await logOut();
    message.success(t('header.loggedOut'));
    await navigate('/login', { replace: true });
  };

  const roles = me?.roles.map(roleName).join('、') ?? '';
  const userMenu: MenuProps = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div className="ms-user-card">
            <Typography.Text strong>{me?.displayName}</Typography.Text>
            <Typography.Text type="secondary">{me?.username}</Typography.Text>
            <Typography.Text type="secondary">
              {t('header.role')}：{roles || '—'}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('header.scope')}：{me ? me.scope.name || t('header.allRegions') : '—'}
              {me?.scope.level ? `（${enumLabel('levels', me.scope.level)}）` : ''}
            </Typography.Text>
          </div>
        ),
      },
      { type: 'divider' },
      {
        key: 'logout',
        icon: <LogoutOutlined />,
        danger: true,
        label: <span data-testid="logout">{t('header.logout')}</span>,
        onClick: () => void handleLogOut(),
      },
    ],
  };

  return (
    <Layout className="ms-shell">
      <Layout.Sider
        width={224}
        collapsedWidth={64}
        breakpoint="lg"
        collapsible
        trigger={null}
        collapsed={isCollapsed}
        onCollapse={(collapsed) => setCollapsed(collapsed)}
        className="ms-sider"
      >
        <Link to="/" className="ms-brand">
          <span className="ms-brand-mark">民</span>
          {!isCollapsed && (
            <span className="ms-brand-text">
              <span className="ms-brand-name">{t('app.name')}</span>
              <span className="ms-brand-sub">{t('app.subtitle')}</span>
            </span>
          )}
        </Link>
        <Menu theme="dark" mode="inline" selectedKeys={[selectedKey]} items={menuItems} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="ms-header">
          <Button
            type="text"
            aria-label={isCollapsed ? t('header.expand') : t('header.collapse')}
            icon={isCollapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!isCollapsed)}
          />
          <div className="ms-header-title">{t('app.fullName')}</div>
          <Space size={8} className="ms-header-actions">
            {me ? (
              <Tag icon={<EnvironmentOutlined />} color="blue" className="ms-scope-tag" data-testid="scope-name">
                {me.scope.name || t('header.allRegions')}
              </Tag>
            ) : null}
            <LanguageSwitch />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" className="ms-user-button" data-testid="user-menu">
                <Avatar size="small" icon={<TeamOutlined />} style={{ backgroundColor: '#1f4e96' }} />
                <span className="ms-user-name">{me?.displayName}</span>
                {roles ? <span className="ms-user-role">{roles}</span> : null}
                <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="ms-content">
          <ErrorBoundary resetKey={location.pathname} fallback={(reset) => <CrashResult onReset={reset} />}>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </Layout.Content>
        <Layout.Footer className="ms-footer">{t('app.footer')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
