import { Alert, Button, Card, Col, Descriptions, Empty, Row, Space, Statistic, Steps, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { runEndpoint, type ComparisonRun, type RunOutcome } from '../../api/compare';
import { buildUrl } from '../../api/client';
import { ErrorResult } from '../../components/ErrorResult';
import { PageLoading } from '../../components/PageLoading';
import { useJson } from '../../hooks/useJson';
import { PageHeader } from '../../layout/PageHeader';
import { kindLabel, RunStatusBadge, ruleLabel, stageLabel, yuan } from './compareLabels';

const POLL_MS = 1500;
const OUTCOME_KEYS = ['raised', 'raisedAgain', 'updated', 'unchanged', 'retracted', 'keptConfirmed', 'suppressed'] as const satisfies ReadonlyArray<keyof RunOutcome>;

function formatMs(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function RunView({ run }: { run: ComparisonRun }) {
  const { t } = useTranslation();
  const current = run.stages.findIndex((stage) => stage.status === 'running');
  const findingsOf = (rule?: string) => buildUrl('/compare/findings', { runId: String(run.id), rule, state: 'all' });
  return (
    <>
      <PageHeader
        title={t('compare.runs.detailTitle', { id: run.id })}
        crumbs={[{ title: t('nav.compare') }, { title: t('compare.runs.title'), to: '/compare/runs' }, { title: `#${run.id}` }]}
        subtitle={<RunStatusBadge status={run.status} stage={run.stage} />}
        extra={
          run.status === 'completed' ? (
            <Link to={findingsOf()}>
              <Button type="primary" data-testid="compare-run-findings">
                {t('compare.runs.viewFindings')}
              </Button>
            </Link>
          ) : null
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="compare-run-detail" data-status={run.status}>
        {run.status === 'failed' ? <Alert type="error" showIcon title={t('compare.runs.failed')} description={<span data-testid="compare-run-error-message">{run.error}</span>} /> : null}
        <Card title={t('compare.runs.progress')}>
          <Steps
            data-testid="compare-run-stages"
            current={current === -1 ? run.stages.length : current}
            status={run.status === 'failed' ? 'error' : run.status === 'completed' ? 'finish' : 'process'}
            items={(['compare', 'place', 'record'] as const).map((name) => {
              const stage = run.stages.find((candidate) => candidate.name === name);
              return {
                title: (
                  <span data-testid="compare-run-stage" data-stage={name} data-status={stage?.status ?? 'waiting'}>
                    {stageLabel(name)}
                  </span>
                ),
                status: stage?.status === 'done' ? 'finish' : stage?.status === 'failed' ? 'error' : stage?.status === 'running' ? 'process' : 'wait',
                content: stage ? [formatMs(stage.ms), stage.detail].filter(Boolean).join(' · ') : t('compare.runs.waiting'),
              };
            })}
          />
        </Card>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'asOf', label: t('compare.runs.asOf'), children: run.asOf },
            { key: 'created', label: t('compare.runs.createdAt'), children: `${dayjs(run.createdAt).format('YYYY-MM-DD HH:mm:ss')} · ${run.createdBy ?? '—'}` },
            { key: 'finished', label: t('compare.runs.finishedAt'), children: run.finishedAt ? dayjs(run.finishedAt).format('YYYY-MM-DD HH:mm:ss') : '—' },
            {
              key: 'datasets',
              label: t('compare.runs.datasets'),
              span: 'filled',
              children: (
                <Space size={[4, 4]} wrap>
                  {Object.entries(run.datasets).map(([kind, id]) => (
                    <Tag key={kind}>
                      {kindLabel(kind)} #{id}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
        <Card title={t('compare.runs.resultsByRule')}>
          <Table
            data-testid="compare-run-rules"
            size="small"
            pagination={false}
            rowKey="rule"
            dataSource={run.rules}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={run.status === 'completed' ? t('compare.runs.noRules') : t('compare.runs.waiting')} /> }}
            onRow={(row) => ({ 'data-rule': row.rule }) as HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('compare.runs.rule'), dataIndex: 'rule', render: (rule: string) => `${ruleLabel(rule)}（${rule}）` },
              { title: t('compare.runs.suspects'), dataIndex: 'suspects', align: 'right', width: 120 },
              { title: t('compare.runs.amountAtStake'), dataIndex: 'amountAtStake', align: 'right', width: 180, render: (amount: string) => <span data-testid="compare-run-rule-amount">{yuan(amount)}</span> },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 120,
                render: (_, row) => (
                  <Link to={findingsOf(row.rule)} data-testid="compare-run-rule-findings">
                    {t('compare.runs.viewFindings')}
                  </Link>
                ),
              },
            ]}
          />
          {run.skippedRules.length > 0 ? (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }} data-testid="compare-run-skipped">
              {t('compare.runs.skipped', { rules: run.skippedRules.map(ruleLabel).join('、') })}
            </Typography.Paragraph>
          ) : null}
        </Card>
        {run.outcome ? (
          <Card title={t('compare.runs.outcome')}>
            <Row gutter={[16, 16]}>
              {OUTCOME_KEYS.map((key) => (
                <Col key={key} xs={12} md={6} lg={3}>
                  <Statistic title={t(`compare.outcome.${key}`)} value={run.outcome?.[key] ?? 0} data-testid={`compare-run-outcome-${key}`} />
                </Col>
              ))}
              {run.outcome.listed ? (
                <Col xs={24} md={12} lg={6}>
                  <Statistic
                    title={t('compare.outcome.listed')}
                    value={`${run.outcome.listed.inserted} / ${run.outcome.listed.updated} / ${run.outcome.listed.retired}`}
                    data-testid="compare-run-outcome-listed"
                  />
                </Col>
              ) : null}
            </Row>
          </Card>
        ) : null}
      </Space>
    </>
  );
}

/** One comparison run: its stages with times, its results by rule with amounts, what it changed. */
export function RunDetailPage() {
  const { runId = '' } = useParams();
  const run = useJson(runEndpoint(runId));
  const reload = run.reload;
  const isBusy = run.data?.status === 'queued' || run.data?.status === 'running';
  useEffect(() => {
    if (!isBusy) return;
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [isBusy, reload]);
  if (run.error) return <ErrorResult error={run.error} onRetry={reload} />;
  if (!run.data) return <PageLoading />;
  return <RunView run={run.data} />;
}
