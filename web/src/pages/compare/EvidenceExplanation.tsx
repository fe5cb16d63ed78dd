import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import { Card, Collapse, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { evidenceKeyLabel, kindLabel, methodLabel, ruleLabel } from './compareLabels';

/**
 * A suspect's evidence as an auditor reads it, whatever rule produced it: the records it rests on
 * (dataset and row), which fields agreed, how each link was made with each field's weight and the
 * total against the threshold, the other facts, and how the amount was computed. The evidence is
 * data from the engine; parts this view does not know are still shown, as key and value.
 */
export function EvidenceExplanation({ evidence, rule, matchMethod, matchScore }: { evidence: Record<string, unknown>; rule: string; matchMethod: string; matchScore: number }) {
  const { t } = useTranslation();
  const parts = Array.isArray(evidence.parts) ? (evidence.parts as unknown[]).filter(isRecord) : [];
  return (
    <div data-testid="compare-evidence">
      <Typography.Paragraph data-testid="compare-evidence-summary">
        {t('compare.evidence.summary', {
          rule: ruleLabel(rule),
          sources: describeSources(evidence.sources),
          method: methodLabel(matchMethod),
          score: formatScore(matchScore),
        })}
      </Typography.Paragraph>
      {parts.length > 0 ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('compare.evidence.partsIntro', { count: parts.length })}</Typography.Text>
          {parts.map((part, index) => (
            <Card key={index} size="small" title={t('compare.evidence.part', { n: index + 1 })}>
              <EvidenceBody evidence={part} />
            </Card>
          ))}
          <Computation value={evidence.computation} />
        </Space>
      ) : (
        <EvidenceBody evidence={evidence} />
      )}
      <Collapse
        ghost
        size="small"
        style={{ marginTop: 8 }}
        items={[{ key: 'raw', label: t('compare.evidence.raw'), children: <pre className="ms-json">{JSON.stringify(evidence, null, 2)}</pre> }]}
      />
    </div>
  );
}

const KNOWN_KEYS = new Set(['sources', 'agreed', 'linking', 'computation', 'parts']);

function EvidenceBody({ evidence }: { evidence: Record<string, unknown> }) {
  const { t } = useTranslation();
  const words = useYesNo();
  const sources = Array.isArray(evidence.sources) ? (evidence.sources as unknown[]).filter(isRecord) : [];
  const agreed = isRecord(evidence.agreed) ? evidence.agreed : null;
  const links = Array.isArray(evidence.linking) ? (evidence.linking as unknown[]).filter(isRecord) : [];
  const facts = Object.entries(evidence).filter(([key]) => !KNOWN_KEYS.has(key));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {sources.length > 0 ? (
        <section>
          <Typography.Title level={5}>{t('compare.evidence.sources')}</Typography.Title>
          <Table<Record<string, unknown>>
            data-testid="compare-evidence-sources"
            size="small"
            pagination={false}
            rowKey={(_, index) => String(index)}
            dataSource={sources}
            onRow={(source) => ({ 'data-dataset': String(source.dataset ?? '') }) as HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('compare.evidence.dataset'), key: 'dataset', width: 120, render: (_, source) => kindLabel(String(source.dataset ?? '')) },
              { title: t('compare.evidence.row'), key: 'row', width: 70, align: 'right', render: (_, source) => (source.row === undefined ? '—' : String(source.row)) },
              { title: t('compare.evidence.idAsWritten'), key: 'id', width: 200, render: (_, source) => <span className="ms-mono">{typeof source.idAsWritten === 'string' ? source.idAsWritten : '—'}</span> },
              { title: t('compare.evidence.name'), key: 'name', width: 100, render: (_, source) => (typeof source.name === 'string' ? source.name : '—') },
              {
                title: t('compare.evidence.otherFields'),
                key: 'other',
                render: (_, source) => (
                  <Space size={[4, 4]} wrap>
                    {Object.entries(source)
                      .filter(([key]) => !['dataset', 'row', 'idAsWritten', 'name'].includes(key))
                      .map(([key, value]) => (
                        <Tag key={key}>
                          {evidenceKeyLabel(key)}：{formatValue(value, words)}
                        </Tag>
                      ))}
                  </Space>
                ),
              },
            ]}
          />
        </section>
      ) : null}
      {agreed ? (
        <section data-testid="compare-evidence-agreement">
          <Typography.Title level={5}>{t('compare.evidence.agreement')}</Typography.Title>
          <Space orientation="vertical" size={4}>
            {Object.entries(agreed).map(([field, value]) => (
              <div key={field} data-field={field} data-agreed={value === false ? 'false' : 'true'}>
                {value === false ? <CloseCircleTwoTone twoToneColor="#b42318" /> : <CheckCircleTwoTone twoToneColor="#0e7c66" />}{' '}
                <Typography.Text strong>{evidenceKeyLabel(field)}</Typography.Text>
                {'：'}
                {value === true ? t('compare.evidence.agrees') : value === false ? t('compare.evidence.differs') : formatValue(value, words)}
              </div>
            ))}
          </Space>
        </section>
      ) : null}
      {links.length > 0 ? (
        <section data-testid="compare-evidence-linking">
          <Typography.Title level={5}>{t('compare.evidence.linking')}</Typography.Title>
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            {links.map((link, index) => (
              <LinkExplanation key={index} link={link} />
            ))}
          </Space>
        </section>
      ) : null}
      {facts.length > 0 ? (
        <Descriptions
          data-testid="compare-evidence-facts"
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          title={t('compare.evidence.facts')}
          items={facts.map(([key, value]) => ({ key, label: evidenceKeyLabel(key), children: <FactValue value={value} /> }))}
        />
      ) : null}
      <Computation value={evidence.computation} />
    </Space>
  );
}

/** One link between a row and a person of the roll: the method and score, and for a fuzzy link each field's level and weight, the total and the threshold. */
function LinkExplanation({ link }: { link: Record<string, unknown> }) {
  const { t } = useTranslation();
  const words = useYesNo();
  const details = isRecord(link.details) ? link.details : null;
  const fields = details && Array.isArray(details.fields) ? (details.fields as unknown[]).filter(isRecord) : [];
  const total = details ? (numberOf(details.totalWeight) ?? numberOf(details.total)) : undefined;
  const threshold = details ? (numberOf(details.thresholdWeight) ?? numberOf(details.threshold)) : undefined;
  const probability = details ? numberOf(details.matchProbability) : undefined;
  return (
    <Card size="small" data-testid="compare-evidence-link" data-method={String(link.method ?? '')}>
      <Typography.Text>
        {t('compare.evidence.linkLine', { dataset: kindLabel(String(link.dataset ?? '')), row: String(link.row ?? '—'), method: methodLabel(String(link.method ?? '')), score: formatScore(numberOf(link.score) ?? 0) })}
      </Typography.Text>
      {fields.length > 0 ? (
        <Table<Record<string, unknown>>
          data-testid="compare-evidence-weights"
          size="small"
          style={{ marginTop: 8 }}
          pagination={false}
          rowKey={(field, index) => `${String(field.field)}-${index}`}
          dataSource={fields}
          columns={[
            { title: t('compare.evidence.field'), key: 'field', render: (_, field) => evidenceKeyLabel(String(field.field ?? '')) },
            { title: t('compare.evidence.level'), key: 'level', render: (_, field) => String(field.level ?? '—') },
            {
              title: t('compare.evidence.weight'),
              key: 'weight',
              align: 'right',
              render: (_, field) => {
                const weight = numberOf(field.weight);
                return weight === undefined ? '—' : <Typography.Text type={weight < 0 ? 'danger' : 'success'}>{weight > 0 ? `+${weight}` : String(weight)}</Typography.Text>;
              },
            },
            { title: t('compare.evidence.detail'), key: 'detail', render: (_, field) => (field.detail === undefined ? '' : formatValue(field.detail, words)) },
          ]}
          summary={() =>
            total === undefined ? null : (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={2}>
                  <Typography.Text strong>{t('compare.evidence.total')}</Typography.Text>
                  {threshold === undefined ? null : <Typography.Text type="secondary">{t('compare.evidence.threshold', { threshold })}</Typography.Text>}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  <Typography.Text strong data-testid="compare-evidence-total">
                    {total}
                  </Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3}>{probability === undefined ? '' : t('compare.evidence.probability', { probability: formatScore(probability) })}</Table.Summary.Cell>
              </Table.Summary.Row>
            )
          }
        />
      ) : null}
      {details && typeof details.model === 'string' ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
          {details.model}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}

function Computation({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (typeof value !== 'string' || !value) return null;
  return (
    <div data-testid="compare-evidence-computation">
      <Typography.Text type="secondary">{t('compare.evidence.computation')}：</Typography.Text>
      <Typography.Text strong className="ms-mono">
        {value}
      </Typography.Text>
    </div>
  );
}

function FactValue({ value }: { value: unknown }) {
  const words = useYesNo();
  if (isRecord(value)) {
    return (
      <Space orientation="vertical" size={0}>
        {Object.entries(value).map(([key, inner]) => (
          <span key={key}>
            {evidenceKeyLabel(key)}：{formatValue(inner, words)}
          </span>
        ))}
      </Space>
    );
  }
  return <>{formatValue(value, words)}</>;
}

/** The words for true and false in the current language. */
interface YesNo {
  yes: string;
  no: string;
}

function useYesNo(): YesNo {
  const { t } = useTranslation();
  return { yes: t('common.yes'), no: t('common.no') };
}

function formatValue(value: unknown, words: YesNo): ReactNode {
  if (value === null || value === undefined || value === '') return '—';
  if (value === true) return words.yes;
  if (value === false) return words.no;
  if (Array.isArray(value)) return value.map((item) => (isRecord(item) ? JSON.stringify(item) : String(item))).join('、');
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

function describeSources(sources: unknown): string {
  if (!Array.isArray(sources)) return '—';
  return (sources as unknown[])
    .filter(isRecord)
    .map((source) => `${kindLabel(String(source.dataset ?? ''))}${source.row === undefined ? '' : ` #${String(source.row)}`}`)
    .join(' ↔ ');
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(3);
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
