import { ExperimentOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Collapse, Empty, Input, InputNumber, Row, Segmented, Select, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  catalogueReferenceEndpoint,
  evaluateHousehold,
  factsEndpoint,
  policiesEndpoint,
  type EligibilityOutcome,
  type Evaluation,
  type FactDescription,
  type PolicyResult,
  type PolicyRules,
} from '../../api/assistance';
import { fetchPlace } from '../../api/places';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PlaceTreeSelect } from '../../components/PlaceTreeSelect';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { EligibilityTag, localName, policyPath, ReviewFreeTag, useAmountText, yuanFromFen } from './assistanceLabels';
import { ExplanationTree, FormulaView, type UnitsByPath } from './RuleViews';

/** Households to start from: the seed's worked example and a few everyday cases. */
export const SAMPLE_HOUSEHOLDS = {
  seedChild: {
    members: [
      { age: 38, gender: 'female', relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
      { age: 11, gender: 'female', relation: 'child', schoolStage: 'primary' },
    ],
    housing: 'private_rental',
    benefits: ['subsistence_allowance'],
    hardships: ['serious_illness', 'caregiver_ill'],
    hospitalCostsLast12Months: 1200000,
  },
  elderlyCouple: {
    members: [
      { age: 86, gender: 'male', relation: 'head', disabilityGrade: 1, disabilityKind: 'physical', selfCare: 'none', employment: 'retired', monthlyIncome: 52000 },
      { age: 81, gender: 'female', relation: 'spouse', selfCare: 'partial', employment: 'retired', monthlyIncome: 30000 },
    ],
    benefits: ['subsistence_allowance'],
    property: { homes: 1, homeAreaPerHead: 24 },
  },
  jobSeekers: {
    members: [
      { age: 52, gender: 'male', relation: 'head', employment: 'unemployed' },
      { age: 47, gender: 'female', relation: 'spouse', employment: 'flexible', monthlyIncome: 150000 },
      { age: 17, gender: 'male', relation: 'child', schoolStage: 'senior' },
    ],
    housing: 'public_rental',
    benefits: ['low_income_household'],
  },
  ruralDisaster: {
    members: [
      { age: 58, gender: 'male', relation: 'head', employment: 'farming', monthlyIncome: 40000 },
      { age: 9, gender: 'female', relation: 'grandchild', schoolStage: 'primary', isBoarding: true },
    ],
    isRural: true,
    isPovertyAlleviated: true,
    housing: 'dilapidated',
    hardships: ['natural_disaster'],
  },
} as const;

type SampleKey = keyof typeof SAMPLE_HOUSEHOLDS;
type ResultFilter = 'all' | EligibilityOutcome;

const ALL_POLICIES = { page: 1, pageSize: 200 } as const;
const CURRENT_YEAR = new Date().getFullYear();

function unitsOf(facts: FactDescription[] | undefined, parameters: Array<{ key: string; unit: string }> | undefined): UnitsByPath {
  const units = new Map<string, string>();
  for (const fact of facts ?? []) if (fact.unit) units.set(fact.path, fact.unit);
  for (const parameter of parameters ?? []) units.set(`params.${parameter.key}`, parameter.unit);
  return units;
}

/** Explanation of one result: the rule's conditions, the formula, and errors the rule met. */
export function ResultExplanation({ result, units }: { result: PolicyResult; units: UnitsByPath }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="assistance-result-explanation">
      {result.errors.length > 0 ? (
        <Alert type="error" showIcon title={t('assistance.tester.errorTitle')} description={result.errors.map((error) => <div key={error}>{error}</div>)} data-testid="assistance-result-errors" />
      ) : null}
      {result.rule ? <ExplanationTree node={result.rule} units={units} /> : null}
      {result.formula ? <FormulaView formula={result.formula} units={units} /> : null}
    </Space>
  );
}

/**
 * 规则测试: staff enter (or paste) a household's facts and see, for every active policy or one,
 * whether it is eligible, ineligible or in error, the amount, whether data alone grants it
 * (免审即享), and the explanation condition by condition.
 */
export function RuleTesterPage({ draft, embedded = false }: { draft?: PolicyRules; embedded?: boolean }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const amountText = useAmountText();
  const [text, setText] = useState(() => JSON.stringify(SAMPLE_HOUSEHOLDS.seedChild, null, 2));
  const [placeId, setPlaceId] = useState<string | undefined>();
  const [year, setYear] = useState<number>(CURRENT_YEAR);
  const [policyCode, setPolicyCode] = useState<string | undefined>(() => params.get('policy') ?? undefined);
  const [parseError, setParseError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isRunning, setRunning] = useState(false);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [filter, setFilter] = useState<ResultFilter>('all');
  const facts = useJson(factsEndpoint());
  const reference = useJson(catalogueReferenceEndpoint());
  const policies = useJson(draft ? null : policiesEndpoint(ALL_POLICIES));
  const units = useMemo(() => unitsOf(facts.data, reference.data?.parameters), [facts.data, reference.data]);

  const run = async () => {
    let household: unknown;
    try {
      household = JSON.parse(text);
    } catch (failure) {
      setParseError(failure instanceof Error ? failure.message : String(failure));
      return;
    }
    setParseError(null);
    setRunning(true);
    setError(null);
    try {
      const areaCode = placeId ? (await fetchPlace(placeId)).code : undefined;
      const result = await evaluateHousehold({ household, areaCode, year, ...(draft ? { draft } : policyCode ? { policyCode } : {}) });
      setEvaluation(result);
      setFilter('all');
    } catch (failure) {
      setError(failure);
      setEvaluation(null);
    } finally {
      setRunning(false);
    }
  };

  const shown = (evaluation?.results ?? []).filter((result) => filter === 'all' || result.outcome === filter);
  const columns: TableColumnsType<PolicyResult> = [
    {
      title: t('assistance.policy.name'),
      key: 'name',
      width: 240,
      render: (_, result) => (result.policyId !== null ? <Link to={policyPath(result.policyId)}>{localName(result)}</Link> : localName(result)),
    },
    { title: t('assistance.policy.department'), key: 'department', width: 170, render: (_, result) => localName({ nameZh: result.departmentNameZh, nameEn: result.departmentNameEn }) || '—' },
    { title: t('assistance.tester.outcome'), dataIndex: 'outcome', width: 110, render: (outcome: EligibilityOutcome) => <EligibilityTag outcome={outcome} /> },
    { title: t('assistance.tester.amount'), key: 'amount', width: 170, render: (_, result) => (result.outcome === 'eligible' ? amountText(result.amountFen, result.benefitPeriod) : '—') },
    {
      title: t('assistance.policy.grant'),
      key: 'grant',
      width: 140,
      render: (_, result) =>
        result.outcome !== 'eligible' ? '—' : result.isGrantableWithoutReview ? <ReviewFreeTag /> : t('assistance.tester.toReview', { days: result.timeLimitDays }),
    },
  ];

  return (
    <>
      {embedded ? null : (
        <PageHeader title={t('assistance.tester.title')} subtitle={t('assistance.tester.subtitle')} crumbs={[{ title: t('nav.assistance') }, { title: t('assistance.tester.title') }]} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={9}>
          <Card title={t('assistance.tester.household')} data-testid="assistance-tester-form">
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <Select<SampleKey>
                style={{ width: '100%' }}
                placeholder={t('assistance.tester.sample')}
                onChange={(key) => setText(JSON.stringify(SAMPLE_HOUSEHOLDS[key], null, 2))}
                options={(Object.keys(SAMPLE_HOUSEHOLDS) as SampleKey[]).map((key) => ({ value: key, label: t(`assistance.tester.samples.${key}`) }))}
                data-testid="assistance-tester-sample"
              />
              <Input.TextArea
                value={text}
                onChange={(event) => setText(event.target.value)}
                autoSize={{ minRows: 14, maxRows: 30 }}
                className="ms-mono"
                spellCheck={false}
                status={parseError ? 'error' : undefined}
                data-testid="assistance-tester-facts"
              />
              {parseError ? <Alert type="error" showIcon title={t('assistance.tester.notJson', { error: parseError })} data-testid="assistance-tester-json-error" /> : null}
              <PlaceTreeSelect value={placeId} onChange={setPlaceId} style={{ width: '100%' }} testId="assistance-tester-area" />
              <Space wrap>
                <span>{t('assistance.tester.year')}</span>
                <InputNumber min={2000} max={2100} value={year} onChange={(value) => setYear(value ?? CURRENT_YEAR)} data-testid="assistance-tester-year" />
                {draft ? null : (
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ width: 260 }}
                    placeholder={t('assistance.tester.allPolicies')}
                    value={policyCode}
                    onChange={(code: string | undefined) => setPolicyCode(code)}
                    options={(policies.data?.items ?? []).map((p) => ({ value: p.code, label: localName(p) }))}
                    data-testid="assistance-tester-policy"
                  />
                )}
              </Space>
              <Button type="primary" icon={<ExperimentOutlined />} loading={isRunning} onClick={() => void run()} data-testid="assistance-tester-run">
                {t('assistance.tester.run')}
              </Button>
              <Collapse
                size="small"
                items={[
                  {
                    key: 'facts',
                    label: t('assistance.tester.factsReference'),
                    children: (
                      <Table<FactDescription>
                        size="small"
                        rowKey="path"
                        pagination={false}
                        dataSource={facts.data ?? []}
                        scroll={{ y: 360 }}
                        columns={[
                          { title: t('assistance.tester.factPath'), dataIndex: 'path', width: 220, render: (path: string) => <span className="ms-mono">{path}</span> },
                          { title: t('assistance.tester.factType'), dataIndex: 'type', width: 110 },
                          {
                            title: t('assistance.tester.factMeaning'),
                            key: 'description',
                            render: (_, fact) => (
                              <span>
                                {fact.description}
                                {fact.values ? <span className="ms-muted">{` (${fact.values.join(' | ')})`}</span> : null}
                              </span>
                            ),
                          },
                        ]}
                        data-testid="assistance-tester-facts-reference"
                      />
                    ),
                  },
                ]}
              />
            </Space>
          </Card>
        </Col>
        <Col xs={24} xxl={15}>
          <Card title={t('assistance.tester.results')} data-testid="assistance-tester-results">
            {error ? <ErrorAlert error={error} /> : null}
            {evaluation ? (
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <Typography.Text type="secondary" data-testid="assistance-tester-context">
                  {t('assistance.tester.context', {
                    area: evaluation.areaName,
                    year: evaluation.year,
                    size: evaluation.household.size,
                    income: yuanFromFen(evaluation.household.incomePerHead),
                  })}
                </Typography.Text>
                <Row gutter={16}>
                  <Col span={8}>
                    <Statistic title={t('assistance.outcomes.eligible')} value={evaluation.counts.eligible} data-testid="assistance-count-eligible" />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('assistance.outcomes.ineligible')} value={evaluation.counts.ineligible} data-testid="assistance-count-ineligible" />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('assistance.outcomes.error')} value={evaluation.counts.error} styles={{ content: evaluation.counts.error > 0 ? { color: '#cf1322' } : {} }} data-testid="assistance-count-error" />
                  </Col>
                </Row>
                <Segmented<ResultFilter>
                  value={filter}
                  onChange={setFilter}
                  options={(['all', 'eligible', 'error', 'ineligible'] as const).map((value) => ({ value, label: value === 'all' ? t('common.all') : t(`assistance.outcomes.${value}`) }))}
                  data-testid="assistance-tester-filter"
                />
                <Table<PolicyResult>
                  rowKey="code"
                  size="small"
                  scroll={{ x: 840 }}
                  columns={columns}
                  dataSource={shown}
                  pagination={shown.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                  expandable={{ expandedRowRender: (result) => <ResultExplanation result={result} units={units} />, defaultExpandedRowKeys: shown.length === 1 ? [shown[0]!.code] : [] }}
                  onRow={(result) => ({ 'data-code': result.code, 'data-outcome': result.outcome }) as HTMLAttributes<HTMLElement>}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assistance.tester.noneInFilter')} /> }}
                  data-testid="assistance-tester-table"
                />
              </Space>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assistance.tester.notRun')} data-testid="assistance-tester-empty" />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
