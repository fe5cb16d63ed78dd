/**
 * The social-assistance policy catalogue the demo city ships (社会救助政策目录), loaded by migration
 * 0015: 57 policies of 15 departments in 20 service lists, the shape of Shapingba's service
 * complex (seed 002: "15个专项社会救助职能部门的57项救助政策、20项服务清单"; the "社会救助一件事" list
 * holds 11 items of 7 departments). The departments are the ones every demo district has in the
 * registry (民政局, 教育委员会 …), so a policy's department can be found among a district's
 * organisations; in the real complex some items belong to people's organisations (残联, 妇联,
 * 总工会) that the demo registry does not hold, and those items are filed under the department
 * closest to them.
 *
 * FIGURES ARE APPROXIMATIONS. Amounts are close to Chongqing's published standards of 2023–2024
 * where national rules fix them (寄宿生生活补助 ¥4/¥5 a school day, 普通高中国家助学金 ¥2,000 a year,
 * 特困 basic living at 1.3 times the 低保 line, 医疗救助 rates of 70% for 低保 and 100% for 特困);
 * the local lines (低保标准), subsidy tiers and one-off amounts are plausible values of the same
 * order, not the official notice. Administrators replace them with the current notice: they are
 * rows of `assistance_parameter_values`, per region and year. Money is in fen (分); ratios are
 * whole percent so that rules stay in integer arithmetic.
 *
 * This file is data frozen with its migration: later changes to the shipped catalogue are new
 * migrations, while staff edit the rows themselves through the API.
 */

/** A department of the catalogue and the name its office carries in each district's registry. */
export interface ShippedDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  /** The department's name after the district's (`沙坪坝区` + `民政局`), as in organisations. */
  organisationName: string;
}

/** An assistance category (低保, 特困 …): data, not an enum. */
export interface ShippedCategory {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A service list (服务清单): the policies offered to one group of people or in one bundle. */
export interface ShippedServiceList {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
}

/** A local standard and its values per region (GB/T 2260 code) and first year in force. */
export interface ShippedParameter {
  key: string;
  valueType: 'int' | 'double';
  unit: 'fen' | 'fen_per_year' | 'count' | 'ratio' | 'days' | 'square_metres';
  nameZh: string;
  nameEn: string;
  values: Array<{ areaCode: string; year: number; value: number }>;
}

/** A named condition of a shipped rule. */
export interface ShippedCondition {
  kind: 'condition';
  name: string;
  label: string;
  labelEn: string;
  expression: string;
}

/** A group of a shipped rule. */
export interface ShippedGroup {
  kind: 'all' | 'any';
  items: Array<ShippedCondition | ShippedGroup>;
}

/** A shipped policy with the service lists that include it. */
export interface ShippedPolicy {
  code: string;
  nameZh: string;
  nameEn: string;
  department: string;
  category: string;
  summary: string;
  eligibility: ShippedGroup;
  benefitFormula: string | null;
  benefitPeriod: 'monthly' | 'yearly' | 'once' | 'none';
  materials: string[];
  /** Working days from a complete application to the decision. */
  timeLimitDays: number;
  /** 免审即享: granted without review when the data proves eligibility. */
  isReviewFree: boolean;
  legalBasis: string;
  serviceLists: string[];
}

/** The area whose standards the catalogue ships: the demo city (重庆市). */
export const CATALOGUE_AREA = '500000';

/** The 15 departments of the catalogue, named as the demo registry names each district's offices. */
export const SHIPPED_DEPARTMENTS: ShippedDepartment[] = [
  { code: 'civil_affairs', nameZh: '民政局', nameEn: 'Civil Affairs Bureau', organisationName: '民政局' },
  { code: 'education', nameZh: '教育委员会', nameEn: 'Education Commission', organisationName: '教育委员会' },
  { code: 'human_resources', nameZh: '人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau', organisationName: '人力资源和社会保障局' },
  { code: 'housing', nameZh: '住房和城乡建设委员会', nameEn: 'Housing and Urban-Rural Development Commission', organisationName: '住房和城乡建设委员会' },
  { code: 'health', nameZh: '卫生健康委员会', nameEn: 'Health Commission', organisationName: '卫生健康委员会' },
  { code: 'medical_security', nameZh: '医疗保障局', nameEn: 'Medical Security Bureau', organisationName: '医疗保障局' },
  { code: 'veterans', nameZh: '退役军人事务局', nameEn: 'Veterans Affairs Bureau', organisationName: '退役军人事务局' },
  { code: 'justice', nameZh: '司法局', nameEn: 'Justice Bureau', organisationName: '司法局' },
  { code: 'emergency', nameZh: '应急管理局', nameEn: 'Emergency Management Bureau', organisationName: '应急管理局' },
  { code: 'agriculture', nameZh: '农业农村委员会', nameEn: 'Agriculture and Rural Affairs Commission', organisationName: '农业农村委员会' },
  { code: 'urban_management', nameZh: '城市管理局', nameEn: 'Urban Management Bureau', organisationName: '城市管理局' },
  { code: 'development_reform', nameZh: '发展和改革委员会', nameEn: 'Development and Reform Commission', organisationName: '发展和改革委员会' },
  { code: 'transport', nameZh: '交通局', nameEn: 'Transport Bureau', organisationName: '交通局' },
  { code: 'culture_tourism', nameZh: '文化和旅游发展委员会', nameEn: 'Culture and Tourism Development Commission', organisationName: '文化和旅游发展委员会' },
  { code: 'water', nameZh: '水利局', nameEn: 'Water Resources Bureau', organisationName: '水利局' },
];

/** Assistance categories; `household.benefits` holds these codes. */
export const SHIPPED_CATEGORIES: ShippedCategory[] = [
  { code: 'subsistence_allowance', nameZh: '最低生活保障', nameEn: 'Subsistence allowance' },
  { code: 'low_income_household', nameZh: '低保边缘家庭', nameEn: 'Low-income household' },
  { code: 'destitute_support', nameZh: '特困人员救助供养', nameEn: 'Destitute support' },
  { code: 'temporary_assistance', nameZh: '临时救助', nameEn: 'Temporary assistance' },
  { code: 'medical_assistance', nameZh: '医疗救助', nameEn: 'Medical assistance' },
  { code: 'education_assistance', nameZh: '教育救助', nameEn: 'Education assistance' },
  { code: 'housing_assistance', nameZh: '住房救助', nameEn: 'Housing assistance' },
  { code: 'employment_assistance', nameZh: '就业救助', nameEn: 'Employment assistance' },
  { code: 'orphan_allowance', nameZh: '孤儿基本生活费', nameEn: 'Orphan allowance' },
  { code: 'children_in_difficulty', nameZh: '困境儿童保障', nameEn: 'Children in difficulty' },
  { code: 'disability_subsidies', nameZh: '残疾人两项补贴', nameEn: 'Disability subsidies' },
  { code: 'elderly_allowance', nameZh: '高龄津贴', nameEn: 'Old-age allowance' },
  { code: 'elderly_care', nameZh: '养老服务补贴', nameEn: 'Elderly care subsidies' },
  { code: 'disaster_relief', nameZh: '受灾人员救助', nameEn: 'Disaster relief' },
  { code: 'legal_aid', nameZh: '法律援助', nameEn: 'Legal aid' },
  { code: 'health_service', nameZh: '健康服务', nameEn: 'Health services' },
  { code: 'veteran_support', nameZh: '退役军人帮扶', nameEn: 'Veteran support' },
  { code: 'poverty_prevention', nameZh: '防止返贫帮扶', nameEn: 'Poverty relapse prevention' },
  { code: 'fee_waiver', nameZh: '费用减免', nameEn: 'Fee waivers' },
  { code: 'living_grant', nameZh: '生活补贴', nameEn: 'Living grants' },
];

/** The 20 service lists (服务清单). */
export const SHIPPED_SERVICE_LISTS: ShippedServiceList[] = [
  { code: 'one_thing', nameZh: '社会救助“一件事”联办清单', nameEn: 'Social assistance “one thing” bundle', description: '一次申请、7个部门11个事项协同办理，20个工作日内办结。' },
  { code: 'review_free', nameZh: '免审即享清单', nameEn: 'Granted without review', description: '数据比对即可证明符合条件的事项，5个工作日内免审即享。' },
  { code: 'subsistence', nameZh: '低保对象服务清单', nameEn: 'Subsistence allowance recipients', description: '最低生活保障对象可享受的救助和服务。' },
  { code: 'destitute', nameZh: '特困人员服务清单', nameEn: 'Destitute persons', description: '特困供养人员可享受的救助和服务。' },
  { code: 'low_income', nameZh: '低保边缘家庭服务清单', nameEn: 'Low-income households', description: '低保边缘家庭可申请的专项救助。' },
  { code: 'emergency', nameZh: '急难临时救助清单', nameEn: 'Emergencies', description: '遭遇突发事件、意外伤害、重大疾病等急难情形的家庭。' },
  { code: 'children_difficulty', nameZh: '困境儿童服务清单', nameEn: 'Children in difficulty', description: '重病、重残、监护缺失等困境儿童。' },
  { code: 'orphans', nameZh: '孤儿和事实无人抚养儿童服务清单', nameEn: 'Orphans and unsupported children', description: '孤儿、事实无人抚养儿童的保障。' },
  { code: 'elderly_difficulty', nameZh: '困难老年人服务清单', nameEn: 'Elderly people in difficulty', description: '经济困难、失能、独居老年人。' },
  { code: 'very_old', nameZh: '高龄老年人服务清单', nameEn: 'The very old', description: '80周岁以上老年人。' },
  { code: 'disabled', nameZh: '残疾人服务清单', nameEn: 'People with disabilities', description: '持证残疾人可享受的补贴和服务。' },
  { code: 'illness', nameZh: '因病致贫返贫人员服务清单', nameEn: 'Illness and poverty', description: '医疗费用负担重、因病致贫返贫风险家庭。' },
  { code: 'students', nameZh: '困难学生资助清单', nameEn: 'Students in need', description: '从学前到高校的家庭经济困难学生资助。' },
  { code: 'housing_difficulty', nameZh: '住房困难家庭服务清单', nameEn: 'Housing difficulty', description: '无房、租房、住危房的困难家庭。' },
  { code: 'employment', nameZh: '就业困难人员服务清单', nameEn: 'People who struggle to find work', description: '就业困难人员和零就业家庭。' },
  { code: 'disaster', nameZh: '受灾群众救助清单', nameEn: 'Disaster victims', description: '自然灾害受灾群众的生活救助。' },
  { code: 'veterans', nameZh: '困难退役军人服务清单', nameEn: 'Veterans in difficulty', description: '生活困难的退役军人。' },
  { code: 'rural', nameZh: '农村困难群众服务清单', nameEn: 'Rural households in difficulty', description: '农村低收入人口、脱贫户和监测对象。' },
  { code: 'fee_waivers', nameZh: '费用减免清单', nameEn: 'Fee waivers', description: '困难群众可减免的费用。' },
  { code: 'rights', nameZh: '法律和权益保障服务清单', nameEn: 'Legal protection', description: '法律援助、公证等权益保障服务。' },
];

const fen = (yuan: number) => Math.round(yuan * 100);
// Most standards have one value since 2023; the subsistence lines were raised in 2024.
const since2023 = (value: number) => [{ areaCode: CATALOGUE_AREA, year: 2023, value }];
const parameter = (key: string, unit: ShippedParameter['unit'], nameZh: string, nameEn: string, values: ShippedParameter['values']): ShippedParameter => ({
  key,
  valueType: 'int',
  unit,
  nameZh,
  nameEn,
  values,
});

/** The local standards rules read as `params.<key>`, with the city's values (approximations, see above). */
export const SHIPPED_PARAMETERS: ShippedParameter[] = [
  parameter('subsistenceLineUrban', 'fen', '城市低保标准（元/人·月）', 'Urban subsistence line (per person, month)', [
    { areaCode: CATALOGUE_AREA, year: 2023, value: fen(720) },
    { areaCode: CATALOGUE_AREA, year: 2024, value: fen(750) },
  ]),
  parameter('subsistenceLineRural', 'fen', '农村低保标准（元/人·月）', 'Rural subsistence line (per person, month)', [
    { areaCode: CATALOGUE_AREA, year: 2023, value: fen(580) },
    { areaCode: CATALOGUE_AREA, year: 2024, value: fen(610) },
  ]),
  parameter('classifiedSupportPercent', 'ratio', '分类施保增发比例（%）', 'Extra for the old, severely disabled and seriously ill (%)', since2023(10)),
  parameter('assetLimitMonths', 'count', '家庭金融资产限额（人均低保标准月数）', 'Asset limit (months of the line per person)', since2023(24)),
  parameter('lowIncomePercent', 'ratio', '低保边缘认定标准（低保标准的%）', 'Low-income limit (% of the line)', since2023(150)),
  parameter('destitutePercent', 'ratio', '特困基本生活标准（低保标准的%）', 'Destitute living standard (% of the line)', since2023(130)),
  parameter('destituteCareFull', 'fen', '特困照料护理标准·全自理（元/月）', 'Destitute care, self-reliant (month)', since2023(fen(120))),
  parameter('destituteCarePartial', 'fen', '特困照料护理标准·半失能（元/月）', 'Destitute care, partly disabled (month)', since2023(fen(600))),
  parameter('destituteCareNone', 'fen', '特困照料护理标准·全失能（元/月）', 'Destitute care, fully disabled (month)', since2023(fen(1200))),
  parameter('temporaryAssistanceMonthsSevere', 'count', '急难型临时救助（低保标准月数/人）', 'Emergency temporary assistance (months of the line per person)', since2023(3)),
  parameter('temporaryAssistanceMonthsGeneral', 'count', '支出型临时救助（低保标准月数/人）', 'Expense temporary assistance (months of the line per person)', since2023(2)),
  parameter('expenseBurdenPercent', 'ratio', '支出型困难认定（自付医疗费用占家庭年收入%）', 'Expense hardship (medical costs, % of yearly income)', since2023(50)),
  parameter('orphanAllowance', 'fen', '孤儿基本生活费·社会散居（元/人·月）', 'Orphan allowance, living in a family (per child, month)', since2023(fen(1450))),
  parameter('difficultChildAllowance', 'fen', '重病重残儿童基本生活补贴（元/人·月）', 'Seriously ill or disabled child allowance (month)', since2023(fen(300))),
  parameter('disabledLivingSubsidy', 'fen', '困难残疾人生活补贴（元/人·月）', 'Living subsidy for disabled people in need (month)', since2023(fen(90))),
  parameter('severeDisabilityCareGrade1', 'fen', '重度残疾人护理补贴·一级（元/人·月）', 'Care subsidy, disability grade 1 (month)', since2023(fen(120))),
  parameter('severeDisabilityCareGrade2', 'fen', '重度残疾人护理补贴·二级（元/人·月）', 'Care subsidy, disability grade 2 (month)', since2023(fen(90))),
  parameter('elderlyAllowance80', 'fen', '高龄津贴·80—89周岁（元/人·月）', 'Old-age allowance, 80–89 (month)', since2023(fen(50))),
  parameter('elderlyAllowance90', 'fen', '高龄津贴·90—99周岁（元/人·月）', 'Old-age allowance, 90–99 (month)', since2023(fen(100))),
  parameter('elderlyAllowance100', 'fen', '高龄津贴·100周岁以上（元/人·月）', 'Old-age allowance, 100 and over (month)', since2023(fen(500))),
  parameter('eldercareServiceSubsidy', 'fen', '经济困难老年人养老服务补贴（元/人·月）', 'Elderly care subsidy (month)', since2023(fen(100))),
  parameter('homeAdaptationGrant', 'fen', '居家适老化改造补助（元/户）', 'Home adaptation grant (household)', since2023(fen(3000))),
  parameter('funeralFeeWaiver', 'fen', '基本殡葬服务费用减免（元）', 'Basic funeral services waived', since2023(fen(1500))),
  parameter('oneOffLivingGrant', 'fen', '困难群众一次性生活补贴（元/人）', 'One-off living grant (per person)', since2023(fen(500))),
  parameter('preschoolGrant', 'fen_per_year', '学前教育资助（元/生·年）', 'Preschool grant (per child, year)', since2023(fen(1000))),
  parameter('boardingSubsidyPrimary', 'fen_per_year', '小学寄宿生生活补助（元/生·年）', 'Boarding subsidy, primary (year)', since2023(fen(1000))),
  parameter('boardingSubsidyJunior', 'fen_per_year', '初中寄宿生生活补助（元/生·年）', 'Boarding subsidy, junior middle (year)', since2023(fen(1250))),
  parameter('highSchoolGrant', 'fen_per_year', '普通高中国家助学金（元/生·年）', 'Senior high school grant (year)', since2023(fen(2000))),
  parameter('highSchoolTuition', 'fen_per_year', '普通高中学费（元/生·年）', 'Senior high school tuition (year)', since2023(fen(1200))),
  parameter('vocationalGrant', 'fen_per_year', '中职国家助学金（元/生·年）', 'Vocational school grant (year)', since2023(fen(2000))),
  parameter('collegeEntryGrant', 'fen', '高校新生入学资助（元/生）', 'College entry grant (per student)', since2023(fen(1000))),
  parameter('flexibleEmploymentInsuranceSubsidy', 'fen', '灵活就业社会保险补贴（元/人·月）', 'Social insurance subsidy for flexible work (month)', since2023(fen(400))),
  parameter('pensionContributionSubsidy', 'fen_per_year', '城乡居民养老保险代缴（元/人·年）', 'Resident pension contribution paid (year)', since2023(fen(200))),
  parameter('trainingSubsidy', 'fen', '职业技能培训补贴（元/人）', 'Vocational training subsidy (per person)', since2023(fen(1500))),
  parameter('publicRentalIncomePercent', 'ratio', '公租房申请收入限额（低保标准的%）', 'Public rental income limit (% of the line)', since2023(300)),
  parameter('rentSubsidyPerSquareMetre', 'fen', '住房租赁补贴（元/平方米·月）', 'Rent subsidy (per m², month)', since2023(fen(10))),
  parameter('rentSubsidyAreaPerHead', 'square_metres', '租赁补贴面积标准（平方米/人）', 'Subsidised floor area (m² per person)', since2023(15)),
  parameter('publicRentalRentReduction', 'fen', '公租房租金减免（元/户·月）', 'Public rental rent reduction (household, month)', since2023(fen(200))),
  parameter('dilapidatedHouseGrant', 'fen', '农村危房改造补助（元/户）', 'Rural dilapidated house grant (household)', since2023(fen(20000))),
  parameter('mentalIllnessGuardianSubsidy', 'fen_per_year', '严重精神障碍患者监护补助（元/人·年）', 'Guardian subsidy, severe mental illness (year)', since2023(fen(1200))),
  parameter('medicalAssistancePercentDestitute', 'ratio', '医疗救助比例·特困、孤儿（%）', 'Medical assistance rate, destitute and orphans (%)', since2023(100)),
  parameter('medicalAssistancePercentSubsistence', 'ratio', '医疗救助比例·低保（%）', 'Medical assistance rate, subsistence (%)', since2023(70)),
  parameter('medicalAssistancePercentLowIncome', 'ratio', '医疗救助比例·低保边缘（%）', 'Medical assistance rate, low income (%)', since2023(60)),
  parameter('medicalAssistancePercentIllness', 'ratio', '医疗救助比例·因病致贫重病患者（%）', 'Medical assistance rate, catastrophic illness (%)', since2023(50)),
  parameter('medicalAssistanceAnnualCap', 'fen', '医疗救助年度限额（元）', 'Medical assistance yearly cap', since2023(fen(60000))),
  parameter('medicalAssistanceDeductibleIllness', 'fen', '因病致贫重病患者救助起付线（元）', 'Catastrophic illness deductible', since2023(fen(5000))),
  parameter('catastrophicBurdenPercent', 'ratio', '因病致贫认定（自付费用占家庭年收入%）', 'Catastrophic illness (costs, % of yearly income)', since2023(100)),
  parameter('residentInsurancePremium', 'fen_per_year', '城乡居民医保个人缴费（元/人·年）', 'Resident medical insurance premium (year)', since2023(fen(380))),
  parameter('premiumSubsidyPercentSubsistence', 'ratio', '参保资助比例·低保（%）', 'Premium paid for subsistence recipients (%)', since2023(80)),
  parameter('veteranAssistance', 'fen', '困难退役军人帮扶援助（元/户）', 'Veteran hardship assistance (household)', since2023(fen(3000))),
  parameter('disasterReliefPerDay', 'fen', '过渡期生活救助（元/人·日）', 'Transitional disaster relief (per person, day)', since2023(fen(20))),
  parameter('disasterReliefDays', 'days', '过渡期生活救助天数', 'Days of transitional relief', since2023(90)),
  parameter('winterReliefPerPerson', 'fen', '冬春生活救助（元/人）', 'Winter and spring relief (per person)', since2023(fen(500))),
  parameter('monitoringLineMonthly', 'fen', '防返贫监测收入标准（元/人·月）', 'Poverty relapse monitoring line (per person, month)', since2023(fen(630))),
  parameter('monitoringMedicalCosts', 'fen', '防返贫监测大额医疗支出（元）', 'Poverty relapse monitoring, large medical costs', since2023(fen(10000))),
  parameter('industrySupportGrant', 'fen', '到户产业帮扶补助（元/户）', 'Household industry support grant', since2023(fen(3000))),
  parameter('garbageFeeMonthly', 'fen', '城镇生活垃圾处理费（元/户·月）', 'Household waste fee (month)', since2023(fen(8))),
  parameter('priceSubsidyMonthly', 'fen', '价格临时补贴（元/人·月，联动机制未启动时为0）', 'Temporary price subsidy (per person, month; 0 when not triggered)', since2023(0)),
  parameter('ruralWaterFeeMonthly', 'fen', '农村供水水费减免（元/户·月）', 'Rural water fee waived (household, month)', since2023(fen(10))),
];

const c = (name: string, label: string, labelEn: string, expression: string): ShippedCondition => ({ kind: 'condition', name, label, labelEn, expression });
const all = (...items: Array<ShippedCondition | ShippedGroup>): ShippedGroup => ({ kind: 'all', items });
const any = (...items: Array<ShippedCondition | ShippedGroup>): ShippedGroup => ({ kind: 'any', items });

/** The household's own subsistence line: rural or urban. */
const LINE = '(household.isRural ? params.subsistenceLineRural : params.subsistenceLineUrban)';
const WORKING_AGE = 'm.age >= 16 && m.age < 60';

const ON = (category: string, label: string, labelEn: string) => c(`on_${category}`, label, labelEn, `"${category}" in household.benefits`);
const ON_SUBSISTENCE = ON('subsistence_allowance', '享受最低生活保障', 'Receives the subsistence allowance');
const ON_DESTITUTE = ON('destitute_support', '享受特困供养', 'Receives destitute support');
const ON_LOW_INCOME = ON('low_income_household', '属于低保边缘家庭', 'Is a low-income household');
const ON_ORPHAN = ON('orphan_allowance', '享受孤儿或事实无人抚养儿童保障', 'Receives the orphan allowance');
const ON_ROLL = c(
  'on_assistance_roll',
  '属于低保、特困或低保边缘家庭',
  'Receives subsistence, destitute or low-income support',
  'household.benefits.exists(b, b in ["subsistence_allowance", "destitute_support", "low_income_household"])',
);
const SUBSISTENCE_OR_DESTITUTE = any(ON_SUBSISTENCE, ON_DESTITUTE);
const URBAN = c('urban', '城镇家庭', 'Urban household', '!household.isRural');
const RURAL = c('rural', '农村家庭', 'Rural household', 'household.isRural');
const ASSETS_WITHIN_LIMIT = c(
  'assets_within_limit',
  '家庭金融资产不超过人均低保标准的规定月数',
  'Financial assets within the limit',
  `household.property.financialAssets <= ${LINE} * params.assetLimitMonths * household.size`,
);
const NO_CAR = c('no_car', '无机动车辆（残疾人功能性补偿代步车除外）', 'Owns no car or truck', '!household.vehicles.exists(v, v.kind == "car" || v.kind == "truck")');
const NO_COMPANY = c('no_running_company', '无在营的企业登记', 'Runs no company', '!household.businesses.exists(b, b.isActive && b.kind == "company")');
const HOUSING_WITHIN_LIMIT = c('housing_within_limit', '住房不超过1套且无非住宅房产', 'At most one home, no commercial property', 'household.property.homes <= 1 && !household.property.hasCommercialProperty');
const INCOME_BELOW_LOW_INCOME_LIMIT = c(
  'income_below_low_income_limit',
  '家庭人均收入低于低保边缘认定标准',
  'Income per head below the low-income limit',
  `household.incomePerHead * 100 < ${LINE} * params.lowIncomePercent`,
);
const DIFFICULT_FAMILY = any(
  c(
    'on_assistance_roll_or_orphan',
    '属于低保、特困、低保边缘家庭或孤儿',
    'Receives subsistence, destitute, low-income or orphan support',
    'household.benefits.exists(b, b in ["subsistence_allowance", "destitute_support", "low_income_household", "orphan_allowance"])',
  ),
  c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated'),
  c('orphan_or_unsupported', '家中有孤儿或事实无人抚养儿童', 'An orphan or unsupported child', 'household.members.exists(m, m.isOrphan || m.isUnsupportedChild)'),
);
const DISABLED_MEMBER = c('disabled_member', '家中有持证残疾人', 'A member with a disability certificate', 'household.members.exists(m, m.disabilityGrade > 0)');
const SEVERELY_DISABLED = c('severely_disabled_member', '家中有一、二级重度残疾人', 'A member with a grade 1 or 2 disability', 'household.members.exists(m, m.disabilityGrade >= 1 && m.disabilityGrade <= 2)');
const student = (stage: string, label: string, labelEn: string, extra = '') =>
  c(`${stage}_student`, label, labelEn, `household.members.exists(m, m.schoolStage == "${stage}"${extra})`);
const countMembers = (condition: string) => `household.members.filter(m, ${condition}).size()`;

const ID = '居民身份证、户口簿';
const CONSENT = '家庭经济状况核对授权书';
const INCOME_PROOF = '家庭成员收入情况说明';

/** The 57 policies, department by department. */
export const SHIPPED_POLICIES: ShippedPolicy[] = [
  // 民政局 (civil affairs): basic living assistance and welfare.
  {
    code: 'subsistence_urban',
    nameZh: '城市居民最低生活保障',
    nameEn: 'Urban subsistence allowance',
    department: 'civil_affairs',
    category: 'subsistence_allowance',
    summary: '家庭人均收入低于城市低保标准且财产符合规定的，按差额按月发放低保金；老年、重残、重病成员分类增发。',
    eligibility: all(URBAN, c('income_below_line', '家庭人均收入低于城市低保标准', 'Income per head below the urban line', 'household.incomePerHead < params.subsistenceLineUrban'), ASSETS_WITHIN_LIMIT, NO_CAR, NO_COMPANY, HOUSING_WITHIN_LIMIT),
    benefitFormula:
      `(params.subsistenceLineUrban - household.incomePerHead) * household.size + ${countMembers('m.age >= 70 || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2) || m.health == "serious_illness"')} * params.subsistenceLineUrban * params.classifiedSupportPercent / 100`,
    benefitPeriod: 'monthly',
    materials: [ID, CONSENT, INCOME_PROOF, '残疾人证、诊断证明（分类施保时）'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《社会救助暂行办法》；《最低生活保障审核确认办法》（民发〔2021〕57号）',
    serviceLists: ['one_thing', 'subsistence'],
  },
  {
    code: 'subsistence_rural',
    nameZh: '农村居民最低生活保障',
    nameEn: 'Rural subsistence allowance',
    department: 'civil_affairs',
    category: 'subsistence_allowance',
    summary: '家庭人均收入低于农村低保标准且财产符合规定的，按差额按月发放低保金；老年、重残、重病成员分类增发。',
    eligibility: all(RURAL, c('income_below_line', '家庭人均收入低于农村低保标准', 'Income per head below the rural line', 'household.incomePerHead < params.subsistenceLineRural'), ASSETS_WITHIN_LIMIT, NO_CAR, NO_COMPANY, HOUSING_WITHIN_LIMIT),
    benefitFormula:
      `(params.subsistenceLineRural - household.incomePerHead) * household.size + ${countMembers('m.age >= 70 || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2) || m.health == "serious_illness"')} * params.subsistenceLineRural * params.classifiedSupportPercent / 100`,
    benefitPeriod: 'monthly',
    materials: [ID, CONSENT, INCOME_PROOF, '土地承包及种养殖收入情况说明'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《社会救助暂行办法》；《最低生活保障审核确认办法》（民发〔2021〕57号）',
    serviceLists: ['subsistence', 'rural'],
  },
  {
    code: 'low_income_household',
    nameZh: '低保边缘家庭认定',
    nameEn: 'Low-income household recognition',
    department: 'civil_affairs',
    category: 'low_income_household',
    summary: '不符合低保条件、家庭人均收入低于低保标准1.5倍的家庭，认定为低保边缘家庭，可申请医疗、教育、住房、就业等专项救助。',
    eligibility: all(
      c('not_on_subsistence', '未享受低保或特困供养', 'Not on subsistence or destitute support', '!household.benefits.exists(b, b in ["subsistence_allowance", "destitute_support"])'),
      c('income_at_or_above_line', '家庭人均收入不低于低保标准', 'Income per head at or above the line', `household.incomePerHead >= ${LINE}`),
      INCOME_BELOW_LOW_INCOME_LIMIT,
      ASSETS_WITHIN_LIMIT,
      NO_COMPANY,
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, CONSENT, INCOME_PROOF],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《最低生活保障审核确认办法》（民发〔2021〕57号）',
    serviceLists: ['low_income'],
  },
  {
    code: 'destitute_support',
    nameZh: '特困人员救助供养（基本生活）',
    nameEn: 'Destitute support: basic living',
    department: 'civil_affairs',
    category: 'destitute_support',
    summary: '无劳动能力、无生活来源、无法定义务人或其无履行能力的老年人、残疾人和未成年人，按低保标准的1.3倍按月发放基本生活费。',
    eligibility: all(
      c('no_capable_supporter', '无法定赡养、抚养、扶养义务人或其无履行能力', 'No one bound and able to support them', 'household.members.all(m, !m.hasCapableSupporter)'),
      c(
        'unable_to_work',
        '均为老年人、未成年人、重度残疾或失能人员',
        'All are old, minors, severely disabled or unable to care for themselves',
        'household.members.all(m, m.age >= 60 || m.age < 16 || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2) || m.selfCare == "none" || m.employment == "unable_to_work")',
      ),
      c('no_means_of_living', '收入低于当地低保标准', 'Income below the local line', `household.incomePerHead < ${LINE}`),
      ASSETS_WITHIN_LIMIT,
    ),
    benefitFormula: `${LINE} * params.destitutePercent / 100 * household.size`,
    benefitPeriod: 'monthly',
    materials: [ID, CONSENT, '残疾人证或失能评估结果', '法定义务人无履行能力的证明'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《特困人员认定办法》（民发〔2021〕43号）',
    serviceLists: ['one_thing', 'destitute', 'elderly_difficulty'],
  },
  {
    code: 'destitute_care',
    nameZh: '特困人员照料护理补贴',
    nameEn: 'Destitute support: care',
    department: 'civil_affairs',
    category: 'destitute_support',
    summary: '特困人员按生活自理能力分档发放照料护理费：全自理、半失能、全失能。',
    eligibility: all(ON_DESTITUTE),
    benefitFormula: 'household.members.map(m, m.selfCare == "none" ? params.destituteCareNone : (m.selfCare == "partial" ? params.destituteCarePartial : params.destituteCareFull)).sum()',
    benefitPeriod: 'monthly',
    materials: [ID, '生活自理能力评估结果'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《特困人员认定办法》（民发〔2021〕43号）',
    serviceLists: ['destitute', 'elderly_difficulty'],
  },
  {
    code: 'temporary_assistance_emergency',
    nameZh: '临时救助（急难型）',
    nameEn: 'Temporary assistance: emergencies',
    department: 'civil_affairs',
    category: 'temporary_assistance',
    summary: '因重大疾病、意外事故、火灾、家庭主要劳动力死亡或照料人患病等急难情形陷入困境的家庭，先行救助、后补手续。',
    eligibility: all(
      c(
        'in_emergency',
        '遭遇重大疾病、意外事故、火灾、主要劳动力死亡或照料人患病',
        'Serious illness, accident, fire, death of the breadwinner or a sick carer',
        'household.hardships.exists(h, h in ["serious_illness", "accident", "fire", "breadwinner_death", "caregiver_ill"])',
      ),
      ASSETS_WITHIN_LIMIT,
    ),
    benefitFormula: `${LINE} * household.size * params.temporaryAssistanceMonthsSevere`,
    benefitPeriod: 'once',
    materials: [ID, '急难情形说明（诊断证明、事故或火灾证明等）'],
    timeLimitDays: 3,
    isReviewFree: false,
    legalBasis: '《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）',
    serviceLists: ['one_thing', 'emergency', 'children_difficulty'],
  },
  {
    code: 'temporary_assistance_expense',
    nameZh: '临时救助（支出型）',
    nameEn: 'Temporary assistance: heavy expenses',
    department: 'civil_affairs',
    category: 'temporary_assistance',
    summary: '因医疗等刚性支出超出家庭承受能力、基本生活出现严重困难的家庭，给予一次性救助。',
    eligibility: all(
      c(
        'medical_burden',
        '近12个月自付医疗费用超过家庭年收入的规定比例',
        'Medical costs above the share of yearly income',
        'household.hospitalCostsLast12Months * 100 > household.totalMonthlyIncome * 12 * params.expenseBurdenPercent',
      ),
      INCOME_BELOW_LOW_INCOME_LIMIT,
      ASSETS_WITHIN_LIMIT,
    ),
    benefitFormula: `${LINE} * household.size * params.temporaryAssistanceMonthsGeneral`,
    benefitPeriod: 'once',
    materials: [ID, CONSENT, '医疗费用票据及诊断证明'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）',
    serviceLists: ['emergency', 'illness', 'low_income'],
  },
  {
    code: 'orphan_allowance',
    nameZh: '孤儿基本生活费（社会散居）',
    nameEn: 'Orphan allowance',
    department: 'civil_affairs',
    category: 'orphan_allowance',
    summary: '父母双亡或被宣告死亡、失踪的未满18周岁儿童，由亲属抚养的，按月发放基本生活费。',
    eligibility: all(c('orphan_child', '家中有未满18周岁的孤儿', 'An orphan under 18', 'household.members.exists(m, m.isOrphan && m.age < 18)')),
    benefitFormula: `${countMembers('m.isOrphan && m.age < 18')} * params.orphanAllowance`,
    benefitPeriod: 'monthly',
    materials: [ID, '父母死亡证明或宣告死亡、失踪的判决书', '监护人身份证明'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《国务院办公厅关于加强孤儿保障工作的意见》（国办发〔2010〕54号）',
    serviceLists: ['orphans', 'children_difficulty'],
  },
  {
    code: 'unsupported_child_allowance',
    nameZh: '事实无人抚养儿童基本生活补贴',
    nameEn: 'Allowance for children without carers',
    department: 'civil_affairs',
    category: 'orphan_allowance',
    summary: '父母重残、重病、服刑、失联等原因事实上无人抚养的儿童，参照孤儿标准按月发放基本生活补贴。',
    eligibility: all(
      c('unsupported_child', '家中有未满18周岁的事实无人抚养儿童', 'A child under 18 without carers', 'household.members.exists(m, m.isUnsupportedChild && !m.isOrphan && m.age < 18)'),
    ),
    benefitFormula: `${countMembers('m.isUnsupportedChild && !m.isOrphan && m.age < 18')} * params.orphanAllowance`,
    benefitPeriod: 'monthly',
    materials: [ID, '父母重残、重病、服刑、失联等情形的证明'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《关于进一步加强事实无人抚养儿童保障工作的意见》（民发〔2019〕62号）',
    serviceLists: ['orphans', 'children_difficulty'],
  },
  {
    code: 'difficult_child_allowance',
    nameZh: '重病重残儿童基本生活补贴',
    nameEn: 'Allowance for seriously ill or disabled children',
    department: 'civil_affairs',
    category: 'children_in_difficulty',
    summary: '低保、低保边缘家庭中重病、重度残疾的儿童，按月发放基本生活补贴。',
    eligibility: all(
      any(ON_SUBSISTENCE, ON_LOW_INCOME),
      c(
        'ill_or_disabled_child',
        '家中有重病或重度残疾的未成年人',
        'A seriously ill or severely disabled child',
        'household.members.exists(m, m.age < 18 && (m.health == "serious_illness" || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2)))',
      ),
    ),
    benefitFormula: `${countMembers('m.age < 18 && (m.health == "serious_illness" || (m.disabilityGrade >= 1 && m.disabilityGrade <= 2))')} * params.difficultChildAllowance`,
    benefitPeriod: 'monthly',
    materials: [ID, '残疾人证或重病诊断证明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '《国务院关于加强困境儿童保障工作的意见》（国发〔2016〕36号）',
    serviceLists: ['children_difficulty', 'disabled', 'illness'],
  },
  {
    code: 'disabled_living_subsidy',
    nameZh: '困难残疾人生活补贴',
    nameEn: 'Living subsidy for disabled people in need',
    department: 'civil_affairs',
    category: 'disability_subsidies',
    summary: '低保家庭、低保边缘家庭中的持证残疾人（特困人员除外），按月发放生活补贴。',
    eligibility: all(DISABLED_MEMBER, any(ON_SUBSISTENCE, ON_LOW_INCOME), c('not_destitute', '未享受特困供养', 'Not on destitute support', '!("destitute_support" in household.benefits)')),
    benefitFormula: `${countMembers('m.disabilityGrade > 0')} * params.disabledLivingSubsidy`,
    benefitPeriod: 'monthly',
    materials: [ID, '第二代残疾人证'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）',
    serviceLists: ['disabled', 'subsistence', 'low_income'],
  },
  {
    code: 'severe_disability_care_subsidy',
    nameZh: '重度残疾人护理补贴',
    nameEn: 'Care subsidy for severe disability',
    department: 'civil_affairs',
    category: 'disability_subsidies',
    summary: '残疾等级为一级、二级的持证残疾人，按等级按月发放护理补贴；残联数据证明等级即可免审享受。',
    eligibility: all(SEVERELY_DISABLED),
    benefitFormula: `${countMembers('m.disabilityGrade == 1')} * params.severeDisabilityCareGrade1 + ${countMembers('m.disabilityGrade == 2')} * params.severeDisabilityCareGrade2`,
    benefitPeriod: 'monthly',
    materials: [ID, '第二代残疾人证'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）',
    serviceLists: ['disabled', 'review_free'],
  },
  {
    code: 'elderly_allowance',
    nameZh: '高龄津贴',
    nameEn: 'Old-age allowance',
    department: 'civil_affairs',
    category: 'elderly_allowance',
    summary: '80周岁以上老年人按年龄分档按月发放高龄津贴，年龄由身份证号码即可证明，免审即享。',
    eligibility: all(c('aged_80', '家中有80周岁以上老年人', 'A member aged 80 or over', 'household.members.exists(m, m.age >= 80)')),
    benefitFormula:
      'household.members.map(m, m.age >= 100 ? params.elderlyAllowance100 : (m.age >= 90 ? params.elderlyAllowance90 : (m.age >= 80 ? params.elderlyAllowance80 : 0))).sum()',
    benefitPeriod: 'monthly',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '本市高龄津贴制度（各区县标准）',
    serviceLists: ['very_old', 'review_free'],
  },
  {
    code: 'eldercare_service_subsidy',
    nameZh: '经济困难老年人养老服务补贴',
    nameEn: 'Elderly care subsidy for people in need',
    department: 'civil_affairs',
    category: 'elderly_care',
    summary: '低保、特困、低保边缘家庭中的半失能、失能老年人，按月发放养老服务补贴，用于购买居家和社区养老服务。',
    eligibility: all(ON_ROLL, c('frail_elder', '家中有60周岁以上半失能或失能老年人', 'A member aged 60+ who cannot fully care for themselves', 'household.members.exists(m, m.age >= 60 && m.selfCare != "full")')),
    benefitFormula: `${countMembers('m.age >= 60 && m.selfCare != "full"')} * params.eldercareServiceSubsidy`,
    benefitPeriod: 'monthly',
    materials: [ID, '老年人能力评估结果'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '本市经济困难老年人养老服务补贴制度',
    serviceLists: ['elderly_difficulty'],
  },
  {
    code: 'home_adaptation',
    nameZh: '特殊困难老年人家庭居家适老化改造',
    nameEn: 'Home adaptation for elderly people in need',
    department: 'civil_affairs',
    category: 'elderly_care',
    summary: '低保、特困、低保边缘家庭中的失能、半失能、独居老年人，补助扶手、防滑、如厕等居家适老化改造。',
    eligibility: all(ON_ROLL, c('elder_needing_adaptation', '家中有失能、半失能或独居的老年人', 'An elder who is frail or lives alone', 'household.members.exists(m, m.age >= 60 && (m.selfCare != "full" || m.livesAlone))')),
    benefitFormula: 'params.homeAdaptationGrant',
    benefitPeriod: 'once',
    materials: [ID, '改造需求评估表'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《关于加快实施老年人居家适老化改造工程的指导意见》（民发〔2020〕86号）',
    serviceLists: ['elderly_difficulty'],
  },
  {
    code: 'funeral_fee_waiver',
    nameZh: '基本殡葬服务费用减免',
    nameEn: 'Basic funeral services free of charge',
    department: 'civil_affairs',
    category: 'fee_waiver',
    summary: '低保、特困、低保边缘家庭有成员去世的，免除遗体接运、暂存、火化和骨灰寄存等基本殡葬服务费用。',
    eligibility: all(ON_ROLL, c('bereaved', '家庭成员新近去世', 'A member has died', '"bereavement" in household.hardships')),
    benefitFormula: 'params.funeralFeeWaiver',
    benefitPeriod: 'once',
    materials: [ID, '居民死亡医学证明'],
    timeLimitDays: 3,
    isReviewFree: false,
    legalBasis: '本市惠民殡葬政策',
    serviceLists: ['fee_waivers', 'subsistence', 'destitute'],
  },
  {
    code: 'one_off_living_grant',
    nameZh: '困难群众一次性生活补贴',
    nameEn: 'One-off living grant',
    department: 'civil_affairs',
    category: 'living_grant',
    summary: '节日期间向低保、特困人员和孤儿等困难群众按人发放一次性生活补贴。',
    eligibility: all(any(ON_SUBSISTENCE, ON_DESTITUTE, ON_ORPHAN)),
    benefitFormula: 'household.size * params.oneOffLivingGrant',
    benefitPeriod: 'once',
    materials: [ID],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '本市困难群众一次性生活补贴发放通知',
    serviceLists: ['subsistence', 'destitute', 'orphans'],
  },

  // 教育委员会 (education): student aid from preschool to college.
  {
    code: 'preschool_aid',
    nameZh: '学前教育资助',
    nameEn: 'Preschool aid',
    department: 'education',
    category: 'education_assistance',
    summary: '家庭经济困难的在园幼儿，按学年发放保育教育费资助。',
    eligibility: all(student('preschool', '家中有在园幼儿', 'A child in preschool'), DIFFICULT_FAMILY),
    benefitFormula: `${countMembers('m.schoolStage == "preschool"')} * params.preschoolGrant`,
    benefitPeriod: 'yearly',
    materials: [ID, '在园证明'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '学生资助政策（学前教育资助）',
    serviceLists: ['students', 'review_free'],
  },
  {
    code: 'boarding_living_subsidy',
    nameZh: '义务教育家庭经济困难寄宿生生活补助',
    nameEn: 'Living subsidy for boarding pupils in need',
    department: 'education',
    category: 'education_assistance',
    summary: '义务教育阶段家庭经济困难的寄宿生，小学每生每天4元、初中每生每天5元，按学年发放。',
    eligibility: all(
      c('boarding_pupil', '家中有义务教育阶段寄宿生', 'A boarding pupil in compulsory education', 'household.members.exists(m, m.isBoarding && (m.schoolStage == "primary" || m.schoolStage == "junior"))'),
      DIFFICULT_FAMILY,
    ),
    benefitFormula: `${countMembers('m.isBoarding && m.schoolStage == "primary"')} * params.boardingSubsidyPrimary + ${countMembers('m.isBoarding && m.schoolStage == "junior"')} * params.boardingSubsidyJunior`,
    benefitPeriod: 'yearly',
    materials: [ID, '学籍证明'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '学生资助政策（义务教育阶段）',
    serviceLists: ['one_thing', 'students', 'review_free'],
  },
  {
    code: 'school_meal_programme',
    nameZh: '农村义务教育学生营养改善计划',
    nameEn: 'Rural school meal programme',
    department: 'education',
    category: 'education_assistance',
    summary: '农村义务教育阶段学生在校享受营养膳食补助（实物供餐）。',
    eligibility: all(RURAL, c('compulsory_pupil', '家中有义务教育阶段学生', 'A pupil in compulsory education', 'household.members.exists(m, m.schoolStage == "primary" || m.schoolStage == "junior")')),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: ['学籍证明'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '农村义务教育学生营养改善计划',
    serviceLists: ['students', 'rural'],
  },
  {
    code: 'high_school_grant',
    nameZh: '普通高中国家助学金',
    nameEn: 'Senior high school grant',
    department: 'education',
    category: 'education_assistance',
    summary: '家庭经济困难的普通高中在校生，按学年发放国家助学金。',
    eligibility: all(student('senior', '家中有普通高中在校生', 'A senior high school student'), DIFFICULT_FAMILY),
    benefitFormula: `${countMembers('m.schoolStage == "senior"')} * params.highSchoolGrant`,
    benefitPeriod: 'yearly',
    materials: [ID, '学籍证明'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '学生资助政策（普通高中国家助学金）',
    serviceLists: ['one_thing', 'students', 'review_free'],
  },
  {
    code: 'high_school_fee_waiver',
    nameZh: '普通高中家庭经济困难学生免学杂费',
    nameEn: 'Senior high school fees waived',
    department: 'education',
    category: 'fee_waiver',
    summary: '低保、特困、低保边缘、脱贫家庭和孤儿、残疾学生免除普通高中学杂费。',
    eligibility: all(student('senior', '家中有普通高中在校生', 'A senior high school student'), any(DIFFICULT_FAMILY, DISABLED_MEMBER)),
    benefitFormula: `${countMembers('m.schoolStage == "senior"')} * params.highSchoolTuition`,
    benefitPeriod: 'yearly',
    materials: [ID, '学籍证明'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '学生资助政策（普通高中免学杂费）',
    serviceLists: ['students', 'fee_waivers', 'review_free'],
  },
  {
    code: 'vocational_grant',
    nameZh: '中等职业教育国家助学金',
    nameEn: 'Vocational school grant',
    department: 'education',
    category: 'education_assistance',
    summary: '中等职业学校家庭经济困难学生，按学年发放国家助学金。',
    eligibility: all(student('vocational', '家中有中职在校生', 'A vocational school student'), DIFFICULT_FAMILY),
    benefitFormula: `${countMembers('m.schoolStage == "vocational"')} * params.vocationalGrant`,
    benefitPeriod: 'yearly',
    materials: [ID, '学籍证明'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '学生资助政策（中职国家助学金）',
    serviceLists: ['students', 'review_free'],
  },
  {
    code: 'college_entry_grant',
    nameZh: '家庭经济困难高校新生入学资助',
    nameEn: 'College entry grant',
    department: 'education',
    category: 'education_assistance',
    summary: '家庭经济困难的高校新生，一次性发放入学路费和短期生活费。',
    eligibility: all(student('college', '家中有高校新生', 'A first-year college student', ' && m.age <= 20'), DIFFICULT_FAMILY),
    benefitFormula: `${countMembers('m.schoolStage == "college" && m.age <= 20')} * params.collegeEntryGrant`,
    benefitPeriod: 'once',
    materials: [ID, '录取通知书'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '学生资助政策（新生入学资助）',
    serviceLists: ['students'],
  },
  {
    code: 'student_loan',
    nameZh: '生源地信用助学贷款',
    nameEn: 'Student loan at home',
    department: 'education',
    category: 'education_assistance',
    summary: '家庭经济困难的全日制高校学生，在户籍所在区县申请信用助学贷款，在校期间贴息。',
    eligibility: all(student('college', '家中有高校在校生', 'A college student'), any(DIFFICULT_FAMILY, INCOME_BELOW_LOW_INCOME_LIMIT)),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '录取通知书或学生证', '家庭经济困难情况说明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '生源地信用助学贷款政策',
    serviceLists: ['students'],
  },

  // 人力资源和社会保障局 (human resources): employment assistance and social insurance.
  {
    code: 'employment_assistance',
    nameZh: '就业困难人员认定及就业援助',
    nameEn: 'Employment assistance',
    department: 'human_resources',
    category: 'employment_assistance',
    summary: '失业的低保、特困、低保边缘家庭成员、残疾人和大龄失业人员，认定为就业困难人员，提供岗位推荐和就业援助。',
    eligibility: all(
      c('unemployed_of_working_age', '家中有劳动年龄内的失业人员', 'An unemployed member of working age', `household.members.exists(m, ${WORKING_AGE} && m.employment == "unemployed")`),
      any(
        ON_ROLL,
        c('disabled_unemployed', '失业人员持有残疾人证', 'The unemployed member has a disability', `household.members.exists(m, ${WORKING_AGE} && m.employment == "unemployed" && m.disabilityGrade > 0)`),
        c(
          'older_unemployed',
          '女40周岁、男50周岁以上失业人员',
          'Unemployed woman over 40 or man over 50',
          'household.members.exists(m, m.employment == "unemployed" && m.age < 60 && ((m.gender == "female" && m.age >= 40) || (m.gender == "male" && m.age >= 50)))',
        ),
      ),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '就业创业证'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《中华人民共和国就业促进法》',
    serviceLists: ['employment', 'subsistence', 'disabled'],
  },
  {
    code: 'zero_employment_household',
    nameZh: '零就业家庭就业援助',
    nameEn: 'Help for households with nobody in work',
    department: 'human_resources',
    category: 'employment_assistance',
    summary: '城镇家庭中劳动年龄内有劳动能力的成员均处于失业状态的，确保至少一人实现就业。',
    eligibility: all(
      URBAN,
      c('able_member_without_work', '有劳动年龄内、有劳动能力的失业成员', 'An able member of working age without work', `household.members.exists(m, ${WORKING_AGE} && (m.employment == "unemployed" || m.employment == "none"))`),
      c('nobody_in_work', '家庭成员均未就业', 'Nobody in the household works', '!household.members.exists(m, m.employment in ["employed", "flexible", "farming"])'),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '就业创业证'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '零就业家庭就业援助制度',
    serviceLists: ['employment'],
  },
  {
    code: 'public_welfare_job',
    nameZh: '公益性岗位安置',
    nameEn: 'Public welfare jobs',
    department: 'human_resources',
    category: 'employment_assistance',
    summary: '通过市场渠道难以就业的困难人员，优先安置到社区保洁、治安巡逻、养老服务等公益性岗位。',
    eligibility: all(
      c('unemployed_of_working_age', '家中有劳动年龄内的失业人员', 'An unemployed member of working age', `household.members.exists(m, ${WORKING_AGE} && m.employment == "unemployed")`),
      any(ON_ROLL, DISABLED_MEMBER, c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated')),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '就业创业证'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '公益性岗位开发管理办法',
    serviceLists: ['employment', 'rural'],
  },
  {
    code: 'flexible_employment_insurance_subsidy',
    nameZh: '就业困难人员灵活就业社会保险补贴',
    nameEn: 'Social insurance subsidy for flexible work',
    department: 'human_resources',
    category: 'employment_assistance',
    summary: '就业困难人员灵活就业并缴纳社会保险费的，按月给予社会保险补贴。',
    eligibility: all(
      c('flexible_worker', '家中有劳动年龄内灵活就业人员', 'A member in flexible work', `household.members.exists(m, ${WORKING_AGE} && m.employment == "flexible")`),
      any(ON_ROLL, DISABLED_MEMBER),
    ),
    benefitFormula: `${countMembers(`${WORKING_AGE} && m.employment == "flexible"`)} * params.flexibleEmploymentInsuranceSubsidy`,
    benefitPeriod: 'monthly',
    materials: [ID, '灵活就业登记', '社会保险缴费凭证'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '就业补助资金管理办法',
    serviceLists: ['employment'],
  },
  {
    code: 'pension_contribution_subsidy',
    nameZh: '城乡居民养老保险困难群体代缴',
    nameEn: 'Resident pension contributions paid',
    department: 'human_resources',
    category: 'living_grant',
    summary: '低保、特困、低保边缘家庭和重度残疾人中参加城乡居民养老保险的成员，由政府代缴最低档次养老保险费。',
    eligibility: all(
      c(
        'resident_insured_member',
        '家中有参加城乡居民养老保险的劳动年龄成员',
        'A working-age member in resident pension insurance',
        `household.members.exists(m, ${WORKING_AGE} && !(m.employment in ["employed", "student", "retired"]))`,
      ),
      any(ON_ROLL, SEVERELY_DISABLED),
    ),
    benefitFormula: `${countMembers(`${WORKING_AGE} && !(m.employment in ["employed", "student", "retired"])`)} * params.pensionContributionSubsidy`,
    benefitPeriod: 'yearly',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '《关于完善城乡居民基本养老保险筹资和保障机制的指导意见》',
    serviceLists: ['one_thing', 'review_free', 'subsistence', 'disabled'],
  },
  {
    code: 'vocational_training_subsidy',
    nameZh: '困难群众职业技能培训补贴',
    nameEn: 'Vocational training subsidy',
    department: 'human_resources',
    category: 'employment_assistance',
    summary: '困难家庭中劳动年龄内的失业人员参加职业技能培训并取得证书的，给予培训补贴。',
    eligibility: all(
      c('unemployed_of_working_age', '家中有劳动年龄内的失业人员', 'An unemployed member of working age', `household.members.exists(m, ${WORKING_AGE} && m.employment == "unemployed")`),
      any(ON_ROLL, c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated')),
    ),
    benefitFormula: `${countMembers(`${WORKING_AGE} && m.employment == "unemployed"`)} * params.trainingSubsidy`,
    benefitPeriod: 'once',
    materials: [ID, '培训合格证书或职业技能等级证书'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '职业技能提升行动补贴政策',
    serviceLists: ['employment', 'rural'],
  },

  // 住房和城乡建设委员会 (housing).
  {
    code: 'public_rental_housing',
    nameZh: '公共租赁住房实物配租',
    nameEn: 'Public rental housing',
    department: 'housing',
    category: 'housing_assistance',
    summary: '本地无住房、收入低于规定标准的家庭，可申请公共租赁住房实物配租，低保、特困家庭优先。',
    eligibility: all(
      c('without_home', '家庭无自有住房', 'Owns no home', 'household.property.homes == 0 && household.housing in ["private_rental", "with_relatives", "none"]'),
      c('income_within_limit', '家庭人均收入低于公租房收入限额', 'Income within the public rental limit', `household.incomePerHead * 100 < ${LINE} * params.publicRentalIncomePercent`),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '无房证明', INCOME_PROOF],
    timeLimitDays: 30,
    isReviewFree: false,
    legalBasis: '《公共租赁住房管理办法》',
    serviceLists: ['housing_difficulty'],
  },
  {
    code: 'rent_subsidy',
    nameZh: '困难家庭住房租赁补贴',
    nameEn: 'Rent subsidy',
    department: 'housing',
    category: 'housing_assistance',
    summary: '无自有住房、在市场租房居住的低保、特困家庭，按人均补贴面积和补贴标准按月发放租赁补贴。',
    eligibility: all(SUBSISTENCE_OR_DESTITUTE, c('renting_without_home', '无自有住房且在市场租房居住', 'Rents privately and owns no home', 'household.housing == "private_rental" && household.property.homes == 0')),
    benefitFormula: 'household.size * params.rentSubsidyAreaPerHead * params.rentSubsidyPerSquareMetre',
    benefitPeriod: 'monthly',
    materials: [ID, '房屋租赁合同', '无房证明'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '《社会救助暂行办法》第六章 住房救助',
    serviceLists: ['one_thing', 'housing_difficulty', 'subsistence'],
  },
  {
    code: 'public_rental_rent_reduction',
    nameZh: '公租房租金减免',
    nameEn: 'Public rental rent reduction',
    department: 'housing',
    category: 'housing_assistance',
    summary: '承租公共租赁住房的低保、特困家庭，按月减免租金。',
    eligibility: all(SUBSISTENCE_OR_DESTITUTE, c('public_rental_tenant', '承租公共租赁住房', 'Rents public housing', 'household.housing == "public_rental"')),
    benefitFormula: 'params.publicRentalRentReduction',
    benefitPeriod: 'monthly',
    materials: [ID, '公租房租赁合同'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《公共租赁住房管理办法》',
    serviceLists: ['housing_difficulty', 'fee_waivers'],
  },
  {
    code: 'rural_dilapidated_house',
    nameZh: '农村低收入群体危房改造',
    nameEn: 'Rural dilapidated house renovation',
    department: 'housing',
    category: 'housing_assistance',
    summary: '住房经鉴定为危房的农村低保、特困、低保边缘家庭和脱贫户，补助危房改造。',
    eligibility: all(RURAL, c('in_dilapidated_house', '住房为危房', 'Lives in a dilapidated house', 'household.housing == "dilapidated"'), any(ON_ROLL, c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated'))),
    benefitFormula: 'params.dilapidatedHouseGrant',
    benefitPeriod: 'once',
    materials: [ID, '房屋危险性鉴定报告'],
    timeLimitDays: 30,
    isReviewFree: false,
    legalBasis: '农村低收入群体等重点对象住房安全保障政策',
    serviceLists: ['housing_difficulty', 'rural'],
  },

  // 卫生健康委员会 (health).
  {
    code: 'mental_illness_guardian_subsidy',
    nameZh: '严重精神障碍患者监护补助',
    nameEn: 'Guardian subsidy for severe mental illness',
    department: 'health',
    category: 'health_service',
    summary: '在册严重精神障碍患者的监护人履行监护责任的，按年度发放监护补助。',
    eligibility: all(c('mental_disability', '家中有精神残疾人', 'A member with a mental disability', 'household.members.exists(m, m.disabilityKind == "mental")')),
    benefitFormula: `${countMembers('m.disabilityKind == "mental"')} * params.mentalIllnessGuardianSubsidy`,
    benefitPeriod: 'yearly',
    materials: [ID, '监护人身份证明', '精神障碍诊断证明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '《中华人民共和国精神卫生法》',
    serviceLists: ['disabled', 'illness'],
  },
  {
    code: 'family_doctor_service',
    nameZh: '困难群众家庭医生签约服务',
    nameEn: 'Family doctor for people in need',
    department: 'health',
    category: 'health_service',
    summary: '低保、特困、低保边缘家庭、残疾人和65周岁以上老年人免费签约家庭医生，享受基本医疗和公共卫生服务。',
    eligibility: any(ON_ROLL, DISABLED_MEMBER, c('aged_65', '家中有65周岁以上老年人', 'A member aged 65 or over', 'household.members.exists(m, m.age >= 65)')),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '家庭医生签约服务政策',
    serviceLists: ['review_free', 'elderly_difficulty', 'disabled', 'illness'],
  },
  {
    code: 'elderly_health_checkup',
    nameZh: '老年人免费健康体检',
    nameEn: 'Free health check-ups for the elderly',
    department: 'health',
    category: 'health_service',
    summary: '65周岁以上老年人每年免费健康体检一次。',
    eligibility: all(c('aged_65', '家中有65周岁以上老年人', 'A member aged 65 or over', 'household.members.exists(m, m.age >= 65)')),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '国家基本公共卫生服务规范',
    serviceLists: ['review_free', 'very_old', 'elderly_difficulty'],
  },
  {
    code: 'two_cancer_screening',
    nameZh: '农村和困难妇女“两癌”免费筛查',
    nameEn: 'Free cervical and breast cancer screening',
    department: 'health',
    category: 'health_service',
    summary: '农村妇女和城镇低保、低保边缘家庭中35至64周岁的妇女，免费进行宫颈癌、乳腺癌筛查。',
    eligibility: all(
      c('woman_35_to_64', '家中有35至64周岁的妇女', 'A woman aged 35 to 64', 'household.members.exists(m, m.gender == "female" && m.age >= 35 && m.age <= 64)'),
      any(RURAL, ON_ROLL),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '妇女“两癌”筛查项目',
    serviceLists: ['illness', 'rural'],
  },

  // 医疗保障局 (medical security).
  {
    code: 'medical_assistance_inpatient',
    nameZh: '医疗救助（住院及门诊费用）',
    nameEn: 'Medical assistance',
    department: 'medical_security',
    category: 'medical_assistance',
    summary: '特困人员、孤儿全额救助，低保对象、低保边缘家庭成员按比例救助基本医保报销后的政策范围内自付费用，年度限额内“一站式”结算，免审即享。',
    eligibility: all(
      any(ON_ROLL, ON_ORPHAN),
      c('paid_for_treatment', '近12个月有自付医疗费用', 'Paid for treatment in the last 12 months', 'household.hospitalCostsLast12Months > 0'),
    ),
    benefitFormula:
      'min(household.hospitalCostsLast12Months, params.medicalAssistanceAnnualCap) * (("destitute_support" in household.benefits || "orphan_allowance" in household.benefits) ? params.medicalAssistancePercentDestitute : ("subsistence_allowance" in household.benefits ? params.medicalAssistancePercentSubsistence : params.medicalAssistancePercentLowIncome)) / 100',
    benefitPeriod: 'once',
    materials: [ID, '医疗费用票据及费用清单'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）',
    serviceLists: ['one_thing', 'review_free', 'illness', 'subsistence', 'destitute', 'low_income'],
  },
  {
    code: 'catastrophic_illness_assistance',
    nameZh: '因病致贫重病患者医疗救助',
    nameEn: 'Medical assistance for catastrophic illness',
    department: 'medical_security',
    category: 'medical_assistance',
    summary: '不符合低保、特困条件，但自付医疗费用超过家庭承受能力、收入较低的重病患者家庭，超过起付线的部分按比例救助。',
    eligibility: all(
      c('not_on_roll', '未享受低保、特困或低保边缘待遇', 'Not on subsistence, destitute or low-income support', '!household.benefits.exists(b, b in ["subsistence_allowance", "destitute_support", "low_income_household"])'),
      c(
        'catastrophic_costs',
        '近12个月自付医疗费用超过家庭年收入',
        'Medical costs above the yearly income',
        'household.hospitalCostsLast12Months * 100 > household.totalMonthlyIncome * 12 * params.catastrophicBurdenPercent',
      ),
      c('above_deductible', '自付医疗费用超过起付线', 'Costs above the deductible', 'household.hospitalCostsLast12Months > params.medicalAssistanceDeductibleIllness'),
      c('income_modest', '家庭人均收入低于低保标准的2倍', 'Income per head below twice the line', `household.incomePerHead < ${LINE} * 2`),
    ),
    benefitFormula: '(min(household.hospitalCostsLast12Months, params.medicalAssistanceAnnualCap) - params.medicalAssistanceDeductibleIllness) * params.medicalAssistancePercentIllness / 100',
    benefitPeriod: 'once',
    materials: [ID, CONSENT, '医疗费用票据及诊断证明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）',
    serviceLists: ['illness'],
  },
  {
    code: 'insurance_premium_subsidy',
    nameZh: '城乡居民医保参保资助',
    nameEn: 'Medical insurance premiums paid',
    department: 'medical_security',
    category: 'medical_assistance',
    summary: '特困人员、孤儿参加城乡居民医保的个人缴费全额资助，低保对象按比例资助。',
    eligibility: all(any(ON_SUBSISTENCE, ON_DESTITUTE, ON_ORPHAN)),
    benefitFormula:
      'household.size * params.residentInsurancePremium * (("destitute_support" in household.benefits || "orphan_allowance" in household.benefits) ? 100 : params.premiumSubsidyPercentSubsistence) / 100',
    benefitPeriod: 'yearly',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）',
    serviceLists: ['one_thing', 'review_free', 'subsistence', 'destitute', 'orphans'],
  },
  {
    code: 'outpatient_chronic_assistance',
    nameZh: '门诊慢特病医疗救助',
    nameEn: 'Medical assistance for chronic illness',
    department: 'medical_security',
    category: 'medical_assistance',
    summary: '低保、特困、低保边缘家庭中患门诊慢性病、特殊疾病的成员，门诊费用纳入医疗救助。',
    eligibility: all(ON_ROLL, c('chronic_illness', '家中有慢性病患者', 'A member with a chronic illness', 'household.members.exists(m, m.health == "chronic_illness")')),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '门诊慢特病鉴定结果'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）',
    serviceLists: ['illness', 'subsistence', 'low_income'],
  },

  // 退役军人事务局 (veterans).
  {
    code: 'veteran_hardship_assistance',
    nameZh: '困难退役军人帮扶援助',
    nameEn: 'Hardship assistance for veterans',
    department: 'veterans',
    category: 'veteran_support',
    summary: '遭遇急难或收入较低的退役军人家庭，给予一次性帮扶援助。',
    eligibility: all(
      c('veteran', '家中有退役军人', 'A veteran in the household', 'household.members.exists(m, m.isVeteran)'),
      any(c('in_hardship', '遭遇急难情形', 'Living through a hardship', 'size(household.hardships) > 0'), INCOME_BELOW_LOW_INCOME_LIMIT),
    ),
    benefitFormula: 'params.veteranAssistance',
    benefitPeriod: 'once',
    materials: [ID, '退役证件', '困难情况说明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '《中华人民共和国退役军人保障法》',
    serviceLists: ['veterans', 'emergency'],
  },
  {
    code: 'veteran_employment_support',
    nameZh: '退役军人就业创业扶持',
    nameEn: 'Jobs and business support for veterans',
    department: 'veterans',
    category: 'veteran_support',
    summary: '失业的退役军人优先推荐就业、免费参加技能培训，创业的享受担保贷款等扶持。',
    eligibility: all(c('unemployed_veteran', '家中有劳动年龄内失业的退役军人', 'An unemployed veteran of working age', 'household.members.exists(m, m.isVeteran && m.employment == "unemployed" && m.age < 60)')),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '退役证件'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《中华人民共和国退役军人保障法》',
    serviceLists: ['veterans', 'employment'],
  },

  // 司法局 (justice).
  {
    code: 'legal_aid',
    nameZh: '法律援助',
    nameEn: 'Legal aid',
    department: 'justice',
    category: 'legal_aid',
    summary: '经济困难的公民因追索赡养费、劳动报酬、工伤赔偿等需要代理的，提供免费法律服务；低保、特困等对象免予经济困难核查。',
    eligibility: any(ON_ROLL, ON_ORPHAN, INCOME_BELOW_LOW_INCOME_LIMIT, c('veteran_or_disabled', '家中有退役军人或残疾人', 'A veteran or a disabled member', 'household.members.exists(m, m.isVeteran || m.disabilityGrade > 0)')),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '法律援助申请表', '与案件有关的材料'],
    timeLimitDays: 7,
    isReviewFree: false,
    legalBasis: '《中华人民共和国法律援助法》',
    serviceLists: ['one_thing', 'rights'],
  },
  {
    code: 'notary_fee_waiver',
    nameZh: '困难群众公证费减免',
    nameEn: 'Notary fees waived',
    department: 'justice',
    category: 'fee_waiver',
    summary: '低保、特困人员办理与基本生活有关的公证事项，减免公证费。',
    eligibility: all(SUBSISTENCE_OR_DESTITUTE),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《中华人民共和国公证法》',
    serviceLists: ['rights', 'fee_waivers'],
  },

  // 应急管理局 (emergency management).
  {
    code: 'disaster_transition_relief',
    nameZh: '受灾人员过渡期生活救助',
    nameEn: 'Transitional relief after a disaster',
    department: 'emergency',
    category: 'disaster_relief',
    summary: '因自然灾害住房倒塌或严重损坏、无房可住的受灾人员，按人按日给予过渡期生活救助。',
    eligibility: all(
      c('disaster_struck', '遭受自然灾害', 'Struck by a natural disaster', '"natural_disaster" in household.hardships'),
      c('home_lost', '住房倒塌或严重损坏', 'The home collapsed or is unsafe', 'household.housing in ["none", "dilapidated"]'),
    ),
    benefitFormula: 'household.size * params.disasterReliefPerDay * params.disasterReliefDays',
    benefitPeriod: 'once',
    materials: [ID, '灾情核查记录'],
    timeLimitDays: 3,
    isReviewFree: false,
    legalBasis: '《自然灾害救助条例》',
    serviceLists: ['disaster', 'emergency'],
  },
  {
    code: 'disaster_winter_relief',
    nameZh: '受灾人员冬春生活救助',
    nameEn: 'Winter and spring relief after a disaster',
    department: 'emergency',
    category: 'disaster_relief',
    summary: '受灾后冬令春荒期间基本生活困难的家庭，给予冬春生活救助。',
    eligibility: all(
      c('disaster_struck', '遭受自然灾害', 'Struck by a natural disaster', '"natural_disaster" in household.hardships'),
      any(ON_ROLL, c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated'), INCOME_BELOW_LOW_INCOME_LIMIT),
    ),
    benefitFormula: 'household.size * params.winterReliefPerPerson',
    benefitPeriod: 'once',
    materials: [ID, '灾情核查记录'],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '《自然灾害救助条例》',
    serviceLists: ['disaster', 'rural'],
  },

  // 农业农村委员会 (agriculture and rural affairs): preventing a return to poverty.
  {
    code: 'poverty_relapse_monitoring',
    nameZh: '防止返贫动态监测和帮扶',
    nameEn: 'Monitoring and help against relapse into poverty',
    department: 'agriculture',
    category: 'poverty_prevention',
    summary: '农村脱贫户和收入低于监测标准的家庭，因病、因灾、因意外事故等出现返贫致贫风险的，纳入监测并落实帮扶措施。',
    eligibility: all(
      RURAL,
      any(c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated'), c('income_below_monitoring_line', '家庭人均收入低于监测标准', 'Income per head below the monitoring line', 'household.incomePerHead < params.monitoringLineMonthly')),
      any(
        c('in_hardship', '遭遇急难情形', 'Living through a hardship', 'size(household.hardships) > 0'),
        c('large_medical_costs', '近12个月自付医疗费用较大', 'Large medical costs in the last 12 months', 'household.hospitalCostsLast12Months > params.monitoringMedicalCosts'),
      ),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '风险情况说明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '防止返贫动态监测和帮扶机制',
    serviceLists: ['rural', 'illness'],
  },
  {
    code: 'poverty_micro_credit',
    nameZh: '脱贫人口小额信贷',
    nameEn: 'Micro-credit for households lifted out of poverty',
    department: 'agriculture',
    category: 'poverty_prevention',
    summary: '有贷款意愿、有就业创业潜质的脱贫户和监测对象，可申请5万元以下、3年期以内的免抵押免担保贷款，财政贴息。',
    eligibility: all(
      c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated'),
      c('borrower_of_age', '家中有18至65周岁有劳动能力的成员', 'An able member aged 18 to 65', 'household.members.exists(m, m.age >= 18 && m.age <= 65 && m.employment != "unable_to_work")'),
    ),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '贷款用途说明'],
    timeLimitDays: 15,
    isReviewFree: false,
    legalBasis: '脱贫人口小额信贷政策',
    serviceLists: ['rural'],
  },
  {
    code: 'household_industry_support',
    nameZh: '到户产业帮扶补助',
    nameEn: 'Support for household farming and trades',
    department: 'agriculture',
    category: 'poverty_prevention',
    summary: '发展种养殖等产业的农村脱贫户和监测对象，给予一次性产业帮扶补助。',
    eligibility: all(RURAL, c('poverty_alleviated', '脱贫户或防返贫监测对象', 'Lifted out of poverty or monitored', 'household.isPovertyAlleviated'), c('farming_member', '家中有务农成员', 'A member who farms', 'household.members.exists(m, m.employment == "farming")')),
    benefitFormula: 'params.industrySupportGrant',
    benefitPeriod: 'once',
    materials: [ID, '产业发展计划'],
    timeLimitDays: 20,
    isReviewFree: false,
    legalBasis: '衔接推进乡村振兴补助资金管理办法',
    serviceLists: ['rural'],
  },

  // 城市管理局 (urban management).
  {
    code: 'garbage_fee_waiver',
    nameZh: '城镇生活垃圾处理费减免',
    nameEn: 'Household waste fee waived',
    department: 'urban_management',
    category: 'fee_waiver',
    summary: '城镇低保、特困家庭免缴生活垃圾处理费，民政数据即可证明，免申即享。',
    eligibility: all(URBAN, SUBSISTENCE_OR_DESTITUTE),
    benefitFormula: 'params.garbageFeeMonthly',
    benefitPeriod: 'monthly',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '本市城镇生活垃圾处理费征收管理规定',
    serviceLists: ['one_thing', 'review_free', 'fee_waivers'],
  },

  // 发展和改革委员会 (development and reform).
  {
    code: 'price_temporary_subsidy',
    nameZh: '困难群众价格临时补贴',
    nameEn: 'Temporary price subsidy',
    department: 'development_reform',
    category: 'living_grant',
    summary: '物价涨幅达到联动机制启动条件时，向低保、特困人员和孤儿等按人按月发放价格临时补贴。',
    eligibility: all(
      any(ON_SUBSISTENCE, ON_DESTITUTE, ON_ORPHAN),
      c('mechanism_triggered', '价格联动机制已启动', 'The price link is triggered', 'params.priceSubsidyMonthly > 0'),
    ),
    benefitFormula: 'household.size * params.priceSubsidyMonthly',
    benefitPeriod: 'monthly',
    materials: [ID],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '社会救助和保障标准与物价上涨挂钩联动机制',
    serviceLists: ['review_free', 'subsistence', 'destitute'],
  },

  // 交通局 (transport).
  {
    code: 'free_public_transport',
    nameZh: '老年人和重度残疾人免费乘坐公交',
    nameEn: 'Free buses for the old and severely disabled',
    department: 'transport',
    category: 'fee_waiver',
    summary: '70周岁以上老年人和一、二级重度残疾人凭证免费乘坐城市公交。',
    eligibility: any(c('aged_70', '家中有70周岁以上老年人', 'A member aged 70 or over', 'household.members.exists(m, m.age >= 70)'), SEVERELY_DISABLED),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '残疾人证（残疾人申请时）'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '本市老年人、残疾人优待办法',
    serviceLists: ['review_free', 'very_old', 'disabled', 'fee_waivers'],
  },

  // 文化和旅游发展委员会 (culture and tourism).
  {
    code: 'scenic_admission_waiver',
    nameZh: '困难群众A级景区门票减免',
    nameEn: 'Free entry to scenic sites',
    department: 'culture_tourism',
    category: 'fee_waiver',
    summary: '低保、特困人员和残疾人游览国有A级旅游景区免收门票。',
    eligibility: any(SUBSISTENCE_OR_DESTITUTE, DISABLED_MEMBER),
    benefitFormula: null,
    benefitPeriod: 'none',
    materials: [ID, '低保证、特困证或残疾人证'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '本市旅游景区门票优惠政策',
    serviceLists: ['review_free', 'fee_waivers'],
  },

  // 水利局 (water resources).
  {
    code: 'rural_water_fee_waiver',
    nameZh: '农村供水水费减免',
    nameEn: 'Rural water fee waived',
    department: 'water',
    category: 'fee_waiver',
    summary: '农村集中供水工程覆盖的低保、特困家庭，按月减免基本水费。',
    eligibility: all(RURAL, SUBSISTENCE_OR_DESTITUTE),
    benefitFormula: 'params.ruralWaterFeeMonthly',
    benefitPeriod: 'monthly',
    materials: [ID],
    timeLimitDays: 10,
    isReviewFree: false,
    legalBasis: '农村供水工程运行管理办法',
    serviceLists: ['rural', 'fee_waivers'],
  },
];
