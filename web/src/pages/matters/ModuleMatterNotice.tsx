import { ArrowRightOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { applicationsEndpoint } from '../../api/applications';
import type { MatterWithAssignment } from '../../api/matters';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { useJson } from '../../hooks/useJson';
import { applicationPath } from '../assistance/applications/applicationLabels';

/** Matter types whose steps are taken on their module's own page (their actions are `viaModule`). */
const ASSISTANCE_TYPES = new Set(['assistance_item', 'assistance_bundle']);
const FINDING_TYPE = 'audit_finding';

/** True when the matter's steps belong to another page: the generic one offers no buttons for them. */
export function isModuleMatter(typeCode: string): boolean {
  return ASSISTANCE_TYPES.has(typeCode) || typeCode === FINDING_TYPE;
}

/** The application a bundle's matter (or one of its items' matters) belongs to, with a link to it. */
function ApplicationLink({ matter }: { matter: MatterWithAssignment }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const canRead = can(PERMISSION.assistanceApplicationRead);
  const found = useJson(canRead ? applicationsEndpoint({ matterId: Number(matter.id), page: 1, pageSize: 1 }) : null);
  const application = found.data?.items[0];
  return (
    <Card title={t('applications.matterLink.itemTitle')} data-testid="matter-module-link" data-kind="assistance">
      <Typography.Paragraph>{matter.typeCode === 'assistance_bundle' ? t('applications.matterLink.bundleText') : t('applications.matterLink.itemText')}</Typography.Paragraph>
      {found.isLoading ? <Spin size="small" /> : null}
      {application ? (
        <Link to={applicationPath(application.id)} data-testid="matter-application-link">
          <Button type="primary" icon={<ArrowRightOutlined />}>
            {t('applications.matterLink.open', { reference: application.reference })}
          </Button>
        </Link>
      ) : found.data || !canRead || found.error ? (
        <Alert type="info" showIcon title={t('applications.matterLink.notFound')} />
      ) : null}
    </Card>
  );
}

/**
 * Where the steps of a module's matter are taken: a social-assistance item is decided on its
 * application's page, a 疑点核查 finding on the findings page. The generic action endpoint refuses
 * those steps (MATTER_ACTION_RESERVED), because they write more than the matter.
 */
export function ModuleMatterNotice({ matter }: { matter: MatterWithAssignment }) {
  const { t } = useTranslation();
  if (ASSISTANCE_TYPES.has(matter.typeCode)) return <ApplicationLink matter={matter} />;
  if (matter.typeCode === FINDING_TYPE) {
    return (
      <Card title={t('applications.matterLink.findingTitle')} data-testid="matter-module-link" data-kind="finding">
        <Typography.Paragraph>{t('applications.matterLink.findingText')}</Typography.Paragraph>
        <Link to="/compare/findings">
          <Button icon={<ArrowRightOutlined />}>{t('applications.matterLink.openFinding')}</Button>
        </Link>
      </Card>
    );
  }
  return null;
}
