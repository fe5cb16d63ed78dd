import { Alert, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ExplanationNode, FormulaExplanation, LookedAt, RuleNode } from '../../api/assistance';
import { ConditionOutcomeIcon, conditionLabel, yuanFromFen } from './assistanceLabels';

// Inline styles: the rule views are the only place these shapes appear.
const TREE = { padding: 12, background: '#fafbfc', border: '1px solid #eceff3', borderRadius: 4 } as const;
const LIST = { margin: '4px 0 0', paddingLeft: 22 } as const;
const ITEM = { marginBottom: 8 } as const;
const EXPRESSION = { padding: '4px 8px', margin: '4px 0' } as const;
const VALUES = { margin: '2px 0 4px', paddingLeft: 18, fontSize: 12 } as const;

/** Units of the facts and standards by path (`household.incomePerHead` → `fen`), to show money as yuan. */
export type UnitsByPath = ReadonlyMap<string, string>;

function isFenPath(path: string, units: UnitsByPath): boolean {
  const bare = path.startsWith('size(') ? '' : path;
  return units.get(bare) === 'fen' || units.get(bare) === 'fen_per_year';
}

/** A value a condition looked at, as staff read it: money in yuan (with the fen), lists joined. */
export function formatLookedAt(looked: LookedAt, units: UnitsByPath, words: { missing: string; yes: string; no: string }): string {
  const one = (value: unknown): string => {
    if (value === null || value === undefined) return words.missing;
    if (typeof value === 'boolean') return value ? words.yes : words.no;
    if (typeof value === 'number' && isFenPath(looked.path, units)) return `${yuanFromFen(value)} (${value})`;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return JSON.stringify(value);
  };
  if (Array.isArray(looked.value)) return looked.value.length === 0 ? '[]' : `[${looked.value.map(one).join(', ')}]`;
  return one(looked.value);
}

function useWords() {
  const { t } = useTranslation();
  return { missing: t('assistance.rule.missingValue'), yes: t('common.yes'), no: t('common.no') };
}

function GroupTitle({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Typography.Text type="secondary">{kind === 'any' ? t('assistance.rule.any') : t('assistance.rule.all')}</Typography.Text>;
}

/** An eligibility rule as staff read it: groups ("all of" / "any of") of labelled conditions with their CEL. */
export function RuleTree({ node, depth = 0 }: { node: RuleNode; depth?: number }) {
  if (node.kind === 'condition') {
    return (
      <li style={ITEM} data-testid="assistance-rule-condition" data-name={node.name}>
        <Typography.Text strong>{conditionLabel(node)}</Typography.Text> <Typography.Text type="secondary" className="ms-mono">{node.name}</Typography.Text>
        <pre className="ms-json" style={EXPRESSION}>{node.expression}</pre>
      </li>
    );
  }
  const content = (
    <>
      <GroupTitle kind={node.kind} />
      <ul style={LIST}>
        {node.items.map((item, index) => (
          <RuleTree key={index} node={item} depth={depth + 1} />
        ))}
      </ul>
    </>
  );
  return depth === 0 ? (
    <div style={TREE} data-testid="assistance-rule">
      {content}
    </div>
  ) : (
    <li style={ITEM}>{content}</li>
  );
}

function LookedAtList({ values, units }: { values: LookedAt[]; units: UnitsByPath }) {
  const words = useWords();
  if (values.length === 0) return null;
  return (
    <ul style={VALUES} data-testid="assistance-explanation-values">
      {values.map((looked) => (
        <li key={looked.path}>
          <span className="ms-mono">{looked.path}</span> = <span className="ms-mono">{formatLookedAt(looked, units, words)}</span>
        </li>
      ))}
    </ul>
  );
}

/** An evaluated rule: each condition held, failed or in error, with the values it looked at. */
export function ExplanationTree({ node, units, depth = 0 }: { node: ExplanationNode; units: UnitsByPath; depth?: number }) {
  const { t } = useTranslation();
  if (node.kind === 'condition') {
    return (
      <li style={ITEM} data-testid="assistance-explanation-condition" data-name={node.name} data-outcome={node.outcome}>
        <Space size={8} wrap>
          <ConditionOutcomeIcon outcome={node.outcome} />
          <Typography.Text strong>{conditionLabel(node)}</Typography.Text>
          <Typography.Text type="secondary" className="ms-mono">
            {node.name}
          </Typography.Text>
        </Space>
        <pre className="ms-json" style={EXPRESSION}>{node.expression}</pre>
        <LookedAtList values={node.values ?? []} units={units} />
        {node.error ? <Alert type="error" showIcon title={t('assistance.rule.conditionError', { error: node.error })} data-testid="assistance-explanation-error" /> : null}
      </li>
    );
  }
  const content = (
    <>
      <Space size={8}>
        <ConditionOutcomeIcon outcome={node.outcome} />
        <GroupTitle kind={node.kind} />
      </Space>
      <ul style={LIST}>
        {(node.items ?? []).map((item, index) => (
          <ExplanationTree key={index} node={item} units={units} depth={depth + 1} />
        ))}
      </ul>
    </>
  );
  return depth === 0 ? (
    <div style={TREE} data-testid="assistance-explanation">
      {content}
    </div>
  ) : (
    <li style={ITEM} data-outcome={node.outcome}>
      {content}
    </li>
  );
}

/** The benefit formula, and when computed its amount and the values it read. */
export function FormulaView({ formula, units }: { formula: FormulaExplanation; units: UnitsByPath }) {
  const { t } = useTranslation();
  return (
    <div style={TREE} data-testid="assistance-formula" data-outcome={formula.outcome}>
      <Typography.Text type="secondary">{t(`assistance.formula.${formula.outcome}`, { amount: yuanFromFen(formula.amountFen) })}</Typography.Text>
      <pre className="ms-json" style={EXPRESSION}>{formula.expression}</pre>
      <LookedAtList values={formula.values} units={units} />
      {formula.error ? <Alert type="error" showIcon title={t('assistance.rule.conditionError', { error: formula.error })} /> : null}
    </div>
  );
}
