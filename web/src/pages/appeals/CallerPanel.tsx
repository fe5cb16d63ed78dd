import { Button, Empty, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CallerAppeal, CallerProfile, CallerResident } from '../../api/appeals';
import { appealCategoryName } from '../../domain/appealCategories';
import { stateColor } from '../../domain/appealType';
import { enumLabel } from '../../domain/labels';

const DAY_TIME = 'YYYY-MM-DD HH:mm';

interface CallerPanelProps {
  profile: CallerProfile;
  /** The agent takes a registered resident's name as the caller's. */
  onUseName: (name: string) => void;
}

/** 来电信息: the caller's earlier appeals and the residents registered with the number, masked. */
export function CallerPanel({ profile, onUseName }: CallerPanelProps) {
  const { t } = useTranslation();
  const appealColumns: TableColumnsType<CallerAppeal> = [
    {
      title: t('agent.reference'),
      dataIndex: 'reference',
      width: 170,
      render: (reference: string, row) => (
        <Link to={`/matters/${encodeURIComponent(String(row.matterId))}`} className="ms-mono" data-testid="agent-caller-appeal-link">
          {reference}
        </Link>
      ),
    },
    { title: t('agent.receivedAt'), dataIndex: 'createdAt', width: 140, render: (at: string) => dayjs(at).format(DAY_TIME) },
    { title: t('appeals.category'), dataIndex: 'categoryCode', width: 120, render: (code: string) => appealCategoryName(code) },
    { title: t('appeals.title'), dataIndex: 'title', ellipsis: true },
    {
      title: t('agent.state'),
      dataIndex: 'state',
      width: 90,
      render: (state: string) => <Tag color={stateColor(state)}>{enumLabel('matterStates', state)}</Tag>,
    },
  ];
  const residentColumns: TableColumnsType<CallerResident> = [
    { title: t('agent.residentName'), dataIndex: 'name', width: 90 },
    {
      title: t('agent.genderAge'),
      key: 'genderAge',
      width: 90,
      render: (_: unknown, row) => `${enumLabel('genders', row.gender)} · ${t('agent.age', { age: row.age })}`,
    },
    { title: t('agent.idNumber'), dataIndex: 'idNumberMasked', width: 180, render: (id: string) => <span className="ms-mono">{id}</span> },
    { title: t('agent.place'), dataIndex: 'placeName', ellipsis: true },
    {
      title: t('common.actions'),
      key: 'use',
      width: 90,
      render: (_: unknown, row) => (
        <Button size="small" type="link" onClick={() => onUseName(row.name)} data-testid="agent-caller-use-name">
          {t('agent.useName')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="agent-caller-panel">
      <Space size={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong className="ms-mono" data-testid="agent-caller-phone">
          {profile.phoneMasked}
        </Typography.Text>
        <Tag color={profile.appeals.length > 0 ? 'orange' : 'default'} data-testid="agent-caller-count">
          {t('agent.historyCount', { count: profile.appeals.length })}
        </Tag>
        {profile.appeals.length > 0 && profile.appeals[0]?.reporterName ? (
          <Typography.Text type="secondary">{t('agent.lastName', { name: profile.appeals[0].reporterName })}</Typography.Text>
        ) : null}
      </Space>
      {profile.appeals.length === 0 && profile.residents.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('agent.callerUnknown')} data-testid="agent-caller-empty" />
      ) : null}
      {profile.appeals.length > 0 ? (
        <div data-testid="agent-caller-appeals" style={{ marginBottom: 12 }}>
          <Table<CallerAppeal> size="small" rowKey="matterId" columns={appealColumns} dataSource={profile.appeals} pagination={false} scroll={{ y: 220, x: 640 }} />
        </div>
      ) : null}
      {profile.residents.length > 0 ? (
        <div data-testid="agent-caller-residents">
          <Typography.Text type="secondary">{t('agent.registryMatches')}</Typography.Text>
          <Table<CallerResident> size="small" rowKey="id" columns={residentColumns} dataSource={profile.residents} pagination={false} scroll={{ x: 560 }} />
        </div>
      ) : null}
      {!profile.isRegistrySearched ? <Typography.Text type="secondary">{t('agent.registryNotSearched')}</Typography.Text> : null}
    </div>
  );
}
