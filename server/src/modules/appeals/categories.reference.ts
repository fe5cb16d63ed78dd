import type { Db } from '../../platform/db/database.ts';
import type { AppealCategoriesTable, AppealScale } from '../../platform/db/schema.ts';

type Category = { code: string; zh: string; en: string; cls: AppealCategoriesTable['class']; scale: AppealScale };

/**
 * The shipped category tree: digital city management's 部件 (components) and 事件 (events) and the
 * livelihood categories of the 12345 hotline, each with the scale triage uses when no rule
 * matches. Administrators add, rename or deactivate rows; codes never change meaning.
 */
export const SHIPPED_CATEGORIES: Category[] = [
  { code: 'component', zh: '城市部件', en: 'City components', cls: 'component', scale: 'major' },
  { code: 'component.streetlight', zh: '路灯', en: 'Street lights', cls: 'component', scale: 'major' },
  { code: 'component.manhole', zh: '井盖', en: 'Manhole covers', cls: 'component', scale: 'major' },
  { code: 'component.road', zh: '道路设施', en: 'Roads and pavements', cls: 'component', scale: 'major' },
  { code: 'component.greenery', zh: '园林绿化', en: 'Greenery', cls: 'component', scale: 'major' },
  { code: 'component.traffic_facility', zh: '交通设施', en: 'Traffic facilities', cls: 'component', scale: 'major' },
  { code: 'event', zh: '城市事件', en: 'City events', cls: 'event', scale: 'major' },
  { code: 'event.litter', zh: '暴露垃圾', en: 'Exposed litter', cls: 'event', scale: 'minor' },
  { code: 'event.illegal_parking', zh: '违章停车', en: 'Illegal parking', cls: 'event', scale: 'major' },
  { code: 'event.street_vending', zh: '占道经营', en: 'Street vending', cls: 'event', scale: 'major' },
  { code: 'event.illegal_building', zh: '违法建设', en: 'Illegal construction', cls: 'event', scale: 'major' },
  { code: 'event.noise', zh: '噪声扰民', en: 'Noise', cls: 'event', scale: 'major' },
  { code: 'event.corridor_clutter', zh: '楼道堆物', en: 'Clutter in corridors', cls: 'event', scale: 'minor' },
  { code: 'livelihood', zh: '民生诉求', en: 'Livelihood', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.property', zh: '物业管理', en: 'Property management', cls: 'livelihood', scale: 'minor' },
  { code: 'livelihood.water_power_gas', zh: '水电气供应', en: 'Water, power and gas', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.social_assistance', zh: '社会救助', en: 'Social assistance', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.social_insurance', zh: '社会保险', en: 'Social insurance', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.employment', zh: '劳动就业与欠薪', en: 'Employment and unpaid wages', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.education', zh: '教育', en: 'Education', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.health', zh: '医疗卫生', en: 'Health', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.elderly_care', zh: '养老服务', en: 'Elderly care', cls: 'livelihood', scale: 'minor' },
  { code: 'livelihood.work_safety', zh: '安全生产', en: 'Work safety', cls: 'livelihood', scale: 'major' },
  { code: 'livelihood.neighbourhood', zh: '邻里关系', en: 'Neighbourhood relations', cls: 'livelihood', scale: 'minor' },
  { code: 'livelihood.private_dispute', zh: '家庭与私人纠纷', en: 'Family and private disputes', cls: 'livelihood', scale: 'private' },
];

/** Writes the shipped categories that are missing (edited rows are kept). */
export async function loadShippedCategories(db: Db): Promise<void> {
  for (const [index, c] of SHIPPED_CATEGORIES.entries()) {
    const parent = c.code.includes('.') ? c.code.slice(0, c.code.lastIndexOf('.')) : null;
    await db
      .insertInto('appeal_categories')
      .values({ code: c.code, parent_code: parent, name_zh: c.zh, name_en: c.en, class: c.cls, default_scale: c.scale, sort: index })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}
