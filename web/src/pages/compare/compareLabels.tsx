import { Badge, Tag } from 'antd';
import type { DatasetStatus, RunStatus } from '../../api/compare';
import { enumLabel } from '../../domain/labels';
import { translateOptional } from '../../i18n/dynamic';

/**
 * Words for the codes 大数据比对 sends: extract kinds, rule codes, link methods, stages. The engine adds
 * kinds and rules over time; one the console has no words for shows as its code, still readable.
 */
function label(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return translateOptional(`compare.${group}.${code}`) ?? code;
}

/** Name of an extract kind (参保人员, 死亡人员…). */
export const kindLabel = (kind: string | null | undefined) => label('kinds', kind);
/** Name of a rule by its reason code (死亡冒领…). */
export const ruleLabel = (rule: string | null | undefined) => label('rules', rule);
/** How two records were linked (精确, 修复, 模糊). */
export const methodLabel = (method: string | null | undefined) => label('methods', method);
/** How a finding's region was found. */
export const regionSourceLabel = (source: string | null | undefined) => label('regionSources', source);
/** A run's stage. */
export const stageLabel = (stage: string | null | undefined) => label('stages', stage);
/** A dismissal reason. */
export const dismissalLabel = (reason: string | null | undefined) => label('dismissalReasons', reason);
/** A key of the evidence (deathDate, asOf…). */
export const evidenceKeyLabel = (key: string) => label('evidenceKeys', key);

/** Path of a finding's page. */
export function findingPath(id: string | number): string {
  return `/compare/findings/${encodeURIComponent(String(id))}`;
}

/** Path of a run's page. */
export function runPath(id: string | number): string {
  return `/compare/runs/${encodeURIComponent(String(id))}`;
}

const FINDING_STATE_COLORS: Record<string, string> = {
  pending: 'orange',
  confirmed: 'red',
  settled: 'green',
  dismissed: 'default',
  retracted: 'default',
};

/** A finding's state as a coloured tag. */
export function FindingStateTag({ state }: { state: string }) {
  return (
    <Tag color={FINDING_STATE_COLORS[state] ?? 'default'} data-testid="compare-finding-state" data-state={state}>
      {enumLabel('matterStates', state)}
    </Tag>
  );
}

const DATASET_BADGE: Record<DatasetStatus, 'processing' | 'success' | 'error'> = { profiling: 'processing', ready: 'success', invalid: 'error' };

/** A dataset's status as a badge. */
export function DatasetStatusBadge({ status }: { status: DatasetStatus }) {
  return <Badge status={DATASET_BADGE[status] ?? 'default'} text={label('datasetStatus', status)} data-testid="compare-dataset-status" data-status={status} />;
}

const RUN_BADGE: Record<RunStatus, 'default' | 'processing' | 'success' | 'error'> = { queued: 'default', running: 'processing', completed: 'success', failed: 'error' };

/** A run's status as a badge, with its current stage while it runs. */
export function RunStatusBadge({ status, stage }: { status: RunStatus; stage?: string | null }) {
  const text = status === 'running' && stage ? `${label('runStatus', status)} · ${stageLabel(stage)}` : label('runStatus', status);
  return <Badge status={RUN_BADGE[status] ?? 'default'} text={text} data-testid="compare-run-status" data-status={status} />;
}

/** "¥1,234.50" from the server's "1234.50". */
export function yuan(amount: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const [whole = '0', fraction = '00'] = amount.replace(/^-/, '').split('.');
  return `${amount.startsWith('-') ? '-' : ''}¥${Number(whole).toLocaleString('en-US')}.${fraction.padEnd(2, '0')}`;
}
