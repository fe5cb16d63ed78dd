import type { Db } from '../../platform/db/database.ts';

/** A shipped knowledge-base article: a stable code, its category (or none) and the answer. */
export interface ShippedArticle {
  code: string;
  categoryCode: string | null;
  title: string;
  keywords: string[];
  body: string;
}

/**
 * The demo knowledge base (知识库) of a Chongqing 12345 desk: the questions agents answer on the
 * phone every day (直办). Wording follows the usual hotline scripts; figures that change every
 * year (standards, rates) are left to "the current notice" rather than invented. Administrators
 * edit or deactivate these rows; codes never change meaning.
 */
export const SHIPPED_ARTICLES: ShippedArticle[] = [
  {
    code: 'kb.social_insurance.flexible_pension',
    categoryCode: 'livelihood.social_insurance',
    title: '灵活就业人员如何缴纳职工养老保险',
    keywords: ['社保', '缴费', '养老保险', '灵活就业', '个体'],
    body:
      '具有本市户籍或持居住证的灵活就业人员，可在“渝快办”APP、“重庆人社”APP或就近的街道（乡镇）社保服务窗口办理灵活就业人员参保登记，' +
      '在缴费基数上下限之间自选档次，按月或按年通过银行代扣、手机银行等方式缴费。缴费基数和费率以市人力社保局当年公布的为准。' +
      '断缴的可按规定补缴；已在单位参保的，由单位申报缴纳，不需要个人另行办理。',
  },
  {
    code: 'kb.social_insurance.resident_medical',
    categoryCode: 'livelihood.social_insurance',
    title: '城乡居民医疗保险每年什么时候缴费、怎么缴',
    keywords: ['医保', '居民医保', '缴费', '城乡居民'],
    body:
      '城乡居民医保按年度缴费，集中缴费期一般为每年9月至12月，缴纳的是次年的医保费。可通过“渝快办”APP、微信“重庆医保”公众号、' +
      '合作银行手机银行或到社区（村）代办点缴费。低保、特困等困难群众的个人缴费部分由医疗救助按规定资助。新生儿、大学生等可在出生或入学后按规定参保。' +
      '个人缴费标准以市医保局当年公布的为准。',
  },
  {
    code: 'kb.social_insurance.pension_transfer',
    categoryCode: 'livelihood.social_insurance',
    title: '川渝两地养老保险关系怎么转移接续',
    keywords: ['养老保险', '转移', '接续', '川渝', '跨省'],
    body:
      '在四川参保后到重庆就业（或反之）的，只需向转入地提出申请：登录“渝快办”APP或国家社会保险公共服务平台，填写姓名、身份证号、' +
      '现参保地、原参保地等信息并完成人脸识别，转入地经办机构与转出地通过线上协同办理，无需本人两地跑。办理时限为15个工作日，' +
      '可在APP上查询进度。',
  },
  {
    code: 'kb.social_insurance.card',
    categoryCode: 'livelihood.social_insurance',
    title: '社保卡丢失了怎么挂失和补办',
    keywords: ['社保卡', '挂失', '补办', '补卡', '一卡通'],
    body:
      '社保卡丢失后请第一时间挂失：可拨打发卡银行客服电话、登录“重庆人社”APP或到任一社保卡服务网点办理临时挂失。' +
      '补办可携带本人身份证到合作银行网点即时制卡，或在“电子社保卡”中申请邮寄。补卡后原卡社保功能自动停用，金融账户按银行规定处理。',
  },
  {
    code: 'kb.social_assistance.subsistence',
    categoryCode: 'livelihood.social_assistance',
    title: '如何申请最低生活保障（低保）',
    keywords: ['低保', '最低生活保障', '救助', '申请'],
    body:
      '共同生活的家庭成员人均收入低于本地低保标准、且财产状况符合规定的，可以申请低保。申请人向户籍所在地或经常居住地的街道（乡镇）提出申请，' +
      '也可通过“重庆救助通”小程序在线申请，社区（村）社会救助顾问可协助填报。街道（乡镇）通过家庭经济状况核对、入户调查、民主评议和公示后审核确认。' +
      '低保标准以区县当年公布的为准。',
  },
  {
    code: 'kb.social_assistance.temporary',
    categoryCode: 'livelihood.social_assistance',
    title: '遭遇突发困难能申请临时救助吗',
    keywords: ['临时救助', '急难', '突发', '救助'],
    body:
      '因火灾、交通事故、突发重大疾病等原因导致基本生活暂时出现严重困难的家庭或个人，可以向街道（乡镇）申请临时救助，' +
      '情况紧急的可以“先行救助、后补手续”。也可通过“重庆救助通”小程序或拨打社会救助服务热线申请。救助金额根据困难程度确定。',
  },
  {
    code: 'kb.social_assistance.destitute',
    categoryCode: 'livelihood.social_assistance',
    title: '特困人员救助供养的条件和申请方式',
    keywords: ['特困', '供养', '五保', '无劳动能力'],
    body:
      '同时具备无劳动能力、无生活来源、无法定赡养抚养扶养义务人（或义务人无履行能力）的老年人、残疾人和未满16周岁的未成年人，' +
      '可申请特困人员救助供养。由本人或委托他人向户籍所在地街道（乡镇）提出申请，区县民政部门审批，可选择在家分散供养或到敬老院集中供养。',
  },
  {
    code: 'kb.social_assistance.disability_subsidy',
    categoryCode: 'livelihood.social_assistance',
    title: '残疾人两项补贴怎么申请',
    keywords: ['残疾', '两项补贴', '护理补贴', '生活补贴', '残疾证'],
    body:
      '持有第二代残疾人证的困难残疾人可申请困难残疾人生活补贴，一级、二级及部分三级、四级重度残疾人可申请重度残疾人护理补贴。' +
      '可在“渝快办”APP在线申请，或持残疾证、身份证、户口簿到户籍所在地社区（村）或街道（乡镇）便民服务中心申请，审核通过后按月发放。',
  },
  {
    code: 'kb.water.outage',
    categoryCode: 'livelihood.water_power_gas',
    title: '家里突然停水了怎么办',
    keywords: ['停水', '自来水', '水压', '供水'],
    body:
      '请先确认是否仅本户停水：如邻居正常，多为户内阀门或水表问题，可联系物业或供水公司上门检查；如整栋楼或片区停水，' +
      '可能是计划检修或管网抢修，可关注供水公司微信公众号的停水公告或拨打供水公司客服热线查询恢复时间。' +
      '超过公告时间仍未恢复的，坐席将派单至供水企业处理。',
  },
  {
    code: 'kb.power.outage',
    categoryCode: 'livelihood.water_power_gas',
    title: '停电了怎么查询原因和恢复时间',
    keywords: ['停电', '断电', '供电', '电费'],
    body:
      '请先检查家中空气开关是否跳闸、是否欠费停电（可在“网上国网”APP查询电费）。片区停电的，可在“网上国网”APP或拨打国网重庆电力95598查询' +
      '计划停电和故障抢修信息。夏季用电高峰期如遇频繁停电或长时间未恢复，坐席将记录地址派单至供电公司。',
  },
  {
    code: 'kb.gas.leak',
    categoryCode: 'livelihood.water_power_gas',
    title: '闻到燃气味或燃气停供怎么处理',
    keywords: ['燃气', '天然气', '漏气', '停气'],
    body:
      '闻到燃气味请立即关闭燃气总阀，打开门窗通风，不要开关电器、不要使用明火和手机，到室外安全地点拨打燃气公司抢修电话或119。' +
      '燃气停供可关注燃气公司公告；因欠费停气的，缴清费用后联系燃气公司恢复供气。',
  },
  {
    code: 'kb.hukou.transfer',
    categoryCode: null,
    title: '户口迁移（落户重庆）需要哪些材料',
    keywords: ['户籍', '户口', '迁移', '落户', '迁入'],
    body:
      '重庆已实行户口迁移“跨省通办”，在合法稳定住所、就业、投靠亲属等条件下可申请落户。一般需携带居民身份证、户口簿、' +
      '房屋产权证明或租赁登记证明、就业证明等材料，到拟迁入地派出所户籍窗口办理，也可通过“渝快办”APP预约或在线申请，迁出地无需本人前往。' +
      '具体条件以公安机关公布的落户政策为准。',
  },
  {
    code: 'kb.hukou.residence_permit',
    categoryCode: null,
    title: '外地来渝人员怎么办理居住证',
    keywords: ['居住证', '暂住', '外来人口', '户籍'],
    body:
      '离开常住户口所在地到重庆居住半年以上，且有合法稳定就业、合法稳定住所或连续就读条件之一的，可申领居住证。' +
      '先到居住地社区或派出所办理居住登记，满半年后持身份证、住所及就业或就读证明到派出所申领，也可在“渝快办”APP申请。',
  },
  {
    code: 'kb.employment.unpaid_wages',
    categoryCode: 'livelihood.employment',
    title: '被拖欠工资如何投诉维权',
    keywords: ['欠薪', '拖欠工资', '讨薪', '农民工', '劳动监察'],
    body:
      '被拖欠工资的，请准备劳动合同、考勤记录、工资条或聊天记录等证据，向用工所在地区县人力社保局劳动保障监察机构投诉，' +
      '也可通过“渝快办”APP“欠薪投诉”或拨打12345登记。涉及工程建设领域农民工工资的，按照“谁承包、谁负责”由总包单位先行清偿。' +
      '坐席受理后将派单至属地人力社保部门限期处理。',
  },
  {
    code: 'kb.employment.unemployment_benefit',
    categoryCode: 'livelihood.employment',
    title: '失业了能领失业保险金吗',
    keywords: ['失业', '失业金', '失业保险', '离职'],
    body:
      '非本人意愿中断就业、已办理失业登记并有求职要求、失业前单位和本人已缴纳失业保险满1年的，可申领失业保险金。' +
      '可在“渝快办”APP或“重庆人社”APP线上申领，也可到区县就业服务窗口办理。领取期限根据累计缴费时间确定，领取期间由失业保险基金代缴基本医疗保险费。',
  },
  {
    code: 'kb.education.school_enrolment',
    categoryCode: 'livelihood.education',
    title: '孩子上小学、初中怎么报名划片',
    keywords: ['入学', '划片', '小学', '初中', '报名'],
    body:
      '义务教育阶段实行免试就近入学，区县教委每年春季公布招生划片范围和报名时间。本市户籍适龄儿童按户籍和房产所在片区报名；' +
      '随迁子女持居住证等材料向居住地区县教委申请，统筹安排入学。具体以所在区县教委当年发布的招生公告为准。',
  },
  {
    code: 'kb.elderly.old_age_allowance',
    categoryCode: 'livelihood.elderly_care',
    title: '高龄老人能领哪些补贴',
    keywords: ['高龄', '补贴', '老年人', '津贴', '80岁'],
    body:
      '达到规定年龄的本市户籍老年人，可按规定享受高龄津贴；经济困难的高龄、失能老年人还可申请养老服务补贴和护理补贴。' +
      '由本人或家属持身份证、户口簿到户籍所在地社区（村）申请，部分区县已实现免申即享。年龄段和标准以所在区县公布的为准。',
  },
  {
    code: 'kb.elderly.community_canteen',
    categoryCode: 'livelihood.elderly_care',
    title: '社区老年食堂（助餐点）在哪里、怎么用餐',
    keywords: ['助餐', '老年食堂', '吃饭', '养老', '送餐'],
    body:
      '全市街道、社区正在建设“15分钟养老服务圈”，社区养老服务站和助餐点为老年人提供堂食和送餐服务，高龄、失能、特困等老人可享受助餐补贴。' +
      '可在“渝悦·养老”平台查询附近助餐点，或向所在社区居委会咨询开放时间和订餐方式。',
  },
  {
    code: 'kb.property.service_dispute',
    categoryCode: 'livelihood.property',
    title: '对物业服务不满意可以找谁',
    keywords: ['物业', '物业费', '物业服务', '业委会'],
    body:
      '物业服务问题可先向物业服务企业书面提出，要求限期整改；协商不成的，可向小区业主委员会或所在社区居委会反映，由社区组织“五方联席会”' +
      '（社区、业委会、物业、业主代表、相关部门）协调解决。涉及收费标准、违规收费的，可向区县住房城乡建设部门投诉。',
  },
  {
    code: 'kb.event.noise_night',
    categoryCode: 'event.noise',
    title: '夜间施工或商铺噪声扰民如何反映',
    keywords: ['噪声', '噪音', '扰民', '夜间施工', '广场舞'],
    body:
      '夜间（22时至次日6时）未经许可的建筑施工噪声，可向区县住房城乡建设或生态环境部门反映；商铺、娱乐场所噪声由生态环境或综合执法部门处理；' +
      '邻里生活噪声可先由社区、网格员协调，必要时报警。坐席受理后将按噪声类型派单至对应部门，夜间施工会优先转办。',
  },
  {
    code: 'kb.component.streetlight',
    categoryCode: 'component.streetlight',
    title: '路灯不亮怎么报修',
    keywords: ['路灯', '不亮', '照明', '报修'],
    body:
      '请告知路灯所在道路名称、附近门牌号或路灯杆上的编号。市政道路路灯由区县城市管理部门负责维修，小区内路灯由物业负责。' +
      '坐席登记后将派单至路灯维护单位，一般在规定时限内修复并回复。也可通过“随手拍”上传照片和定位。',
  },
];

/** Writes the shipped articles that are missing (edited or deactivated rows are kept). */
export async function loadShippedArticles(db: Db): Promise<void> {
  for (const article of SHIPPED_ARTICLES) {
    await db
      .insertInto('knowledge_articles')
      .values({ code: article.code, category_code: article.categoryCode, title: article.title, body: article.body, keywords: article.keywords.join(' ') })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}
