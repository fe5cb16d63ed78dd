import { CheckOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Col, Collapse, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  BENEFIT_PERIODS,
  catalogueReferenceEndpoint,
  checkRules,
  createPolicy,
  policyEndpoint,
  POLICY_STATUSES,
  serviceListsEndpoint,
  updatePolicy,
  type BenefitPeriod,
  type PolicyDetail,
  type PolicyInput,
  type PolicyRules,
  type PolicyStatus,
  type RuleGroup,
  type RuleProblem,
} from '../../api/assistance';
import { ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { localName, policyPath } from './assistanceLabels';
import { RuleTesterPage } from './RuleTesterPage';

const CODE_PATTERN = /^[a-z][a-z0-9_]{1,59}$/;
const ALL_LISTS = { page: 1, pageSize: 200 } as const;

interface EditorValues {
  code: string;
  nameZh: string;
  nameEn: string;
  departmentCode?: string;
  categoryCode?: string;
  summary: string;
  benefitPeriod: BenefitPeriod;
  benefitFormula: string;
  materials: string[];
  timeLimitDays: number;
  isReviewFree: boolean;
  status: PolicyStatus;
  serviceListCodes: string[];
  legalBasis: string;
  eligibility: string;
}

const NEW_RULE: RuleGroup = {
  kind: 'all',
  items: [{ kind: 'condition', name: 'income_below_line', label: '家庭人均收入低于低保标准', labelEn: 'Income per head below the line', expression: 'household.incomePerHead < params.subsistenceLineUrban' }],
};

function valuesOf(policy: PolicyDetail | null): EditorValues {
  return {
    code: policy?.code ?? '',
    nameZh: policy?.nameZh ?? '',
    nameEn: policy?.nameEn ?? '',
    departmentCode: policy?.department.code,
    categoryCode: policy?.category.code,
    summary: policy?.summary ?? '',
    benefitPeriod: policy?.benefitPeriod ?? 'none',
    benefitFormula: policy?.benefitFormula ?? '',
    materials: policy?.materials ?? [],
    timeLimitDays: policy?.timeLimitDays ?? 20,
    isReviewFree: policy?.isReviewFree ?? false,
    status: policy?.status ?? 'draft',
    serviceListCodes: policy?.serviceListCodes ?? [],
    legalBasis: policy?.legalBasis ?? '',
    eligibility: JSON.stringify(policy?.eligibility ?? NEW_RULE, null, 2),
  };
}

function parseRule(text: string): RuleGroup | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RuleGroup) : null;
  } catch {
    return null;
  }
}

/** The editor of a new policy (`/assistance/policies/new`) or of an existing one (`…/:policyId/edit`). */
export function PolicyEditorPage() {
  const { policyId } = useParams();
  const isNew = policyId === undefined;
  const policy = useJson(!isNew && /^\d+$/.test(policyId) ? policyEndpoint(policyId) : null);
  if (!isNew && policy.error) return <ErrorResult error={policy.error} onRetry={policy.reload} />;
  if (!isNew && !policy.data) return <PageLoading />;
  return <PolicyEditor key={policy.data ? `${policy.data.id}-${policy.data.version}` : 'new'} policy={isNew ? null : (policy.data ?? null)} />;
}

function PolicyEditor({ policy }: { policy: PolicyDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<EditorValues>();
  const reference = useJson(catalogueReferenceEndpoint());
  const lists = useJson(serviceListsEndpoint(ALL_LISTS));
  const [problems, setProblems] = useState<RuleProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setSaving] = useState(false);
  const ruleText = Form.useWatch('eligibility', form) ?? valuesOf(policy).eligibility;
  const formula = Form.useWatch('benefitFormula', form) ?? '';
  const period = Form.useWatch('benefitPeriod', form) ?? valuesOf(policy).benefitPeriod;
  const draft = useMemo<PolicyRules | null>(() => {
    const eligibility = parseRule(ruleText);
    return eligibility ? { eligibility, benefitFormula: period === 'none' ? null : formula.trim() || null, benefitPeriod: period } : null;
  }, [ruleText, formula, period]);

  const check = async () => {
    if (!draft) {
      form.setFields([{ name: 'eligibility', errors: [t('assistance.editor.notJson')] }]);
      return;
    }
    setError(null);
    try {
      setProblems((await checkRules(draft)).problems);
    } catch (failure) {
      setError(failure);
    }
  };

  const save = async () => {
    const values = await form.validateFields();
    if (!draft) return;
    const input: PolicyInput = {
      ...draft,
      nameZh: values.nameZh.trim(),
      nameEn: values.nameEn.trim(),
      departmentCode: values.departmentCode ?? '',
      categoryCode: values.categoryCode ?? '',
      summary: values.summary.trim(),
      materials: values.materials.map((m) => m.trim()).filter(Boolean),
      timeLimitDays: values.timeLimitDays,
      isReviewFree: values.isReviewFree,
      legalBasis: values.legalBasis.trim(),
      status: values.status,
      serviceListCodes: values.serviceListCodes,
    };
    setSaving(true);
    setError(null);
    try {
      const saved = policy ? await updatePolicy(policy.id, policy.version, input) : await createPolicy(values.code.trim(), input);
      message.success(t('assistance.editor.saved', { name: localName(saved), version: saved.version }));
      void navigate(policyPath(saved.id));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'ASSISTANCE_RULE_INVALID' && Array.isArray(failure.details?.problems)) {
        setProblems(failure.details.problems as RuleProblem[]);
      } else {
        setError(failure);
      }
    } finally {
      setSaving(false);
    }
  };

  const title = policy ? t('assistance.editor.editTitle', { name: localName(policy) }) : t('assistance.editor.newTitle');
  return (
    <>
      <PageHeader
        title={title}
        crumbs={[
          { title: t('nav.assistance') },
          { title: t('assistance.catalogue.title'), to: '/assistance/policies' },
          ...(policy ? [{ title: localName(policy), to: policyPath(policy.id) }] : []),
          { title: policy ? t('assistance.detail.edit') : t('assistance.catalogue.new') },
        ]}
        extra={
          <Space>
            <Button icon={<CheckOutlined />} onClick={() => void check()} data-testid="assistance-editor-check">
              {t('assistance.editor.check')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={isSaving} onClick={() => void save().catch(() => undefined)} data-testid="assistance-editor-save">
              {t('assistance.editor.save')}
            </Button>
          </Space>
        }
      />
      {error ? <ErrorAlert error={error} /> : null}
      {problems !== null ? (
        problems.length === 0 ? (
          <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('assistance.editor.valid')} data-testid="assistance-editor-valid" />
        ) : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('assistance.editor.invalid', { count: problems.length })}
            description={problems.map((p) => (
              <div key={`${p.path}-${p.message}`} data-testid="assistance-editor-problem" data-condition={p.condition ?? ''}>
                <span className="ms-mono">{p.condition ?? p.path}</span>：{p.message}
              </div>
            ))}
            data-testid="assistance-editor-problems"
          />
        )
      ) : null}
      <Form<EditorValues> form={form} layout="vertical" initialValues={valuesOf(policy)} requiredMark data-testid="assistance-editor-form">
        <Row gutter={16}>
          <Col xs={24} xl={12}>
            <Card title={t('assistance.detail.overview')}>
              <Form.Item
                name="code"
                label={t('assistance.editor.code')}
                extra={t('assistance.editor.codeHint')}
                rules={policy ? [] : [{ required: true, pattern: CODE_PATTERN, message: t('assistance.editor.codeInvalid') }]}
              >
                <Input className="ms-mono" disabled={policy !== null} data-testid="assistance-editor-code" />
              </Form.Item>
              <Form.Item name="nameZh" label={t('assistance.editor.nameZh')} rules={[{ required: true, whitespace: true, message: t('assistance.editor.required') }]}>
                <Input maxLength={200} data-testid="assistance-editor-name-zh" />
              </Form.Item>
              <Form.Item name="nameEn" label={t('assistance.editor.nameEn')} rules={[{ required: true, whitespace: true, message: t('assistance.editor.required') }]}>
                <Input maxLength={200} data-testid="assistance-editor-name-en" />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="departmentCode" label={t('assistance.policy.department')} rules={[{ required: true, message: t('assistance.editor.required') }]}>
                    <Select options={(reference.data?.departments ?? []).map((d) => ({ value: d.code, label: localName(d) }))} data-testid="assistance-editor-department" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="categoryCode" label={t('assistance.policy.category')} rules={[{ required: true, message: t('assistance.editor.required') }]}>
                    <Select options={(reference.data?.categories ?? []).filter((c) => c.isActive).map((c) => ({ value: c.code, label: localName(c) }))} data-testid="assistance-editor-category" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="summary" label={t('assistance.detail.summary')}>
                <Input.TextArea rows={3} maxLength={2000} data-testid="assistance-editor-summary" />
              </Form.Item>
              <Form.Item name="materials" label={t('assistance.detail.materials')} extra={t('assistance.editor.materialsHint')}>
                <Select mode="tags" tokenSeparators={['\n', '；', ';']} data-testid="assistance-editor-materials" />
              </Form.Item>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="timeLimitDays" label={t('assistance.editor.timeLimit')} rules={[{ required: true, message: t('assistance.editor.required') }]}>
                    <InputNumber min={1} max={365} style={{ width: '100%' }} data-testid="assistance-editor-time-limit" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="isReviewFree" label={t('assistance.reviewFree')} valuePropName="checked" extra={t('assistance.editor.reviewFreeHint')}>
                    <Switch data-testid="assistance-editor-review-free" />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="status" label={t('assistance.policy.status')}>
                    <Select options={POLICY_STATUSES.map((s) => ({ value: s, label: t(`assistance.statuses.${s}`) }))} data-testid="assistance-editor-status" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="serviceListCodes" label={t('assistance.detail.lists')}>
                <Select mode="multiple" options={(lists.data?.items ?? []).map((l) => ({ value: l.code, label: localName(l) }))} data-testid="assistance-editor-lists" />
              </Form.Item>
              <Form.Item name="legalBasis" label={t('assistance.detail.legalBasis')}>
                <Input maxLength={500} data-testid="assistance-editor-legal-basis" />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('assistance.detail.rule')}>
              <Typography.Paragraph type="secondary">{t('assistance.editor.ruleHint')}</Typography.Paragraph>
              <Form.Item name="eligibility" rules={[{ validator: async (_, value: string) => (parseRule(value ?? '') ? undefined : Promise.reject(new Error(t('assistance.editor.notJson')))) }]}>
                <Input.TextArea autoSize={{ minRows: 16, maxRows: 40 }} className="ms-mono" spellCheck={false} data-testid="assistance-editor-rule" />
              </Form.Item>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="benefitPeriod" label={t('assistance.policy.benefit')}>
                    <Select options={BENEFIT_PERIODS.map((p) => ({ value: p, label: t(`assistance.periods.${p}`) }))} data-testid="assistance-editor-period" />
                  </Form.Item>
                </Col>
                <Col span={16}>
                  <Form.Item name="benefitFormula" label={t('assistance.detail.formula')} extra={t('assistance.editor.formulaHint')}>
                    <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} className="ms-mono" spellCheck={false} disabled={period === 'none'} data-testid="assistance-editor-formula" />
                  </Form.Item>
                </Col>
              </Row>
              <Collapse
                size="small"
                items={[
                  {
                    key: 'parameters',
                    label: t('assistance.editor.parameters'),
                    children: (
                      <ul style={{ margin: 0, paddingLeft: 18 }}>
                        {(reference.data?.parameters ?? []).map((p) => (
                          <li key={p.key}>
                            <span className="ms-mono">params.{p.key}</span> — {localName(p)}
                          </li>
                        ))}
                      </ul>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      </Form>
      <Typography.Title level={4} style={{ marginTop: 24 }}>
        {t('assistance.editor.tryTitle')}
      </Typography.Title>
      {draft ? <RuleTesterPage draft={draft} embedded /> : <Alert type="warning" showIcon title={t('assistance.editor.notJson')} />}
    </>
  );
}
