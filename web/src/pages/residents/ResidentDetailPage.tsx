import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Descriptions, Empty, Space, Table, Tag, Typography, type DescriptionsProps } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { householdEndpoint } from '../../api/households';
import { residentEndpoint, unmaskResident } from '../../api/residents';
import type { ResidentDetail, ResidentSummary, UnmaskedResident } from '../../api/types';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { ResidentTags } from '../../components/ResidentTags';
import { enumLabel } from '../../domain/labels';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { useResidentColumns } from './ResidentListPage';
import { RevealModal } from '../../components/RevealModal';

/** Format of timestamps on detail pages. */
export const DATE_TIME = 'YYYY-MM-DD HH:mm';

function formatTime(value: string | null | undefined): string {
  return value ? dayjs(value).format(DATE_TIME) : '—';
}

function Sensitive({
  masked,
  clear,
  testId,
  isCode = true,
}: {
  masked: string | null;
  clear: string | null | undefined;
  testId: string;
  isCode?: boolean;
}) {
  const value = clear !== undefined ? clear : masked;
  if (!value) return <span className="ms-muted">—</span>;
  return (
    <Typography.Text className={isCode ? 'ms-mono' : undefined} data-testid={testId} copyable={clear !== undefined ? { text: value } : false}>
      {value}
    </Typography.Text>
  );
}

function HouseholdMembers({ resident }: { resident: ResidentDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const household = useJson(resident.household ? householdEndpoint(resident.household.id) : null);
  const columns = useResidentColumns();
  if (!resident.household) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('residents.noHousehold')} />;
  return (
    <>
      {household.error ? <ErrorAlert error={household.error} onRetry={household.reload} /> : null}
      <Table<ResidentSummary>
        rowKey={(row) => String(row.id)}
        size="small"
        columns={[
          ...columns.slice(0, 1).map((column) => ({
            ...column,
            render: (name: string, row: ResidentSummary) => (
              <Space size={4}>
                <Link to={`/residents/${encodeURIComponent(String(row.id))}`}>{name}</Link>
                {String(row.id) === String(resident.id) ? <Tag color="blue">{t('residents.current')}</Tag> : null}
              </Space>
            ),
          })),
          ...columns.slice(1),
        ]}
        dataSource={household.data?.members ?? []}
        loading={household.isLoading}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(row) => ({
          onClick: () => void navigate(`/residents/${encodeURIComponent(String(row.id))}`),
          className: 'ms-clickable-row',
        })}
        data-testid="household-members"
      />
    </>
  );
}

function ResidentView({ resident }: { resident: ResidentDetail }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [isModalOpen, setModalOpen] = useState(false);
  const [revealed, setRevealed] = useState<{ fields: UnmaskedResident; reason: string } | null>(null);

  const placePath = resident.placePath.map((place) => ({ title: place.name }));
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('residents.name'), children: resident.name },
    { key: 'gender', label: t('residents.gender'), children: enumLabel('genders', resident.gender) },
    { key: 'birthDate', label: t('residents.birthDate'), children: resident.birthDate ? dayjs(resident.birthDate).format('YYYY-MM-DD') : '—' },
    { key: 'age', label: t('residents.age'), children: t('residents.years', { age: resident.age }) },
    {
      key: 'idNumber',
      label: t('residents.idNumber'),
      children: <Sensitive masked={resident.idNumberMasked} clear={revealed?.fields.idNumber} testId="resident-id-number" />,
    },
    {
      key: 'phone',
      label: t('residents.phone'),
      children: <Sensitive masked={resident.phoneMasked} clear={revealed?.fields.phone} testId="resident-phone" />,
    },
    { key: 'ethnicity', label: t('residents.ethnicity'), children: resident.ethnicity ?? '—' },
    { key: 'status', label: t('residents.status'), children: enumLabel('residentStatus', resident.status) },
    {
      key: 'address',
      label: t('residents.address'),
      span: 'filled',
      children: <Sensitive masked={resident.addressMasked} clear={revealed?.fields.address} testId="resident-address" isCode={false} />,
    },
    {
      key: 'placePath',
      label: t('residents.placePath'),
      span: 'filled',
      children: placePath.length > 0 ? <Breadcrumb items={placePath} /> : resident.placeName,
    },
    {
      key: 'household',
      label: t('residents.household'),
      children: resident.household ? (
        <Link to={`/households/${encodeURIComponent(String(resident.household.id))}`} className="ms-mono">
          {resident.household.householdNumber}
        </Link>
      ) : (
        '—'
      ),
    },
    { key: 'relation', label: t('residents.relationToHead'), children: resident.relationToHead ?? '—' },
    { key: 'tags', label: t('residents.tags'), span: 'filled', children: <ResidentTags tags={resident.tags} /> },
    { key: 'createdAt', label: t('residents.createdAt'), children: formatTime(resident.createdAt) },
    { key: 'updatedAt', label: t('residents.updatedAt'), children: formatTime(resident.updatedAt) },
  ];

  return (
    <>
      <PageHeader
        title={resident.name}
        crumbs={[{ title: t('nav.registry') }, { title: t('residents.title'), to: '/residents' }, { title: resident.name }]}
        extra={
          can(PERMISSION.residentUnmask) ? (
            revealed ? (
              <Button icon={<EyeInvisibleOutlined />} onClick={() => setRevealed(null)} data-testid="resident-hide">
                {t('residents.hide')}
              </Button>
            ) : (
              <Button type="primary" icon={<EyeOutlined />} onClick={() => setModalOpen(true)} data-testid="resident-reveal">
                {t('residents.reveal')}
              </Button>
            )
          ) : null
        }
      />
      {revealed ? (
        <Alert
          type="warning"
          showIcon
          title={t('residents.revealed')}
          description={t('residents.revealedNote', { reason: revealed.reason })}
          style={{ marginBottom: 16 }}
          data-testid="unmask-notice"
        />
      ) : null}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('residents.basicInfo')}>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} styles={{ label: { width: 140 } }} />
        </Card>
        <Card title={t('residents.householdMembers')}>
          <HouseholdMembers resident={resident} />
        </Card>
      </Space>
      <RevealModal
        subject={resident.name}
        reveal={(reason) => unmaskResident(resident.id, reason)}
        testIdPrefix="unmask"
        isOpen={isModalOpen}
        onClose={() => setModalOpen(false)}
        onRevealed={(fields, reason) => {
          setRevealed({ fields, reason });
          setModalOpen(false);
        }}
      />
    </>
  );
}

/** One resident, masked, with an audited way to see the full personal fields. */
export function ResidentDetailPage() {
  const { t } = useTranslation();
  const { residentId = '' } = useParams();
  const resident = useJson(residentEndpoint(residentId));
  const data = resident.data && String(resident.data.id) === residentId ? resident.data : undefined;
  if (resident.error) {
    return (
      <>
        <PageHeader title={t('residents.detailTitle')} crumbs={[{ title: t('nav.registry') }, { title: t('residents.title'), to: '/residents' }, { title: t('residents.detailTitle') }]} />
        <ErrorResult error={resident.error} onRetry={resident.reload} />
      </>
    );
  }
  if (!data) return <PageLoading />;
  return <ResidentView key={residentId} resident={data} />;
}
