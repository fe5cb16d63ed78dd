import { currentLanguage } from '../i18n';

/**
 * The appeal categories (诉求分类) the intake form offers and the KPI page names. There is no
 * categories API yet, so the tree is kept here, the same codes as the server's classification.
 */
export interface AppealCategory {
  code: string;
  nameZh: string;
  nameEn: string;
  children?: AppealCategory[];
}

/** The category tree: 城市部件, 城市事件, 民生诉求. */
export const APPEAL_CATEGORIES: readonly AppealCategory[] = [
  {
    code: 'component',
    nameZh: '城市部件',
    nameEn: 'City components',
    children: [
      { code: 'component.streetlight', nameZh: '路灯', nameEn: 'Street lights' },
      { code: 'component.manhole', nameZh: '井盖', nameEn: 'Manhole covers' },
      { code: 'component.road', nameZh: '道路设施', nameEn: 'Roads and pavements' },
      { code: 'component.greenery', nameZh: '园林绿化', nameEn: 'Greenery' },
      { code: 'component.traffic_facility', nameZh: '交通设施', nameEn: 'Traffic facilities' },
    ],
  },
  {
    code: 'event',
    nameZh: '城市事件',
    nameEn: 'City events',
    children: [
      { code: 'event.litter', nameZh: '暴露垃圾', nameEn: 'Exposed litter' },
      { code: 'event.illegal_parking', nameZh: '违章停车', nameEn: 'Illegal parking' },
      { code: 'event.street_vending', nameZh: '占道经营', nameEn: 'Street vending' },
      { code: 'event.illegal_building', nameZh: '违法建设', nameEn: 'Illegal construction' },
      { code: 'event.noise', nameZh: '噪声扰民', nameEn: 'Noise' },
      { code: 'event.corridor_clutter', nameZh: '楼道堆物', nameEn: 'Clutter in corridors' },
    ],
  },
  {
    code: 'livelihood',
    nameZh: '民生诉求',
    nameEn: 'Livelihood appeals',
    children: [
      { code: 'livelihood.property', nameZh: '物业管理', nameEn: 'Property management' },
      { code: 'livelihood.water_power_gas', nameZh: '水电气供应', nameEn: 'Water power and gas' },
      { code: 'livelihood.social_assistance', nameZh: '社会救助', nameEn: 'Social assistance' },
      { code: 'livelihood.social_insurance', nameZh: '社会保险', nameEn: 'Social insurance' },
      { code: 'livelihood.employment', nameZh: '劳动就业与欠薪', nameEn: 'Employment and unpaid wages' },
      { code: 'livelihood.education', nameZh: '教育', nameEn: 'Education' },
      { code: 'livelihood.health', nameZh: '医疗卫生', nameEn: 'Health' },
      { code: 'livelihood.elderly_care', nameZh: '养老服务', nameEn: 'Elderly care' },
      { code: 'livelihood.work_safety', nameZh: '安全生产', nameEn: 'Work safety' },
      { code: 'livelihood.neighbourhood', nameZh: '邻里关系', nameEn: 'Neighbourhood relations' },
      { code: 'livelihood.private_dispute', nameZh: '家庭与私人纠纷', nameEn: 'Family and private disputes' },
    ],
  },
];

function* walk(categories: readonly AppealCategory[]): Generator<AppealCategory> {
  for (const category of categories) {
    yield category;
    if (category.children) yield* walk(category.children);
  }
}

/** A category by code, at any depth. */
export function findAppealCategory(code: string): AppealCategory | undefined {
  for (const category of walk(APPEAL_CATEGORIES)) if (category.code === code) return category;
  return undefined;
}

/** Name of a category in the current language; an unknown code shows as sent. */
export function appealCategoryName(code: string): string {
  const category = findAppealCategory(code);
  if (!category) return code;
  return currentLanguage() === 'en-US' ? category.nameEn : category.nameZh;
}

/** Options of an antd TreeSelect: only leaves can be chosen. */
export interface CategoryTreeOption {
  value: string;
  title: string;
  selectable: boolean;
  children?: CategoryTreeOption[];
}

/** The tree as TreeSelect options in the current language. */
export function appealCategoryTree(): CategoryTreeOption[] {
  const toOption = (category: AppealCategory): CategoryTreeOption => ({
    value: category.code,
    title: appealCategoryName(category.code),
    selectable: !category.children,
    children: category.children?.map(toOption),
  });
  return APPEAL_CATEGORIES.map(toOption);
}
