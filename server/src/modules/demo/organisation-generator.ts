import type { OrganisationKind } from '../../platform/db/schema.ts';
import { CREDIT_CODE_CHARSET, makeCreditCode, organisationCodeCheckCharacter } from '../../platform/identity/index.ts';
import type { DemoPlace } from './city-generator.ts';
import { pickFullName, placeRoots } from './names.ts';
import { Random, apportion, weightedTable } from './random.ts';

/** An organisation of the demo city, shaped like a row of organisations.csv plus its parent link. */
export interface DemoOrganisation {
  kind: OrganisationKind;
  name: string;
  creditCode: string;
  /** The place the organisation belongs to: its district, street or community. */
  placeCode: string;
  /** Credit code of the organisation above it (government → department, street office → committee). */
  parentCreditCode: string | null;
  legalRepresentative: string;
  phone: string;
  address: string;
}

/** How many organisations of each non-governmental kind the whole city gets. */
export interface OrganisationOptions {
  seed?: number | undefined;
  places: readonly DemoPlace[];
  enterprises?: number | undefined;
  socialOrganisations?: number | undefined;
  charities?: number | undefined;
  volunteerTeams?: number | undefined;
}

/** Defaults from DOMAIN.md: 94 social organisations and 5 charities; 2,000 companies; 50 volunteer teams. */
export const DEFAULT_ORGANISATION_COUNTS = { enterprises: 2000, socialOrganisations: 94, charities: 5, volunteerTeams: 50 } as const;

/** The 21 working departments of a district government, linked horizontally (DOMAIN.md). */
export const DISTRICT_DEPARTMENTS = [
  '发展和改革委员会',
  '教育委员会',
  '科学技术局',
  '民政局',
  '司法局',
  '财政局',
  '人力资源和社会保障局',
  '规划和自然资源局',
  '生态环境局',
  '住房和城乡建设委员会',
  '城市管理局',
  '交通局',
  '水利局',
  '农业农村委员会',
  '商务委员会',
  '文化和旅游发展委员会',
  '卫生健康委员会',
  '退役军人事务局',
  '应急管理局',
  '市场监督管理局',
  '医疗保障局',
] as const;

// Registration authority and category (GB 32100 positions 1–2) for each kind.
const PREFIX_GOVERNMENT = '11';
// 民政 "other": the national standard's table has no row for residents' and villagers' committees.
const PREFIX_COMMITTEE = '59';
const PREFIX_ENTERPRISE = '91';
const PREFIX_SOCIAL_GROUP = '51';
const PREFIX_PRIVATE_NON_ENTERPRISE = '52';
const PREFIX_FOUNDATION = '53';

const TRADE_CHARACTERS = [...'渝嘉华瑞鑫恒盛博创达宏汇锦骏凯朗隆茂沛启森泰拓威祥欣雅耀悦卓山城江川巴蜀佳美信诚和顺兴益'];
const INDUSTRIES = weightedTable([
  ['科技有限公司', 14],
  ['商贸有限公司', 12],
  ['建筑工程有限公司', 8],
  ['餐饮管理有限公司', 8],
  ['物业管理有限公司', 5],
  ['机械制造有限公司', 4],
  ['汽车零部件有限公司', 5],
  ['电子有限公司', 4],
  ['物流有限公司', 5],
  ['医药有限公司', 3],
  ['食品有限公司', 4],
  ['文化传媒有限公司', 4],
  ['教育咨询有限公司', 3],
  ['环保科技有限公司', 3],
  ['装饰工程有限公司', 5],
  ['信息技术有限公司', 5],
  ['房地产开发有限公司', 2],
  ['劳务有限公司', 3],
  ['农业开发有限公司', 2],
  ['火锅有限公司', 3],
  ['实业股份有限公司', 1],
] as const);
const ASSOCIATION_TOPICS = ['书法家', '摄影家', '老年人体育', '餐饮行业', '个体劳动者', '青年企业家', '作家', '舞蹈家', '钓鱼', '象棋', '围棋', '太极拳', '楼宇经济', '物业管理', '律师', '社会工作', '残疾人福利', '养老服务', '家庭教育', '非遗保护'];
const SERVICE_CENTRE_KINDS = ['社会工作服务中心', '养老服务中心', '幼儿园', '培训学校', '社区发展服务中心', '心理咨询服务中心'];
const VOLUNTEER_THEMES = ['助老', '巾帼', '青年', '环保', '法律援助', '应急救援', '文明劝导', '关爱留守儿童', '党员先锋', '助残', '健康义诊', '邻里互助'];
const ROAD_SUFFIXES = ['路', '街', '大道', '支路'];
const CODE_CHARACTERS = [...CREDIT_CODE_CHARSET];

interface DistrictView {
  district: DemoPlace;
  streets: { street: DemoPlace; communities: DemoPlace[] }[];
  communities: DemoPlace[];
}

/**
 * Generates the organisations of a demo city: per district its government and 21 departments, a
 * street office per street or town, a committee per community or village, and enterprises, social
 * organisations, charities and volunteer teams spread by the number of communities. Every credit
 * code is valid (GB 32100 with its embedded GB 11714 organisation code) and unique.
 */
export function generateOrganisations(options: OrganisationOptions): DemoOrganisation[] {
  const random = new Random(options.seed ?? 1);
  const codes = new CodeIssuer(random.fork(11));
  const roots = placeRoots(random.fork(12));
  let nextRoot = 0;
  const takeRoot = () => roots[nextRoot++ % roots.length]!;
  const names = new Set<string>();
  const unique = (name: string, fallback: () => string): string => {
    let candidate = name;
    for (let attempt = 0; names.has(candidate); attempt++) candidate = attempt < 20 ? fallback() : `${name}（${attempt}）`;
    names.add(candidate);
    return candidate;
  };
  const views = describeDistricts(options.places);
  const organisations: DemoOrganisation[] = [];
  const person = () => pickFullName(random, random.chance(0.7) ? 'male' : 'female', random.int(1960, 1990));
  const landline = () => `023-${random.pick(['6', '8'])}${random.digits(7)}`;
  const mobile = () => `1${random.pick(['33', '35', '38', '39', '58', '77', '86', '89', '99'])}${random.digits(8)}`;
  const streetAddress = (district: DemoPlace, street: DemoPlace) =>
    `重庆市${district.name}${street.name}${takeRoot()}${random.pick(ROAD_SUFFIXES)}${random.int(1, 300)}号`;

  for (const { district, streets } of views) {
    const areaCode = district.code;
    const seat = streets[0]!.street;
    const government: DemoOrganisation = {
      kind: 'government',
      name: unique(`重庆市${district.name}人民政府`, () => `重庆市${district.name}人民政府`),
      creditCode: codes.issue(PREFIX_GOVERNMENT, areaCode, 'government'),
      placeCode: district.code,
      parentCreditCode: null,
      legalRepresentative: person(),
      phone: landline(),
      address: streetAddress(district, seat),
    };
    organisations.push(government);
    for (const department of DISTRICT_DEPARTMENTS) {
      organisations.push({
        kind: 'department',
        name: unique(`${district.name}${department}`, () => `${district.name}${department}`),
        creditCode: codes.issue(PREFIX_GOVERNMENT, areaCode, 'government'),
        placeCode: district.code,
        parentCreditCode: government.creditCode,
        legalRepresentative: person(),
        phone: landline(),
        address: streetAddress(district, seat),
      });
    }
    for (const { street, communities } of streets) {
      const office: DemoOrganisation = {
        kind: 'street_office',
        name: unique(street.name.endsWith('镇') ? `${district.name}${street.name}人民政府` : `${district.name}${street.name}办事处`, takeRoot),
        creditCode: codes.issue(PREFIX_GOVERNMENT, areaCode, 'government'),
        placeCode: street.code,
        parentCreditCode: government.creditCode,
        legalRepresentative: person(),
        phone: landline(),
        address: streetAddress(district, street),
      };
      organisations.push(office);
      for (const community of communities) {
        const isVillage = community.name.endsWith('村');
        organisations.push({
          kind: 'community_committee',
          name: unique(`${street.name}${community.name}${isVillage ? '村民委员会' : '居民委员会'}`, takeRoot),
          creditCode: codes.issue(PREFIX_COMMITTEE, areaCode, 'civil'),
          placeCode: community.code,
          parentCreditCode: office.creditCode,
          legalRepresentative: person(),
          phone: random.chance(0.6) ? landline() : mobile(),
          address: `重庆市${district.name}${street.name}${community.name}${takeRoot()}${random.pick(ROAD_SUFFIXES)}${random.int(1, 200)}号`,
        });
      }
    }
  }

  const weights = views.map((view) => view.communities.length);
  const shareOut = (total: number) => (total === 0 ? views.map(() => 0) : apportion(total, weights, 0));
  const enterprises = shareOut(options.enterprises ?? DEFAULT_ORGANISATION_COUNTS.enterprises);
  const socialOrganisations = shareOut(options.socialOrganisations ?? DEFAULT_ORGANISATION_COUNTS.socialOrganisations);
  const charities = shareOut(options.charities ?? DEFAULT_ORGANISATION_COUNTS.charities);
  const volunteerTeams = shareOut(options.volunteerTeams ?? DEFAULT_ORGANISATION_COUNTS.volunteerTeams);

  views.forEach((view, index) => {
    const { district } = view;
    const located = () => {
      const community = random.pick(view.communities);
      const street = view.streets.find((s) => s.communities.includes(community))!.street;
      return { community, street, address: streetAddress(district, street) };
    };
    for (let i = 0; i < enterprises[index]!; i++) {
      const { community, address } = located();
      const tradeName = () => random.pick(TRADE_CHARACTERS) + random.pick(TRADE_CHARACTERS);
      const industry = random.weighted(INDUSTRIES);
      organisations.push({
        kind: 'enterprise',
        name: unique(`重庆${tradeName()}${industry}`, () => `重庆${tradeName()}${tradeName()}${industry}`),
        creditCode: codes.issue(PREFIX_ENTERPRISE, district.code, 'market'),
        placeCode: community.code,
        parentCreditCode: null,
        legalRepresentative: person(),
        phone: random.chance(0.7) ? mobile() : landline(),
        address,
      });
    }
    for (let i = 0; i < socialOrganisations[index]!; i++) {
      const { community, address } = located();
      const isAssociation = random.chance(0.5);
      const name = isAssociation
        ? `${district.name}${random.pick(ASSOCIATION_TOPICS)}协会`
        : `${district.name}${takeRoot()}${random.pick(SERVICE_CENTRE_KINDS)}`;
      organisations.push({
        kind: 'social_organisation',
        name: unique(name, () => `${district.name}${takeRoot()}${random.pick(SERVICE_CENTRE_KINDS)}`),
        creditCode: codes.issue(isAssociation ? PREFIX_SOCIAL_GROUP : PREFIX_PRIVATE_NON_ENTERPRISE, district.code, 'civil'),
        placeCode: community.code,
        parentCreditCode: null,
        legalRepresentative: person(),
        phone: random.chance(0.5) ? mobile() : landline(),
        address,
      });
    }
    for (let i = 0; i < charities[index]!; i++) {
      const { address } = located();
      organisations.push({
        kind: 'charity',
        name: unique(`${district.name}慈善会`, () => `重庆市${takeRoot()}慈善基金会`),
        creditCode: codes.issue(PREFIX_FOUNDATION, district.code, 'civil'),
        placeCode: district.code,
        parentCreditCode: null,
        legalRepresentative: person(),
        phone: landline(),
        address,
      });
    }
    for (let i = 0; i < volunteerTeams[index]!; i++) {
      const { community, street, address } = located();
      const name = random.chance(0.5) ? `${street.name}${random.pick(VOLUNTEER_THEMES)}志愿服务队` : `${community.name}志愿服务队`;
      organisations.push({
        kind: 'volunteer_team',
        name: unique(name, () => `${street.name}${random.pick(VOLUNTEER_THEMES)}${takeRoot()}志愿服务队`),
        creditCode: codes.issue(PREFIX_SOCIAL_GROUP, district.code, 'civil'),
        placeCode: community.code,
        parentCreditCode: null,
        legalRepresentative: person(),
        phone: mobile(),
        address,
      });
    }
  });
  return organisations;
}

/** Who assigned the organisation code: series differ by registering authority. */
type CodeSeries = 'government' | 'civil' | 'market';

/**
 * Issues unique credit codes: positions 1–2 from the kind, 3–8 the district, 9–17 a GB 11714
 * organisation code (eight characters and their check character), 18 the GB 32100 check.
 */
class CodeIssuer {
  readonly #random: Random;
  readonly #issued = new Set<string>();

  constructor(random: Random) {
    this.#random = random;
  }

  issue(prefix: string, areaCode: string, series: CodeSeries): string {
    for (;;) {
      const body = this.#organisationCodeBody(series);
      const code = makeCreditCode(`${prefix}${areaCode}${body}${organisationCodeCheckCharacter(body)}`);
      if (this.#issued.has(code)) continue;
      this.#issued.add(code);
      return code;
    }
  }

  // Since 2015 new organisation codes come from the "MA" (market regulation) and "MJ" (civil affairs)
  // series; older organs and enterprises keep their all-digit codes.
  #organisationCodeBody(series: CodeSeries): string {
    const random = this.#random;
    switch (series) {
      case 'government':
        return `00${random.digits(6)}`;
      case 'civil':
        return random.chance(0.6) ? `MJ${this.#alphanumeric(6)}` : `5${random.digits(7)}`;
      case 'market':
        return random.chance(0.7) ? `MA${this.#alphanumeric(6)}` : `${random.pick(['20', '45', '70', '75'])}${random.digits(6)}`;
      default: {
        const unknown: never = series;
        throw new Error(`unknown code series ${String(unknown)}`);
      }
    }
  }

  #alphanumeric(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += this.#random.pick(CODE_CHARACTERS);
    return out;
  }
}

function describeDistricts(places: readonly DemoPlace[]): DistrictView[] {
  const children = new Map<string, DemoPlace[]>();
  for (const place of places) {
    if (place.parentCode === null) continue;
    const list = children.get(place.parentCode);
    if (list) list.push(place);
    else children.set(place.parentCode, [place]);
  }
  const views: DistrictView[] = [];
  for (const district of places) {
    if (district.level !== 'district') continue;
    const streets = (children.get(district.code) ?? []).map((street) => ({ street, communities: children.get(street.code) ?? [] }));
    const withCommunities = streets.filter((s) => s.communities.length > 0);
    if (withCommunities.length === 0) continue;
    views.push({ district, streets: withCommunities, communities: withCommunities.flatMap((s) => s.communities) });
  }
  return views;
}
