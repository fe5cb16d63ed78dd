import { ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  catalogueReferenceEndpoint,
  policiesEndpoint,
  POLICY_STATUSES,
  serviceListsEndpoint,
  type PolicyStatus,
  type PolicySummary,
  type ServiceList,
} from '../../api/assistance';
import { PERMISSION } from '../../auth/permissions';
import { useSession } from '../../auth/session-context';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { serverPagination } from '../../components/pagination';
import { SearchBox } from '../../components/SearchBox';
import { useJson } from '../../hooks/useJson';
import { useListState } from '../../hooks/useListState';
import { PageHeader } from '../../layout/PageHeader';
import { localName, PolicyStatusTag, policyPath, ReviewFreeTag } from './assistanceLabels';

const FILTER_KEYS = ['tab', 'q', 'departmentCode', 'categoryCode', 'serviceListCode', 'status', 'reviewFree'] as const;
// The catalogue has tens of lists, not thousands: one page fills the filter.
const ALL_LISTS = { page: 1, pageSize: 200 } as const;

function isStatus(value: string): value is PolicyStatus {
  return (POLICY_STATUSES as readonly string[]).includes(value);
}

/**
 * 政策目录: the social-assistance policies of every department, searched and filtered by
 * department, category, service list (服务清单), status and 免审即享, page by page; and the service
 * lists themselves, each opening its policies.
 */
export function PolicyCatalogPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useSession();
  const list = useListState(FILTER_KEYS);
  const { filters } = list;
  const [query, setQuery] = useState(filters.q);
  const tab = filters.tab === 'lists' ? 'lists' : 'policies';
  const reference = useJson(catalogueReferenceEndpoint());
  const lists = useJson(serviceListsEndpoint(ALL_LISTS));
  const policies = useJson(
    tab === 'policies'
      ? policiesEndpoint({
          q: filters.q || undefined,
          departmentCode: filters.departmentCode || undefined,
          categoryCode: filters.categoryCode || undefined,
          serviceListCode: filters.serviceListCode || undefined,
          status: isStatus(filters.status) ? filters.status : undefined,
          isReviewFree: filters.reviewFree === '1' ? true : undefined,
          page: list.page,
          pageSize: list.pageSize,
        })
      : null,
  );
  const hasFilters = Boolean(filters.q || filters.departmentCode || filters.categoryCode || filters.serviceListCode || filters.status || filters.reviewFree);
  const listName = (code: string) => {
    const found = lists.data?.items.find((l) => l.code === code);
    return found ? localName(found) : code;
  };

  useEffect(() => setQuery(filters.q), [filters.q]);

  const policyColumns: TableColumnsType<PolicySummary> = [
    {
      title: t('assistance.policy.name'),
      key: 'name',
      render: (_, policy) => (
        <Space orientation="vertical" size={0}>
          <Link to={policyPath(policy.id)} data-testid="assistance-policy-link">
            {localName(policy)}
          </Link>
          <Typography.Text type="secondary" className="ms-mono" style={{ fontSize: 12 }}>
            {policy.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('assistance.policy.department'), key: 'department', width: 190, render: (_, policy) => localName(policy.department) },
    { title: t('assistance.policy.category'), key: 'category', width: 150, render: (_, policy) => <Tag>{localName(policy.category)}</Tag> },
    { title: t('assistance.policy.benefit'), dataIndex: 'benefitPeriod', width: 110, render: (period: PolicySummary['benefitPeriod']) => t(`assistance.periods.${period}`) },
    { title: t('assistance.policy.timeLimit'), dataIndex: 'timeLimitDays', width: 120, render: (days: number) => t('assistance.policy.workingDays', { count: days }) },
    {
      title: t('assistance.policy.grant'),
      key: 'grant',
      width: 110,
      render: (_, policy) => (policy.isReviewFree ? <ReviewFreeTag /> : <span className="ms-muted">{t('assistance.policy.review')}</span>),
    },
    { title: t('assistance.policy.status'), dataIndex: 'status', width: 90, render: (status: PolicyStatus) => <PolicyStatusTag status={status} /> },
  ];

  const listColumns: TableColumnsType<ServiceList> = [
    {
      title: t('assistance.lists.name'),
      key: 'name',
      width: 280,
      render: (_, item) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => list.setFilters({ tab: '', serviceListCode: item.code })} data-testid="assistance-list-open">
          {localName(item)}
        </Button>
      ),
    },
    { title: t('assistance.lists.description'), dataIndex: 'description', ellipsis: true },
    { title: t('assistance.lists.policies'), dataIndex: 'policyCount', width: 110, align: 'right' },
    { title: t('assistance.lists.departments'), dataIndex: 'departmentCount', width: 110, align: 'right' },
  ];

  return (
    <>
      <PageHeader
        title={t('assistance.catalogue.title')}
        subtitle={
          reference.data && lists.data
            ? t('assistance.catalogue.subtitle', { departments: reference.data.departments.length, lists: lists.data.total })
            : t('assistance.catalogue.subtitleLoading')
        }
        crumbs={[{ title: t('nav.assistance') }, { title: t('assistance.catalogue.title') }]}
        extra={
          <Space>
            <Button icon={<ExperimentOutlined />} onClick={() => void navigate('/assistance/tester')} data-testid="assistance-open-tester">
              {t('assistance.tester.title')}
            </Button>
            {can(PERMISSION.assistancePolicyWrite) ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/assistance/policies/new')} data-testid="assistance-policy-new">
                {t('assistance.catalogue.new')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => list.setFilters({ tab: key === 'lists' ? 'lists' : '' })}
        items={[
          { key: 'policies', label: t('assistance.catalogue.policiesTab') },
          { key: 'lists', label: t('assistance.catalogue.listsTab') },
        ]}
        data-testid="assistance-catalogue-tabs"
      />
      {reference.error ? <ErrorAlert error={reference.error} onRetry={reference.reload} /> : null}
      {tab === 'policies' ? (
        <>
          <FilterBar
            onReset={() => {
              setQuery('');
              list.resetFilters();
            }}
          >
            <SearchBox value={query} onChange={setQuery} onSearch={(q) => list.setFilters({ q })} placeholder={t('assistance.catalogue.searchPlaceholder')} width={300} testId="assistance-policy" />
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t('assistance.catalogue.departmentFilter')}
              value={filters.departmentCode || undefined}
              onChange={(code: string | undefined) => list.setFilters({ departmentCode: code ?? '' })}
              options={(reference.data?.departments ?? []).map((d) => ({ value: d.code, label: localName(d) }))}
              data-testid="assistance-department-filter"
            />
            <Select
              allowClear
              style={{ width: 170 }}
              placeholder={t('assistance.catalogue.categoryFilter')}
              value={filters.categoryCode || undefined}
              onChange={(code: string | undefined) => list.setFilters({ categoryCode: code ?? '' })}
              options={(reference.data?.categories ?? []).map((c) => ({ value: c.code, label: localName(c) }))}
              data-testid="assistance-category-filter"
            />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 230 }}
              placeholder={t('assistance.catalogue.listFilter')}
              value={filters.serviceListCode || undefined}
              onChange={(code: string | undefined) => list.setFilters({ serviceListCode: code ?? '' })}
              options={(lists.data?.items ?? []).map((l) => ({ value: l.code, label: localName(l) }))}
              data-testid="assistance-list-filter"
            />
            <Select
              allowClear
              style={{ width: 120 }}
              placeholder={t('assistance.catalogue.statusFilter')}
              value={isStatus(filters.status) ? filters.status : undefined}
              onChange={(status: string | undefined) => list.setFilters({ status: status ?? '' })}
              options={POLICY_STATUSES.map((status) => ({ value: status, label: t(`assistance.statuses.${status}`) }))}
              data-testid="assistance-status-filter"
            />
            <Select
              allowClear
              style={{ width: 140 }}
              placeholder={t('assistance.catalogue.grantFilter')}
              value={filters.reviewFree === '1' ? '1' : undefined}
              onChange={(value: string | undefined) => list.setFilters({ reviewFree: value ?? '' })}
              options={[{ value: '1', label: t('assistance.reviewFree') }]}
              data-testid="assistance-review-free-filter"
            />
          </FilterBar>
          {filters.serviceListCode ? (
            <Typography.Paragraph type="secondary" data-testid="assistance-list-filter-note">
              {t('assistance.catalogue.inList', { list: listName(filters.serviceListCode) })}
            </Typography.Paragraph>
          ) : null}
          {policies.error ? <ErrorAlert error={policies.error} onRetry={policies.reload} /> : null}
          <div className="ms-table-card" data-testid="assistance-policy-table">
            <Table<PolicySummary>
              rowKey={(row) => String(row.id)}
              columns={policyColumns}
              dataSource={policies.data?.items ?? []}
              loading={policies.isLoading}
              scroll={{ x: 1000 }}
              pagination={serverPagination(list.page, list.pageSize, policies.data?.total, list.setPage)}
              locale={{
                emptyText: (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hasFilters ? t('assistance.catalogue.noneFound') : t('assistance.catalogue.empty')} data-testid="assistance-policy-empty" />
                ),
              }}
            />
          </div>
        </>
      ) : (
        <>
          {lists.error ? <ErrorAlert error={lists.error} onRetry={lists.reload} /> : null}
          <div className="ms-table-card" data-testid="assistance-list-table">
            <Table<ServiceList>
              rowKey="code"
              columns={listColumns}
              dataSource={lists.data?.items ?? []}
              loading={lists.isLoading}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assistance.lists.empty')} /> }}
            />
          </div>
        </>
      )}
    </>
  );
}
