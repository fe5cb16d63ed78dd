import {
  ApartmentOutlined,
  AuditOutlined,
  BorderInnerOutlined,
  CloudUploadOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Card, Col, Row, Skeleton, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { overviewEndpoint } from '../../api/stats';
import { PERMISSION, type PermissionName } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { CalendarCoverageAlert } from './CalendarCoverageAlert';

interface StatCardProps {
  title: string;
  value: number | undefined;
  suffix: string;
  icon: ReactNode;
  color: string;
  to?: string;
  testId: string;
}

function StatCard({ title, value, suffix, icon, color, to, testId }: StatCardProps) {
  const body = (
    <Card className="ms-stat-card" hoverable={Boolean(to)} data-testid={testId}>
      <div className="ms-stat-icon" style={{ backgroundColor: `${color}14`, color }}>
        {icon}
      </div>
      {value === undefined ? (
        <Skeleton active paragraph={false} title={{ width: 120 }} />
      ) : (
        <Statistic title={title} value={value} suffix={suffix || undefined} />
      )}
    </Card>
  );
  return to ? <Link to={to}>{body}</Link> : body;
}

interface QuickLink {
  to: string;
  icon: ReactNode;
  label: string;
  permission: PermissionName;
}

/** The landing page: what lies in the account's scope, and where to go next. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const overview = useJson(can(PERMISSION.placeRead) ? overviewEndpoint : null);
  const counts = overview.data;
  const scope = me ? `${me.scope.name || t('header.allRegions')}${me.scope.level ? `（${enumLabel('levels', me.scope.level)}）` : ''}` : '—';

  const quickLinks: QuickLink[] = [
    { to: '/places', icon: <EnvironmentOutlined />, label: t('dashboard.quick.places'), permission: PERMISSION.placeRead },
    { to: '/residents', icon: <UserOutlined />, label: t('dashboard.quick.residents'), permission: PERMISSION.residentRead },
    { to: '/imports', icon: <CloudUploadOutlined />, label: t('dashboard.quick.imports'), permission: PERMISSION.importRun },
    { to: '/audit', icon: <AuditOutlined />, label: t('dashboard.quick.audit'), permission: PERMISSION.auditRead },
  ];

  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        subtitle={`${t('dashboard.greeting', { name: me?.displayName ?? '' })} · ${t('dashboard.scopeLine', { scope })}`}
      />
      <CalendarCoverageAlert />
      {overview.error ? <ErrorAlert error={overview.error} onRetry={overview.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} xl={6}>
          <StatCard
            testId="stat-residents"
            title={t('dashboard.residents')}
            value={counts?.residents}
            suffix={t('dashboard.unitPeople')}
            icon={<UserOutlined />}
            color="#1f4e96"
            to={can(PERMISSION.residentRead) ? '/residents' : undefined}
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <StatCard
            testId="stat-households"
            title={t('dashboard.households')}
            value={counts?.households}
            suffix={t('dashboard.unitHouseholds')}
            icon={<HomeOutlined />}
            color="#0e7c66"
            to={can(PERMISSION.householdRead) ? '/households' : undefined}
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <StatCard
            testId="stat-organisations"
            title={t('dashboard.organisations')}
            value={counts?.organisations}
            suffix={t('dashboard.unitOrganisations')}
            icon={<ApartmentOutlined />}
            color="#b26a00"
            to={can(PERMISSION.organisationRead) ? '/organisations' : undefined}
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <StatCard
            testId="stat-grids"
            title={t('dashboard.grids')}
            value={counts?.grids}
            suffix={t('dashboard.unitGrids')}
            icon={<BorderInnerOutlined />}
            color="#8e2c2c"
            to={can(PERMISSION.placeRead) ? '/places' : undefined}
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card title={t('dashboard.quickLinks')} className="ms-card-fill">
            <Row gutter={[12, 12]}>
              {quickLinks
                .filter((link) => can(link.permission))
                .map((link) => (
                  <Col xs={24} sm={12} key={link.to}>
                    <Link to={link.to} className="ms-quick-link">
                      <span className="ms-quick-icon">{link.icon}</span>
                      {link.label}
                    </Link>
                  </Col>
                ))}
            </Row>
            {counts ? (
              <div className="ms-microgrid-line">
                {t('dashboard.microgrids')}：<strong>{counts.microgrids.toLocaleString()}</strong> {t('dashboard.unitGrids')}
              </div>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('dashboard.privacyTitle')} className="ms-card-fill">
            <Alert type="info" showIcon icon={<SafetyCertificateOutlined />} title={t('dashboard.privacyText')} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
