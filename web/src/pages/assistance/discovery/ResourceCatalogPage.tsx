import { PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Badge, Button, Checkbox, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag, type ButtonProps, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createResource, discoveryReferenceEndpoint, resourcesEndpoint, updateResource, type DiscoveryReference, type Resource, type ResourceInput } from '../../../api/discovery';
import { PERMISSION } from '../../../auth/permissions';
import { useSession } from '../../../auth/session-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FilterBar } from '../../../components/FilterBar';
import { serverPagination } from '../../../components/pagination';
import { SearchBox } from '../../../components/SearchBox';
import { useJson } from '../../../hooks/useJson';
import { useListState } from '../../../hooks/useListState';
import { PageHeader } from '../../../layout/PageHeader';
import { localName } from '../assistanceLabels';
import { PlaceField } from './PlaceField';

const FILTER_KEYS = ['q', 'kind', 'available'] as const;
/** A mainland mobile number or a landline with its area code, as the server accepts them. */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

interface ResourceValues {
  name: string;
  providerName: string;
  kind: string;
  placeId: string;
  capacity: number;
  contactName?: string;
  contactPhone?: string;
  validFrom: dayjs.Dayjs;
  validUntil?: dayjs.Dayjs | null;
  isActive: boolean;
  description?: string;
}

/** Registers or edits a resource; the stored phone is never shown, and an empty field keeps it. */
function ResourceModal({ resource, reference, onClose, onDone }: { resource: Resource | null; reference: DiscoveryReference | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResourceValues>();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const required = (field: string) => ({ required: true, whitespace: true, message: t('discovery.resources.required', { field }) });

  const submit = async () => {
    const values = await form.validateFields();
    setSubmitting(true);
    setError(null);
    const phone = values.contactPhone?.trim() ?? '';
    const input: ResourceInput = {
      name: values.name.trim(),
      providerName: values.providerName.trim(),
      kind: values.kind,
      placeId: Number(values.placeId),
      capacity: values.capacity,
      contactName: values.contactName?.trim() ?? '',
      validFrom: values.validFrom.format('YYYY-MM-DD'),
      validUntil: values.validUntil ? values.validUntil.format('YYYY-MM-DD') : null,
      isActive: values.isActive,
      description: values.description?.trim() ?? '',
      // On an edit an empty field keeps the stored phone; on a new resource it means none.
      ...(phone ? { contactPhone: phone } : resource ? {} : { contactPhone: null }),
    };
    try {
      if (resource) await updateResource(resource.id, resource.version, input);
      else await createResource(input);
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t(resource ? 'discovery.resources.editTitle' : 'discovery.resources.createTitle')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={isSubmitting}
      okButtonProps={{ 'data-testid': 'discovery-resource-submit' } as ButtonProps}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {error ? (
        <div data-testid="discovery-resource-error">
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        requiredMark
        initialValues={
          resource
            ? {
                name: resource.name,
                providerName: resource.providerName,
                kind: resource.kind,
                placeId: String(resource.placeId),
                capacity: resource.capacity,
                contactName: resource.contactName,
                validFrom: dayjs(resource.validFrom),
                validUntil: resource.validUntil ? dayjs(resource.validUntil) : null,
                isActive: resource.isActive,
                description: resource.description,
              }
            : { capacity: 1, validFrom: dayjs(), isActive: true }
        }
      >
        <Form.Item name="name" label={t('discovery.resources.name')} rules={[required(t('discovery.resources.name'))]}>
          <Input maxLength={100} data-testid="discovery-resource-name" />
        </Form.Item>
        <Form.Item name="providerName" label={t('discovery.resources.provider')} rules={[required(t('discovery.resources.provider'))]}>
          <Input maxLength={100} data-testid="discovery-resource-provider" />
        </Form.Item>
        <Form.Item name="kind" label={t('discovery.resources.kind')} rules={[{ required: true, message: t('discovery.resources.required', { field: t('discovery.resources.kind') }) }]}>
          <Select data-testid="discovery-resource-kind" options={(reference?.needs ?? []).map((need) => ({ value: need.code, label: localName(need) }))} />
        </Form.Item>
        <Form.Item name="placeId" label={t('discovery.resources.region')} extra={t('discovery.resources.regionHint')} rules={[{ required: true, message: t('discovery.resources.required', { field: t('discovery.resources.region') }) }]}>
          <PlaceField testId="discovery-resource-region" />
        </Form.Item>
        <Form.Item name="capacity" label={t('discovery.resources.capacity')} rules={[{ required: true, type: 'integer', min: resource?.placesTaken || 1, max: 100000, message: t('discovery.resources.required', { field: t('discovery.resources.capacity') }) }]}>
          <InputNumber min={resource?.placesTaken || 1} max={100000} precision={0} data-testid="discovery-resource-capacity" />
        </Form.Item>
        <Form.Item name="contactName" label={t('discovery.resources.contactName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t('discovery.resources.contactPhone')}
          extra={resource?.contactPhoneMasked ? `${resource.contactPhoneMasked} · ${t('discovery.resources.contactPhoneKeep')}` : undefined}
          rules={[{ pattern: PHONE, transform: (value: string) => value?.replace(/[\s-]/g, ''), message: t('discovery.resources.phoneInvalid') }]}
        >
          <Input maxLength={20} inputMode="tel" data-testid="discovery-resource-phone" />
        </Form.Item>
        <Form.Item name="validFrom" label={t('discovery.resources.validFrom')} rules={[{ required: true, message: t('discovery.resources.required', { field: t('discovery.resources.validFrom') }) }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="validUntil" label={t('discovery.resources.validUntil')} extra={t('discovery.resources.validUntilHint')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="isActive" label={t('discovery.resources.status')} valuePropName="checked">
          <Switch checkedChildren={t('discovery.resources.active')} unCheckedChildren={t('discovery.resources.inactive')} />
        </Form.Item>
        <Form.Item name="description" label={t('discovery.resources.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The social-resource catalogue (社会资源): who offers what, where, how many places are left. */
export function ResourceCatalogPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const list = useListState(FILTER_KEYS);
  const [search, setSearch] = useState(list.filters.q);
  const [editing, setEditing] = useState<Resource | 'new' | null>(null);
  const reference = useJson(discoveryReferenceEndpoint());
  const resources = useJson(resourcesEndpoint({ q: list.filters.q || undefined, kind: list.filters.kind || undefined, available: list.filters.available === 'true' || undefined, page: list.page, pageSize: list.pageSize }));
  const canWrite = can(PERMISSION.assistanceResourceWrite);
  const today = dayjs().format('YYYY-MM-DD');

  const columns: TableColumnsType<Resource> = [
    { title: t('discovery.resources.name'), dataIndex: 'name', width: 180 },
    { title: t('discovery.resources.kind'), key: 'kind', width: 150, render: (_, row) => <Tag color="cyan">{localName({ nameZh: row.kindNameZh, nameEn: row.kindNameEn })}</Tag> },
    { title: t('discovery.resources.provider'), dataIndex: 'providerName', width: 160, ellipsis: true },
    { title: t('discovery.resources.region'), dataIndex: 'placeName', width: 150, ellipsis: true },
    { title: t('discovery.resources.capacity'), dataIndex: 'capacity', width: 80, align: 'right' },
    { title: t('discovery.resources.placesLeft'), dataIndex: 'placesLeft', width: 80, align: 'right' },
    { title: t('discovery.resources.contact'), key: 'contact', width: 180, render: (_, row) => [row.contactName, row.contactPhoneMasked].filter(Boolean).join(' ') || '—' },
    { title: t('discovery.resources.period'), key: 'period', width: 200, render: (_, row) => `${row.validFrom} ~ ${row.validUntil ?? ''}` },
    {
      title: t('discovery.resources.status'),
      key: 'status',
      width: 100,
      render: (_, row) => {
        const isAvailable = row.isActive && row.validFrom <= today && (row.validUntil === null || row.validUntil >= today) && row.placesLeft > 0;
        return <Badge status={isAvailable ? 'success' : 'default'} text={row.isActive ? t('discovery.resources.active') : t('discovery.resources.inactive')} />;
      },
    },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            fixed: 'right' as const,
            render: (_: unknown, row: Resource) => (
              <Button size="small" type="link" onClick={() => setEditing(row)} data-testid={`discovery-resource-edit-${row.id}`}>
                {t('discovery.resources.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('discovery.resources.title')}
        crumbs={[{ title: t('nav.assistance') }, { title: t('discovery.resources.title') }]}
        subtitle={t('discovery.resources.subtitle')}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="discovery-resource-create">
              {t('discovery.resources.create')}
            </Button>
          ) : null
        }
      />
      <FilterBar
        onReset={() => {
          setSearch('');
          list.resetFilters();
        }}
      >
        <SearchBox value={search} onChange={setSearch} onSearch={(q) => list.setFilters({ q })} placeholder={t('discovery.resources.searchPlaceholder')} width={300} testId="discovery-resource" />
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('discovery.resources.kind')}
          value={list.filters.kind || undefined}
          onChange={(kind?: string) => list.setFilters({ kind: kind ?? '' })}
          options={(reference.data?.needs ?? []).map((need) => ({ value: need.code, label: localName(need) }))}
          data-testid="discovery-resource-kind-filter"
        />
        <Checkbox checked={list.filters.available === 'true'} onChange={(event) => list.setFilters({ available: event.target.checked ? 'true' : '' })}>
          {t('discovery.resources.availableOnly')}
        </Checkbox>
      </FilterBar>
      {resources.error ? <ErrorAlert error={resources.error} onRetry={resources.reload} /> : null}
      <div className="ms-table-card">
        <Table<Resource>
          data-testid="discovery-resource-table"
          rowKey={(row) => String(row.id)}
          columns={columns}
          dataSource={resources.data?.items ?? []}
          loading={resources.isLoading}
          scroll={{ x: 1400 }}
          locale={{ emptyText: resources.isLoading ? ' ' : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('discovery.resources.empty')} /> }}
          pagination={serverPagination(list.page, list.pageSize, resources.data?.total, list.setPage)}
        />
      </div>
      {editing ? (
        <ResourceModal
          resource={editing === 'new' ? null : editing}
          reference={reference.data}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            message.success(t('discovery.resources.saved'));
            resources.reload();
          }}
        />
      ) : null}
    </>
  );
}
