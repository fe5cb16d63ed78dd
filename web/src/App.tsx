import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUSLocale from 'antd/locale/en_US';
import zhCNLocale from 'antd/locale/zh_CN';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import { PERMISSION } from './auth/permissions';
import { RequireSession } from './auth/RequireSession';
import { SessionProvider } from './auth/SessionProvider';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './pages/login/LoginPage';
import { MobileEntry, SendResidentsToMobile } from './pages/resident/MobileEntry';
import { NotFoundPage, RequirePermission } from './pages/StatusPages';

const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const PlacesPage = lazy(() => import('./pages/places/PlacesPage').then((m) => ({ default: m.PlacesPage })));
const ResidentListPage = lazy(() =>
  import('./pages/residents/ResidentListPage').then((m) => ({ default: m.ResidentListPage })),
);
const ResidentDetailPage = lazy(() =>
  import('./pages/residents/ResidentDetailPage').then((m) => ({ default: m.ResidentDetailPage })),
);
const HouseholdListPage = lazy(() =>
  import('./pages/households/HouseholdListPage').then((m) => ({ default: m.HouseholdListPage })),
);
const HouseholdDetailPage = lazy(() =>
  import('./pages/households/HouseholdDetailPage').then((m) => ({ default: m.HouseholdDetailPage })),
);
const OrganisationListPage = lazy(() =>
  import('./pages/organisations/OrganisationListPage').then((m) => ({ default: m.OrganisationListPage })),
);
const ImportPage = lazy(() => import('./pages/imports/ImportPage').then((m) => ({ default: m.ImportPage })));
const MatterQueuePage = lazy(() =>
  import('./pages/matters/MatterQueuePage').then((m) => ({ default: m.MatterQueuePage })),
);
const MatterDetailPage = lazy(() =>
  import('./pages/matters/MatterDetailPage').then((m) => ({ default: m.MatterDetailPage })),
);
const AppealIntakePage = lazy(() =>
  import('./pages/appeals/AppealIntakePage').then((m) => ({ default: m.AppealIntakePage })),
);
const AppealKpiPage = lazy(() => import('./pages/appeals/AppealKpiPage').then((m) => ({ default: m.AppealKpiPage })));
const AgentConsolePage = lazy(() =>
  import('./pages/appeals/AgentConsolePage').then((m) => ({ default: m.AgentConsolePage })),
);
const KnowledgeListPage = lazy(() =>
  import('./pages/appeals/KnowledgeListPage').then((m) => ({ default: m.KnowledgeListPage })),
);
const PatrolPage = lazy(() => import('./pages/appeals/PatrolPage').then((m) => ({ default: m.PatrolPage })));
const OverdueBoardPage = lazy(() =>
  import('./pages/supervision/OverdueBoardPage').then((m) => ({ default: m.OverdueBoardPage })),
);
const AuditPage = lazy(() => import('./pages/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const PolicyCatalogPage = lazy(() =>
  import('./pages/assistance/PolicyCatalogPage').then((m) => ({ default: m.PolicyCatalogPage })),
);
const PolicyDetailPage = lazy(() =>
  import('./pages/assistance/PolicyDetailPage').then((m) => ({ default: m.PolicyDetailPage })),
);
const PolicyEditorPage = lazy(() =>
  import('./pages/assistance/PolicyEditorPage').then((m) => ({ default: m.PolicyEditorPage })),
);
const RuleTesterPage = lazy(() => import('./pages/assistance/RuleTesterPage').then((m) => ({ default: m.RuleTesterPage })));
const ApplicationListPage = lazy(() => import('./pages/assistance/applications/ApplicationListPage').then((m) => ({ default: m.ApplicationListPage })));
const ApplicationEditPage = lazy(() => import('./pages/assistance/applications/ApplicationEditPage').then((m) => ({ default: m.ApplicationEditPage })));
const ApplicationDetailPage = lazy(() => import('./pages/assistance/applications/ApplicationDetailPage').then((m) => ({ default: m.ApplicationDetailPage })));
const EntitlementsPage = lazy(() => import('./pages/assistance/applications/EntitlementsPage').then((m) => ({ default: m.EntitlementsPage })));
const PaymentsPage = lazy(() => import('./pages/assistance/applications/PaymentsPage').then((m) => ({ default: m.PaymentsPage })));
const WarningQueuePage = lazy(() => import('./pages/assistance/discovery/WarningQueuePage').then((m) => ({ default: m.WarningQueuePage })));
const WarningDetailPage = lazy(() => import('./pages/assistance/discovery/WarningDetailPage').then((m) => ({ default: m.WarningDetailPage })));
const MonitoringPage = lazy(() => import('./pages/assistance/discovery/MonitoringPage').then((m) => ({ default: m.MonitoringPage })));
const ResourceCatalogPage = lazy(() => import('./pages/assistance/discovery/ResourceCatalogPage').then((m) => ({ default: m.ResourceCatalogPage })));
const GridVisitPage = lazy(() => import('./pages/assistance/discovery/GridVisitPage').then((m) => ({ default: m.GridVisitPage })));
const CompareDatasetsPage = lazy(() => import('./pages/compare/DatasetsPage').then((m) => ({ default: m.DatasetsPage })));
const CompareRunsPage = lazy(() => import('./pages/compare/RunsPage').then((m) => ({ default: m.RunsPage })));
const CompareRunDetailPage = lazy(() => import('./pages/compare/RunDetailPage').then((m) => ({ default: m.RunDetailPage })));
const FindingQueuePage = lazy(() => import('./pages/compare/FindingQueuePage').then((m) => ({ default: m.FindingQueuePage })));
const FindingDetailPage = lazy(() => import('./pages/compare/FindingDetailPage').then((m) => ({ default: m.FindingDetailPage })));
const RecoveryTotalsPage = lazy(() => import('./pages/compare/RecoveryTotalsPage').then((m) => ({ default: m.RecoveryTotalsPage })));
const CompareListingsPage = lazy(() => import('./pages/compare/ListingsPage').then((m) => ({ default: m.ListingsPage })));

/** Brand colours: a sober government blue, square-ish corners, a dark navigation rail. */
const THEME = {
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: '#1f4e96',
    colorLink: '#1f4e96',
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { siderBg: '#0f2747', headerBg: '#ffffff', bodyBg: '#f3f5f8', footerBg: '#f3f5f8' },
    Menu: { darkItemBg: '#0f2747', darkSubMenuItemBg: '#0b1f3a', darkItemSelectedBg: '#1f4e96' },
    Tree: { nodeSelectedBg: '#dce7f7', nodeSelectedColor: '#0f2747' },
  },
};

/** The console: theme, antd locale following the language, session, and the page map. */
export function App() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en-US' ? enUSLocale : zhCNLocale;
  return (
    <ConfigProvider locale={locale} theme={THEME}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {/* The residents' mobile pages (随手拍), outside the staff console's frame. */}
              <Route path="/m/*" element={<MobileEntry />} />
              <Route
                element={
                  <RequireSession>
                    <SendResidentsToMobile>
                      <AppLayout />
                    </SendResidentsToMobile>
                  </RequireSession>
                }
              >
                <Route index element={<DashboardPage />} />
                <Route
                  path="places"
                  element={
                    <RequirePermission permission={PERMISSION.placeRead}>
                      <PlacesPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="residents"
                  element={
                    <RequirePermission permission={PERMISSION.residentRead}>
                      <ResidentListPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="residents/:residentId"
                  element={
                    <RequirePermission permission={PERMISSION.residentRead}>
                      <ResidentDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="households"
                  element={
                    <RequirePermission permission={PERMISSION.householdRead}>
                      <HouseholdListPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="households/:householdId"
                  element={
                    <RequirePermission permission={PERMISSION.householdRead}>
                      <HouseholdDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="organisations"
                  element={
                    <RequirePermission permission={PERMISSION.organisationRead}>
                      <OrganisationListPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="matters"
                  element={
                    <RequirePermission permission={PERMISSION.matterRead}>
                      <MatterQueuePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="matters/:matterId"
                  element={
                    <RequirePermission permission={PERMISSION.matterRead}>
                      <MatterDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="appeals/new"
                  element={
                    <RequirePermission permission={PERMISSION.matterCreate}>
                      <AppealIntakePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="appeals/kpis"
                  element={
                    <RequirePermission permission={PERMISSION.matterRead}>
                      <AppealKpiPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="appeals/hotline"
                  element={
                    <RequirePermission permission={PERMISSION.matterDispatch}>
                      <AgentConsolePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="appeals/knowledge"
                  element={
                    <RequirePermission permission={PERMISSION.matterRead}>
                      <KnowledgeListPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="appeals/patrol"
                  element={
                    <RequirePermission permission={PERMISSION.matterCreate}>
                      <PatrolPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="supervision/overdue"
                  element={
                    <RequirePermission permission={PERMISSION.supervisionRead}>
                      <OverdueBoardPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compare/datasets"
                  element={
                    <RequirePermission permission={PERMISSION.compareDatasetRead}>
                      <CompareDatasetsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compare/runs"
                  element={
                    <RequirePermission permission={PERMISSION.compareRunRead}>
                      <CompareRunsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compare/runs/:runId"
                  element={
                    <RequirePermission permission={PERMISSION.compareRunRead}>
                      <CompareRunDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compare/findings"
                  element={
                    <RequirePermission permission={PERMISSION.compareFindingRead}>
                      <FindingQueuePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compare/findings/:findingId"
                  element={
                    <RequirePermission permission={PERMISSION.compareFindingRead}>
                      <FindingDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="compare/recovery"
                  element={
                    <RequirePermission permission={PERMISSION.compareFindingRead}>
                      <RecoveryTotalsPage />
                    </RequirePermission>
                  }
                />
                <Route path="compare/lists" element={<CompareListingsPage />} />
                <Route
                  path="assistance/policies"
                  element={
                    <RequirePermission permission={PERMISSION.assistancePolicyRead}>
                      <PolicyCatalogPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/policies/new"
                  element={
                    <RequirePermission permission={PERMISSION.assistancePolicyWrite}>
                      <PolicyEditorPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/policies/:policyId"
                  element={
                    <RequirePermission permission={PERMISSION.assistancePolicyRead}>
                      <PolicyDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/policies/:policyId/edit"
                  element={
                    <RequirePermission permission={PERMISSION.assistancePolicyWrite}>
                      <PolicyEditorPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/tester"
                  element={
                    <RequirePermission permission={PERMISSION.assistancePolicyRead}>
                      <RuleTesterPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/applications"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceApplicationRead}>
                      <ApplicationListPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/applications/new"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceApplicationWrite}>
                      <ApplicationEditPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/applications/:applicationId"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceApplicationRead}>
                      <ApplicationDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/entitlements"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceEntitlementRead}>
                      <EntitlementsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/payments"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceEntitlementRead}>
                      <PaymentsPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/warnings"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceWarningRead}>
                      <WarningQueuePage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/warnings/:warningId"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceWarningRead}>
                      <WarningDetailPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/monitoring"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceMonitoringRead}>
                      <MonitoringPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/resources"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceResourceRead}>
                      <ResourceCatalogPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="assistance/visits"
                  element={
                    <RequirePermission permission={PERMISSION.assistanceWarningRaise}>
                      <GridVisitPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="imports"
                  element={
                    <RequirePermission permission={PERMISSION.importRun}>
                      <ImportPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="audit"
                  element={
                    <RequirePermission permission={PERMISSION.auditRead}>
                      <AuditPage />
                    </RequirePermission>
                  }
                />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
