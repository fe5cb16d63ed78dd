import { Type, type TObject, type TSchema } from 'typebox';

/**
 * The facts of a household that assistance rules read, declared once: the CEL types the rules are
 * checked against, the JSON schema the API accepts, the defaults a form may leave out and the
 * derived values (size, income per head) all come from this one declaration. Money is whole fen
 * (分) per month unless the field says otherwise, so that rules never compare floating yuan.
 */

/** One declared fact. `required` facts have no default; `derived` ones are computed, never sent. */
export type FactField =
  | { type: 'int'; min: number; max: number; default?: number; required?: boolean; derived?: boolean; unit: FactUnit; description: string }
  | { type: 'double'; min: number; max: number; default: number; unit: FactUnit; description: string }
  | { type: 'bool'; default: boolean; description: string }
  | { type: 'string'; values: readonly string[]; default?: string; required?: boolean; description: string }
  | { type: 'strings'; values: readonly string[] | 'categories'; maxItems: number; description: string }
  | { type: 'list'; of: FactObject; typeName: string; minItems: number; maxItems: number; description: string }
  | { type: 'object'; fields: FactObject; description: string };

/** Units of numeric facts and parameters, for the console's labels. */
export type FactUnit = 'fen' | 'fen_per_year' | 'years' | 'count' | 'grade' | 'square_metres' | 'ratio' | 'days';

/** Named facts of one object. */
export type FactObject = Readonly<Record<string, FactField>>;

const FEN_MAX = 10_000_000_000; // ¥100 million: far above any household's figures, far below 2^53.

/** Hardships a household may be living through (急难情形), read by temporary assistance and monitoring. */
export const HARDSHIPS = ['serious_illness', 'accident', 'fire', 'natural_disaster', 'breadwinner_death', 'bereavement', 'job_loss', 'caregiver_ill'] as const;

/** One member of the household (家庭成员). */
export const MEMBER_FACTS = {
  age: { type: 'int', min: 0, max: 130, required: true, unit: 'years', description: 'age in whole years' },
  gender: { type: 'string', values: ['male', 'female'], required: true, description: 'gender' },
  relation: {
    type: 'string',
    values: ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'],
    default: 'other',
    description: 'relation to the head of the household (与户主关系)',
  },
  disabilityGrade: { type: 'int', min: 0, max: 4, default: 0, unit: 'grade', description: 'disability grade of the certificate, 1 (most severe) to 4; 0 for none (残疾等级)' },
  disabilityKind: {
    type: 'string',
    values: ['none', 'physical', 'visual', 'hearing', 'speech', 'intellectual', 'mental', 'multiple'],
    default: 'none',
    description: 'kind of disability (残疾类别)',
  },
  health: { type: 'string', values: ['healthy', 'chronic_illness', 'serious_illness'], default: 'healthy', description: 'health (健康状况): chronic or serious illness (慢性病, 重病)' },
  selfCare: { type: 'string', values: ['full', 'partial', 'none'], default: 'full', description: 'ability to care for oneself (生活自理能力): full, partly disabled (半失能), fully disabled (失能)' },
  employment: {
    type: 'string',
    values: ['employed', 'flexible', 'farming', 'unemployed', 'retired', 'student', 'unable_to_work', 'none'],
    default: 'none',
    description: 'work (就业状况): employed, flexible work (灵活就业), farming, unemployed, retired, student, unable to work',
  },
  schoolStage: {
    type: 'string',
    values: ['none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college'],
    default: 'none',
    description: 'school stage (学段): preschool, primary, junior and senior middle school, vocational school, college',
  },
  isBoarding: { type: 'bool', default: false, description: 'boards at school (寄宿生)' },
  monthlyIncome: { type: 'int', min: 0, max: FEN_MAX, default: 0, unit: 'fen', description: 'income of this member, fen per month' },
  livesAlone: { type: 'bool', default: false, description: 'lives alone (独居)' },
  isOrphan: { type: 'bool', default: false, description: 'orphan (孤儿)' },
  isUnsupportedChild: { type: 'bool', default: false, description: 'child whose parents cannot raise them (事实无人抚养儿童)' },
  hasCapableSupporter: { type: 'bool', default: true, description: 'has a person legally bound and able to support them (有履行能力的法定赡养、抚养、扶养义务人)' },
  isVeteran: { type: 'bool', default: false, description: 'veteran (退役军人)' },
} as const satisfies FactObject;

/** A vehicle the household owns (车辆). */
export const VEHICLE_FACTS = {
  kind: { type: 'string', values: ['car', 'motorcycle', 'truck', 'farm_machine', 'disability_vehicle'], required: true, description: 'kind of vehicle' },
  value: { type: 'int', min: 0, max: FEN_MAX, default: 0, unit: 'fen', description: 'assessed value, fen' },
} as const satisfies FactObject;

/** A business registered to a member (工商登记). */
export const BUSINESS_FACTS = {
  kind: { type: 'string', values: ['individual', 'company'], required: true, description: 'individual business (个体工商户) or company' },
  isActive: { type: 'bool', default: true, description: 'still operating' },
  registeredCapital: { type: 'int', min: 0, max: FEN_MAX, default: 0, unit: 'fen', description: 'registered capital, fen' },
} as const satisfies FactObject;

/** What the household owns (家庭财产). */
export const PROPERTY_FACTS = {
  financialAssets: { type: 'int', min: 0, max: FEN_MAX, default: 0, unit: 'fen', description: 'deposits, securities and insurance cash value, fen (金融资产)' },
  homes: { type: 'int', min: 0, max: 50, default: 0, unit: 'count', description: 'homes owned (住房套数)' },
  homeAreaPerHead: { type: 'double', min: 0, max: 10_000, default: 0, unit: 'square_metres', description: 'floor area of owned homes per member, m²' },
  hasCommercialProperty: { type: 'bool', default: false, description: 'owns shops, offices or other non-residential property' },
} as const satisfies FactObject;

/** The household (家庭): everything a rule may read as `household.*`. */
export const HOUSEHOLD_FACTS = {
  members: { type: 'list', of: MEMBER_FACTS, typeName: 'Member', minItems: 1, maxItems: 20, description: 'members living together (共同生活的家庭成员)' },
  isRural: { type: 'bool', default: false, description: 'rural household (农村), for the rural lines' },
  housing: {
    type: 'string',
    values: ['owned', 'public_rental', 'private_rental', 'with_relatives', 'none', 'dilapidated'],
    default: 'owned',
    description: 'where the household lives: own home, public rental (公租房), private rental, with relatives, no home, a dilapidated house (危房)',
  },
  isPovertyAlleviated: { type: 'bool', default: false, description: 'household lifted out of poverty or under monitoring against relapse (脱贫户、监测对象)' },
  otherMonthlyIncome: { type: 'int', min: 0, max: FEN_MAX, default: 0, unit: 'fen', description: 'income not earned by a member (rent, support payments), fen per month' },
  property: { type: 'object', fields: PROPERTY_FACTS, description: 'property (家庭财产)' },
  vehicles: { type: 'list', of: VEHICLE_FACTS, typeName: 'Vehicle', minItems: 0, maxItems: 20, description: 'vehicles owned (车辆)' },
  businesses: { type: 'list', of: BUSINESS_FACTS, typeName: 'Business', minItems: 0, maxItems: 20, description: 'business registrations (工商登记)' },
  hospitalCostsLast12Months: { type: 'int', min: 0, max: FEN_MAX, default: 0, unit: 'fen', description: 'medical costs paid out of pocket in the last 12 months, fen (近12个月自付医疗费用)' },
  benefits: { type: 'strings', values: 'categories', maxItems: 30, description: 'assistance categories the household receives now (已享受的救助类别), e.g. subsistence_allowance' },
  hardships: { type: 'strings', values: HARDSHIPS, maxItems: HARDSHIPS.length, description: 'hardships the household is living through (急难情形)' },
  size: { type: 'int', min: 1, max: 20, derived: true, unit: 'count', description: 'number of members (derived)' },
  totalMonthlyIncome: { type: 'int', min: 0, max: FEN_MAX, derived: true, unit: 'fen', description: 'members’ incomes plus other income, fen per month (derived)' },
  incomePerHead: { type: 'int', min: 0, max: FEN_MAX, derived: true, unit: 'fen', description: 'total monthly income divided by the number of members, rounded down, fen (derived)' },
} as const satisfies FactObject;

/** Plain JSON facts of one household as the API takes them (defaults may be left out). */
export type HouseholdFactsInput = Record<string, unknown>;

/** A JSON value of the facts after defaults and derivation: what explanations quote. */
export type FactValue = string | number | boolean | FactValue[] | { [key: string]: FactValue };

/** The facts of one household ready for the rules: plain JSON (for explanations) and CEL values. */
export interface HouseholdContext {
  /** Facts with defaults applied and derived values added, as plain JSON. */
  facts: { [key: string]: FactValue };
  /** The same facts with CEL integers as bigint, to hand to the evaluator. */
  cel: Record<string, unknown>;
}

/** The CEL type string of a declared field. */
function celType(field: FactField): string {
  switch (field.type) {
    case 'int':
    case 'double':
    case 'bool':
    case 'string':
      return field.type;
    case 'strings':
      return 'list<string>';
    case 'list':
      return `list<${field.typeName}>`;
    case 'object':
      throw new Error('nested objects are declared as schemas, not type strings');
  }
}

/** A CEL object schema: field name → type string, or a nested schema. */
export interface CelSchema {
  [field: string]: string | CelSchema;
}

/** CEL schema of an object, for `registerVariable({ schema })`: nested objects stay nested. */
export function celSchema(fields: FactObject): CelSchema {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.type === 'object' ? celSchema(field.fields) : celType(field)]));
}

/** The list element types to register (`Member`, `Vehicle`, `Business`) with their field types. */
export function celListTypes(fields: FactObject = HOUSEHOLD_FACTS): Array<{ name: string; fields: Record<string, string> }> {
  const types: Array<{ name: string; fields: Record<string, string> }> = [];
  for (const field of Object.values(fields)) {
    if (field.type === 'list') {
      types.push(...celListTypes(field.of));
      types.push({ name: field.typeName, fields: Object.fromEntries(Object.entries(field.of).map(([name, inner]) => [name, celType(inner)])) });
    } else if (field.type === 'object') {
      types.push(...celListTypes(field.fields));
    }
  }
  return types;
}

function fieldSchema(field: FactField): TSchema {
  const description = field.description;
  switch (field.type) {
    case 'int':
      return Type.Integer({ minimum: field.min, maximum: field.max, description });
    case 'double':
      return Type.Number({ minimum: field.min, maximum: field.max, description });
    case 'bool':
      return Type.Boolean({ description });
    case 'string':
      return Type.Union(field.values.map((value) => Type.Literal(value)), { description });
    case 'strings':
      return Type.Array(field.values === 'categories' ? Type.String({ pattern: '^[a-z][a-z0-9_]{1,59}$' }) : Type.Union(field.values.map((value) => Type.Literal(value))), {
        maxItems: field.maxItems,
        uniqueItems: true,
        description,
      });
    case 'list':
      return Type.Array(objectSchema(field.of), { minItems: field.minItems, maxItems: field.maxItems, description });
    case 'object':
      return objectSchema(field.fields, description);
  }
}

function isRequired(field: FactField): boolean {
  return (field.type === 'int' || field.type === 'string') && field.required === true;
}

function objectSchema(fields: FactObject, description?: string): TObject {
  const properties: Record<string, TSchema> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field.type === 'int' && field.derived) continue;
    const schema = fieldSchema(field);
    // A list with a minimum (the members) cannot be left out either.
    properties[name] = isRequired(field) || (field.type === 'list' && field.minItems > 0) ? schema : Type.Optional(schema);
  }
  return Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
}

/** JSON schema of a household's facts as the API accepts them; unknown fields are refused. */
export const HouseholdFactsSchema = objectSchema(HOUSEHOLD_FACTS, 'the facts of one household');

/** A problem with submitted facts that the JSON schema cannot see (or that arrive without it). */
export interface FactProblem {
  field: string;
  message: string;
}

function applyDefaults(fields: FactObject, input: Record<string, unknown>, path: string, problems: FactProblem[]): { [key: string]: FactValue } {
  const out: { [key: string]: FactValue } = {};
  for (const name of Object.keys(input)) {
    const declared = fields[name];
    if (!declared || (declared.type === 'int' && declared.derived)) problems.push({ field: `${path}${name}`, message: 'is not a declared fact' });
  }
  for (const [name, field] of Object.entries(fields)) {
    const value = input[name];
    const at = `${path}${name}`;
    switch (field.type) {
      case 'int':
      case 'double': {
        if (field.type === 'int' && field.derived) break;
        if (value === undefined) {
          if (field.default === undefined) problems.push({ field: at, message: 'is required' });
          else out[name] = field.default;
        } else if (typeof value !== 'number' || !Number.isFinite(value) || (field.type === 'int' && !Number.isInteger(value)) || value < field.min || value > field.max) {
          problems.push({ field: at, message: `must be ${field.type === 'int' ? 'an integer' : 'a number'} from ${field.min} to ${field.max}` });
        } else {
          out[name] = value;
        }
        break;
      }
      case 'bool':
        if (value === undefined) out[name] = field.default;
        else if (typeof value !== 'boolean') problems.push({ field: at, message: 'must be true or false' });
        else out[name] = value;
        break;
      case 'string':
        if (value === undefined) {
          if (field.default === undefined) problems.push({ field: at, message: 'is required' });
          else out[name] = field.default;
        } else if (typeof value !== 'string' || !field.values.includes(value)) {
          problems.push({ field: at, message: `must be one of ${field.values.join(', ')}` });
        } else {
          out[name] = value;
        }
        break;
      case 'strings':
        if (value === undefined) out[name] = [];
        else if (!Array.isArray(value) || value.length > field.maxItems || value.some((item) => typeof item !== 'string' || (field.values !== 'categories' && !field.values.includes(item)))) {
          problems.push({ field: at, message: field.values === 'categories' ? 'must be a list of category codes' : `must be a list of ${field.values.join(', ')}` });
        } else {
          out[name] = [...new Set(value as string[])];
        }
        break;
      case 'list':
        if (value === undefined && field.minItems === 0) out[name] = [];
        else if (!Array.isArray(value) || value.length < field.minItems || value.length > field.maxItems) {
          problems.push({ field: at, message: `must be a list of ${field.minItems} to ${field.maxItems} items` });
        } else {
          out[name] = value.map((item, index) =>
            typeof item === 'object' && item !== null && !Array.isArray(item)
              ? applyDefaults(field.of, item as Record<string, unknown>, `${at}.${index}.`, problems)
              : (problems.push({ field: `${at}.${index}`, message: 'must be an object' }), {}),
          );
        }
        break;
      case 'object':
        if (value === undefined) out[name] = applyDefaults(field.fields, {}, `${at}.`, problems);
        else if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push({ field: at, message: 'must be an object' });
        else out[name] = applyDefaults(field.fields, value as Record<string, unknown>, `${at}.`, problems);
        break;
    }
  }
  return out;
}

function toCel(fields: FactObject, value: { [key: string]: FactValue }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const item = value[name];
    if (item === undefined) continue;
    switch (field.type) {
      case 'int':
        out[name] = BigInt(item as number);
        break;
      case 'list':
        out[name] = (item as Array<{ [key: string]: FactValue }>).map((element) => toCel(field.of, element));
        break;
      case 'object':
        out[name] = toCel(field.fields, item as { [key: string]: FactValue });
        break;
      default:
        out[name] = item;
    }
  }
  return out;
}

/**
 * Prepares a household's facts for the rules: checks them against the declaration (the API's
 * schema has already done so; this guards callers that bypass it), fills defaults, and derives
 * size, total income and income per head (rounded down, so a household exactly at the line is
 * not below it by a rounding fraction). Returns the problems instead when there are any.
 */
export function prepareHousehold(input: HouseholdFactsInput): { context: HouseholdContext; problems: [] } | { context: null; problems: FactProblem[] } {
  const problems: FactProblem[] = [];
  const facts = applyDefaults(HOUSEHOLD_FACTS, input, '', problems);
  if (problems.length > 0) return { context: null, problems };
  const members = facts.members as Array<{ monthlyIncome: number }>;
  const total = members.reduce((sum, member) => sum + member.monthlyIncome, 0) + (facts.otherMonthlyIncome as number);
  facts.size = members.length;
  facts.totalMonthlyIncome = total;
  facts.incomePerHead = Math.floor(total / members.length);
  return { context: { facts, cel: toCel(HOUSEHOLD_FACTS, facts) }, problems: [] };
}

/** A declared fact as the console lists it (the tester's reference). */
export interface FactDescription {
  path: string;
  type: string;
  unit: FactUnit | null;
  values: string[] | null;
  isDerived: boolean;
  isRequired: boolean;
  default: FactValue | null;
  description: string;
}

/** Every declared fact with its CEL path (`household.members[].age`), type, unit and allowed values. */
export function describeFacts(fields: FactObject = HOUSEHOLD_FACTS, prefix = 'household'): FactDescription[] {
  const out: FactDescription[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const path = `${prefix}.${name}`;
    const base = { path, type: field.type === 'object' ? 'object' : celType(field), description: field.description };
    switch (field.type) {
      case 'int':
        out.push({ ...base, unit: field.unit, values: null, isDerived: field.derived === true, isRequired: field.required === true, default: field.default ?? null });
        break;
      case 'double':
        out.push({ ...base, unit: field.unit, values: null, isDerived: false, isRequired: false, default: field.default });
        break;
      case 'bool':
        out.push({ ...base, unit: null, values: null, isDerived: false, isRequired: false, default: field.default });
        break;
      case 'string':
        out.push({ ...base, unit: null, values: [...field.values], isDerived: false, isRequired: field.required === true, default: field.default ?? null });
        break;
      case 'strings':
        out.push({ ...base, unit: null, values: field.values === 'categories' ? null : [...field.values], isDerived: false, isRequired: false, default: [] });
        break;
      case 'list':
        out.push({ ...base, unit: null, values: null, isDerived: false, isRequired: field.minItems > 0, default: null });
        out.push(...describeFacts(field.of, `${path}[]`));
        break;
      case 'object':
        out.push({ ...base, unit: null, values: null, isDerived: false, isRequired: false, default: null });
        out.push(...describeFacts(field.fields, path));
        break;
    }
  }
  return out;
}
