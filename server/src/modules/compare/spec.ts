import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../../platform/errors.ts';
import { EXTRACT_COLUMNS, EXTRACT_KINDS, type ExtractKind, type ExtractSource } from './extracts.ts';
import { EXTRACT_FORMATS } from './readers.ts';
import { RULE_CODES, type RuleCode, type RuleParameters } from './rules.ts';

const ExtractFile = Type.Union([
  Type.String({ minLength: 1, description: 'path of the file, its format taken from the extension' }),
  Type.Object(
    {
      path: Type.String({ minLength: 1 }),
      format: Type.Optional(Type.Union(EXTRACT_FORMATS.map((format) => Type.Literal(format)))),
      columns: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }), { description: 'standard column → the header in this file' })),
    },
    { additionalProperties: false },
  ),
]);

const Fen = (description: string) => Type.Integer({ minimum: 0, description: `${description}, in fen (1/100 yuan)` });
const Statuses = (description: string) => Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description });

/** Rule parameters a spec may set; every one is optional and defaults to DEFAULT_RULE_PARAMETERS. */
export const RuleParametersSchema = Type.Object(
  {
    drawingStatus: Type.Optional(Type.String({ minLength: 1, description: 'insured status meaning benefits are being paid' })),
    deceasedMinimumMonths: Type.Optional(Type.Integer({ minimum: 0, description: 'DECEASED_DRAWING: payments after the death month needed to raise' })),
    imprisonedMinimumMonths: Type.Optional(Type.Integer({ minimum: 0, description: 'IMPRISONED_DRAWING: whole months served while drawing needed to raise' })),
    employedWindowMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: 'UNINSURED_EMPLOYED: months before the as-of month looked at' })),
    employedMinimumMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: 'UNINSURED_EMPLOYED: months with wages needed to raise' })),
    employedBySameEmployer: Type.Optional(Type.Boolean({ description: 'UNINSURED_EMPLOYED: count months per employer' })),
    coveredStatuses: Type.Optional(Statuses('UNINSURED_EMPLOYED: insured statuses that count as being on the roll')),
    pensionContributionRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'UNINSURED_EMPLOYED: share of wages owed as contributions' })),
    assistanceCategories: Type.Optional(Statuses('ASSISTANCE_WITH_BUSINESS: assistance categories the rule applies to')),
    activeBusinessStatuses: Type.Optional(Statuses('ASSISTANCE_WITH_BUSINESS: business statuses meaning active')),
    businessCapitalThresholdCents: Type.Optional(Fen('ASSISTANCE_WITH_BUSINESS: registered capital must be above this')),
    illnessWindowMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: 'ILLNESS_POVERTY_RISK: months of hospital stays counted' })),
    illnessOutOfPocketThresholdCents: Type.Optional(Fen('ILLNESS_POVERTY_RISK: out-of-pocket cost must be above this')),
    illnessAssistanceMultiple: Type.Optional(Type.Number({ minimum: 0, description: "ILLNESS_POVERTY_RISK: multiple of the household's annual assistance to exceed" })),
  },
  { additionalProperties: false },
);

/**
 * A comparison spec (`minsheng compare run --spec spec.json`): the extract files with their format and
 * column mapping, the rules to run and their parameters. Relative paths are relative to the spec file.
 */
export const ComparisonSpecSchema = Type.Object(
  {
    asOf: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD; the command line may give it instead' })),
    files: Type.Object(Object.fromEntries(EXTRACT_KINDS.map((kind) => [kind, Type.Optional(ExtractFile)])) as Record<ExtractKind, Type.TOptional<typeof ExtractFile>>, {
      additionalProperties: false,
      minProperties: 1,
    }),
    rules: Type.Optional(Type.Array(Type.Union(RULE_CODES.map((code) => Type.Literal(code))), { minItems: 1, uniqueItems: true })),
    parameters: Type.Optional(RuleParametersSchema),
  },
  { additionalProperties: false },
);

/** A comparison spec as written. */
export type ComparisonSpecDocument = Static<typeof ComparisonSpecSchema>;

/** A validated spec, paths resolved: what `runComparison` takes besides the as-of date. */
export interface ComparisonSpec {
  asOf?: string;
  files: Partial<Record<ExtractKind, ExtractSource>>;
  rules?: RuleCode[];
  parameters?: Partial<RuleParameters>;
}

/**
 * Validates a spec document and resolves its paths against `baseDirectory`. Throws VALIDATION_FAILED
 * naming every problem with its JSON path: unknown keys, a rule or format that does not exist, a
 * parameter of the wrong type, a column mapping naming a column the extract does not have.
 */
export function parseComparisonSpec(document: unknown, baseDirectory: string, origin = 'spec'): ComparisonSpec {
  if (!Value.Check(ComparisonSpecSchema, document)) {
    const fields = [...Value.Errors(ComparisonSpecSchema, document)].slice(0, 20).map((error) => ({ field: error.instancePath || '/', message: error.message }));
    throw new AppError('VALIDATION_FAILED', `${origin} is invalid: ${fields.map((field) => `${field.field} ${field.message}`).join('; ')}`, { fields });
  }
  const spec = document as ComparisonSpecDocument;
  const problems: { field: string; message: string }[] = [];
  const files: ComparisonSpec['files'] = {};
  for (const kind of EXTRACT_KINDS) {
    const entry = spec.files[kind];
    if (entry === undefined) continue;
    const source: ExtractSource = typeof entry === 'string' ? { path: entry } : { ...entry };
    source.path = path.resolve(baseDirectory, source.path);
    for (const column of Object.keys(source.columns ?? {})) {
      if (!EXTRACT_COLUMNS[kind].includes(column)) {
        problems.push({ field: `/files/${kind}/columns/${column}`, message: `is not a column of the ${kind} extract (${EXTRACT_COLUMNS[kind].join(', ')})` });
      }
    }
    files[kind] = source;
  }
  const parameters = spec.parameters;
  if (parameters?.employedMinimumMonths !== undefined && parameters.employedWindowMonths !== undefined && parameters.employedMinimumMonths > parameters.employedWindowMonths) {
    problems.push({ field: '/parameters/employedMinimumMonths', message: 'must not exceed employedWindowMonths' });
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `${origin} is invalid: ${problems.map((problem) => `${problem.field} ${problem.message}`).join('; ')}`, { fields: problems });
  }
  return { asOf: spec.asOf, files, rules: spec.rules, parameters };
}

/** Reads and validates a spec file (see {@link parseComparisonSpec}). */
export async function readComparisonSpec(file: string): Promise<ComparisonSpec> {
  let document: unknown;
  try {
    document = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('VALIDATION_FAILED', `spec ${file} cannot be read as JSON: ${reason}`);
  }
  return parseComparisonSpec(document, path.dirname(path.resolve(file)), `spec ${file}`);
}
