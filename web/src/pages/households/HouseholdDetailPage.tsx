import { Card, Descriptions, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { householdEndpoint } from '../../api/households';
import type { HouseholdDetail, HouseholdMember } from '../../api/types';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { useResidentColumns } from '../residents/ResidentListPage';

function HouseholdView({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const columns = useResidentColumns();
  return (
    <>
      <PageHeader
        title={`${t('households.detailTitle')} ${household.householdNumber}`}
        crumbs={[
          { title: t('nav.registry') },
          { title: t('households.title'), to: '/households' },
          { title: household.householdNumber },
        ]}
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('households.basicInfo')}>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, md: 2 }}
            styles={{ label: { width: 140 } }}
            items={[
              { key: 'number', label: t('households.householdNumber'), children: <span className="ms-mono">{household.householdNumber}</span> },
              { key: 'head', label: t('households.head'), children: household.headName ?? '—' },
              { key: 'count', label: t('households.memberCount'), children: household.memberCount },
              { key: 'place', label: t('households.place'), children: household.placeName },
              { key: 'address', label: t('households.address'), span: 'filled', children: household.addressMasked ?? '—' },
            ]}
          />
        </Card>
        <Card title={`${t('households.members')}（${household.members.length}）`}>
          <Table<HouseholdMember>
            rowKey={(row) => String(row.id)}
            size="small"
            columns={[
              ...columns.slice(0, 1),
              {
                title: t('residents.relationToHead'),
                dataIndex: 'relationToHead',
                width: 110,
                render: (relation: string | null | undefined) => relation ?? '—',
              },
              ...columns.slice(1),
            ]}
            dataSource={household.members}
            pagination={false}
            scroll={{ x: 900 }}
            onRow={(row) => ({
              onClick: () => void navigate(`/residents/${encodeURIComponent(String(row.id))}`),
              className: 'ms-clickable-row',
            })}
          />
        </Card>
      </Space>
    </>
  );
}

/** One household and its members. */
export function HouseholdDetailPage() {
  const { t } = useTranslation();
  const { householdId = '' } = useParams();
  const household = useJson(householdEndpoint(householdId));
  const data = household.data && String(household.data.id) === householdId ? household.data : undefined;
  if (household.error) {
    return (
      <>
        <PageHeader title={t('households.detailTitle')} crumbs={[{ title: t('nav.registry') }, { title: t('households.title'), to: '/households' }, { title: t('households.detailTitle') }]} />
        <ErrorResult error={household.error} onRetry={household.reload} />
      </>
    );
  }
  if (!data) return <PageLoading />;
  return <HouseholdView household={data} />;
}
