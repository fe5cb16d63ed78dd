import { Col, Form, Input, InputNumber, Row, Segmented, Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { APPEAL_KINDS } from '../../api/types';
import { PlaceTreeSelect } from '../../components/PlaceTreeSelect';
import { appealCategoryTree } from '../../domain/appealCategories';
import { enumLabel } from '../../domain/labels';

/** How an appeal is located: a place from the tree, or a coordinate. */
export type LocationMode = 'place' | 'point';

// The form fields every door that takes an appeal (intake form, 12345 console, patrol) shares;
// each page passes its own test-id prefix (`appeal`, `agent`, `patrol`).

/** 诉求类型. */
export function AppealKindField({ testId }: { testId: string }) {
  const { t } = useTranslation();
  const options = APPEAL_KINDS.map((kind) => ({ value: kind, label: enumLabel('appealKinds', kind) }));
  return (
    <Form.Item name="kind" label={t('appeals.kind')} rules={[{ required: true }]}>
      <Select options={options} data-testid={testId} />
    </Form.Item>
  );
}

/** 诉求分类, searchable. */
export function AppealCategoryField({ testId }: { testId: string }) {
  const { t, i18n } = useTranslation();
  const categories = useMemo(() => appealCategoryTree(), [i18n.language]);
  return (
    <Form.Item name="categoryCode" label={t('appeals.category')} rules={[{ required: true, message: t('appeals.categoryRequired') }]}>
      <TreeSelect treeData={categories} showSearch={{ treeNodeFilterProp: 'title' }} treeDefaultExpandAll placeholder={t('appeals.categoryPlaceholder')} data-testid={testId} />
    </Form.Item>
  );
}

/** The appeal's title: at least two characters. */
export function AppealTitleField({ testId, showCount = false }: { testId: string; showCount?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="title"
      label={t('appeals.title')}
      rules={[
        { required: true, whitespace: true, message: t('appeals.titleRequired') },
        { min: 2, message: t('appeals.titleRequired') },
      ]}
    >
      <Input maxLength={200} showCount={showCount} placeholder={t('appeals.titlePlaceholder')} data-testid={testId} />
    </Form.Item>
  );
}

/** Lets `Form.Item` drive the place picker (it injects value and onChange). */
function PlaceField({ value, onChange, testId }: { value?: string; onChange?: (placeId: string | undefined) => void; testId: string }) {
  return <PlaceTreeSelect value={value} onChange={(placeId) => onChange?.(placeId)} style={{ width: '100%' }} testId={testId} />;
}

/** Where: a place (`placeId`) or a coordinate (`lon`, `lat`), as `mode` says. */
export function AppealLocationFields({ mode, onModeChange, testIdPrefix }: { mode: LocationMode; onModeChange: (mode: LocationMode) => void; testIdPrefix: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('appeals.location')} required style={{ marginBottom: 0 }}>
      <Segmented<LocationMode>
        value={mode}
        onChange={onModeChange}
        options={[
          { value: 'place', label: t('appeals.locationByPlace') },
          { value: 'point', label: t('appeals.locationByPoint') },
        ]}
        data-testid={`${testIdPrefix}-location-mode`}
        style={{ marginBottom: 12 }}
      />
      {mode === 'place' ? (
        <Form.Item name="placeId" rules={[{ required: true, message: t('appeals.placeRequired') }]}>
          <PlaceField testId={`${testIdPrefix}-place`} />
        </Form.Item>
      ) : (
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="lon" label={t('appeals.longitude')} rules={[{ required: true }]}>
              <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} data-testid={`${testIdPrefix}-lon`} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="lat" label={t('appeals.latitude')} rules={[{ required: true }]}>
              <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} data-testid={`${testIdPrefix}-lat`} />
            </Form.Item>
          </Col>
        </Row>
      )}
    </Form.Item>
  );
}
