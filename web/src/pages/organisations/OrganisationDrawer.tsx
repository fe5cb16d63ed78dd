import { Descriptions, Drawer, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { organisationEndpoint } from '../../api/organisations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoading } from '../../components/PageLoading';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';

/** Details of one organisation beside its list. */
export function OrganisationDrawer({ organisationId, onClose }: { organisationId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const organisation = useJson(organisationId ? organisationEndpoint(organisationId) : null);
  const data = organisation.data && String(organisation.data.id) === organisationId ? organisation.data : undefined;
  const formatTime = (value: string | undefined) => (value ? dayjs(value).format('YYYY-MM-DD HH:mm') : '—');

  return (
    <Drawer
      open={organisationId !== null}
      onClose={onClose}
      size={560}
      title={data?.name ?? t('organisations.detailTitle')}
      destroyOnHidden
      data-testid="organisation-drawer"
    >
      {organisation.error ? <ErrorAlert error={organisation.error} onRetry={organisation.reload} /> : null}
      {!data && !organisation.error ? <PageLoading /> : null}
      {data ? (
        <Descriptions
          bordered
          size="small"
          column={1}
          styles={{ label: { width: 170 } }}
          items={[
            { key: 'name', label: t('organisations.name'), children: data.name },
            { key: 'kind', label: t('organisations.kind'), children: <Tag color="geekblue">{enumLabel('organisationKinds', data.kind)}</Tag> },
            {
              key: 'creditCode',
              label: t('organisations.creditCode'),
              children: data.creditCode ? (
                <Typography.Text copyable className="ms-mono">
                  {data.creditCode}
                </Typography.Text>
              ) : (
                '—'
              ),
            },
            { key: 'legal', label: t('organisations.legalRepresentative'), children: data.legalRepresentative ?? '—' },
            { key: 'place', label: t('organisations.place'), children: data.placeName ?? '—' },
            ...(data.parentName !== undefined ? [{ key: 'parent', label: t('organisations.parent'), children: data.parentName ?? '—' }] : []),
            ...(data.phoneMasked !== undefined
              ? [{ key: 'phone', label: t('organisations.phone'), children: <span className="ms-mono">{data.phoneMasked ?? '—'}</span> }]
              : []),
            ...(data.address !== undefined ? [{ key: 'address', label: t('organisations.address'), children: data.address ?? '—' }] : []),
            { key: 'status', label: t('organisations.status'), children: enumLabel('organisationStatus', data.status) },
            ...(data.createdAt !== undefined ? [{ key: 'created', label: t('organisations.createdAt'), children: formatTime(data.createdAt) }] : []),
            ...(data.updatedAt !== undefined ? [{ key: 'updated', label: t('organisations.updatedAt'), children: formatTime(data.updatedAt) }] : []),
          ]}
        />
      ) : null}
    </Drawer>
  );
}
