import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import * as OpenCC from 'opencc-js';
import { makeCreditCode, organisationCodeCheckCharacter, residentIdCheckCharacter, CREDIT_CODE_CHARSET } from '../../platform/identity/index.ts';
import { pickFullName } from '../demo/names.ts';
import { Random, weightedTable } from '../demo/random.ts';
import { EXTRACT_COLUMNS, EXTRACT_KINDS, type ExtractKind } from './extracts.ts';
import { DEFAULT_RULE_PARAMETERS, type RuleCode } from './rules.ts';

/** Options of the generator: the size of the roll and, optionally, of each other extract. */
export interface ExtractGeneratorOptions {
  insured: number;
  seed?: number;
  /** `YYYY-MM-DD`; the truth holds for a comparison run at this date with the default rule parameters. */
  asOf?: string;
  /** Rows of each other extract; each defaults to its share of `insured` in {@link DEFAULT_EXTRACT_SHARES}. Approximate: drawn per person. */
  deaths?: number;
  prisoners?: number;
  payrollRows?: number;
  hospitalRows?: number;
  /** People receiving social assistance (rows of the assistance extract). */
  assistance?: number;
  businesses?: number;
  /**
   * Also make the cases only a fuzzy linking stage can resolve: IDs two edits off, and single-edit typos
   * together with a homophone or traditional-character name. Their truth entries carry `needsFuzzy`;
   * their decoys (an insured worker whose mistyped ID and variant name would make them look uninsured)
   * are wrong only without that stage.
   */
  fuzzyCases?: boolean;
}

/** One suspicion a correct comparison must raise: the rule and the person's 18-character ID. */
export interface TruthEntry {
  rule: RuleCode;
  idNumber: string;
  /** Set when only the fuzzy linking stage can find it (see {@link ExtractGeneratorOptions.fuzzyCases}). */
  needsFuzzy?: boolean;
}

/** Generated extracts as CSV text (UTF-8, header first) with the suspicions they contain. */
export interface GeneratedExtracts {
  asOf: string;
  files: Record<ExtractKind, string>;
  truth: TruthEntry[];
}

/** One generated row of an extract, or one truth entry. */
export type GeneratedItem = { kind: ExtractKind; cells: string[] } | { truth: TruthEntry };

/** As-of date of generated extracts unless one is given. */
export const DEFAULT_GENERATOR_AS_OF = '2024-06-15';

/**
 * Rows of each extract per insured person when not given. Richer in cases than a real city (the bench
 * passes the sizes instead) so that 100,000 insured people give every rule a few hundred cases.
 */
export const DEFAULT_EXTRACT_SHARES = { deaths: 0.012, prisoners: 0.005, payrollRows: 0.19, hospitalRows: 0.04, assistance: 0.04, businesses: 0.015 } as const;

// Chongqing's districts and counties, plus two older codes its IDs still carry (綦江县, and a Sichuan one from before 1997).
const AREA_CODES = [
  '500101', '500102', '500103', '500104', '500105', '500106', '500107', '500108', '500109', '500110', '500111', '500112', '500113',
  '500114', '500115', '500116', '500117', '500118', '500119', '500120', '500151', '500152', '500153', '500154', '500155', '500156',
  '500229', '500230', '500231', '500233', '500235', '500236', '500237', '500238', '500240', '500241', '500242', '500243', '500222', '510212',
];
const REGION_OF_OLD_CODE: Readonly<Record<string, string>> = { '500222': '500110', '510212': '500106' };
const STATUS_TABLE = weightedTable([['领取待遇', 0.3], ['参保缴费', 0.62], ['暂停', 0.03], ['终止', 0.05]] as const);
const EMPLOYEE_SCHEME = '城镇职工基本养老保险';
const RESIDENT_SCHEME = '城乡居民基本养老保险';
const DEATH_SOURCES = ['公安户籍注销', '医院死亡证明', '殡葬火化'];
const ASSISTANCE_CATEGORIES = weightedTable([['低保', 0.7], ['特困', 0.15], ['临时救助', 0.15]] as const);
const MONTHLY_ASSISTANCE_YUAN: Readonly<Record<string, readonly [number, number]>> = { 低保: [400, 700], 特困: [800, 1_100], 临时救助: [300, 600] };
const BUSINESS_STATUSES = weightedTable([['存续', 0.7], ['在业', 0.1], ['注销', 0.15], ['吊销', 0.05]] as const);
const BUSINESS_SUFFIXES = ['商贸有限公司', '建筑劳务有限公司', '餐饮店', '科技有限公司', '物流有限公司', '农业专业合作社', '汽车维修部', '装饰工程有限公司'];
const DAY_MS = 86_400_000;
const EPOCH_MS = Date.UTC(1900, 0, 1);
const DAYS_COVERED = 47_500;

/**
 * Homophones clerks write for one another (same pinyin, the tone may differ), for the surnames and
 * given-name characters the demo names use. Curated by hand for this generator.
 */
const HOMOPHONES: Readonly<Record<string, string>> = {
  张: '章', 陈: '晨', 刘: '留', 李: '理', 王: '汪', 杨: '阳', 黄: '皇', 周: '州', 吴: '伍', 罗: '萝', 何: '和', 谭: '潭', 唐: '堂', 胡: '湖',
  徐: '许', 蒋: '江', 赵: '照', 曾: '增', 谢: '泄', 肖: '萧', 袁: '元', 余: '于', 向: '相', 朱: '珠', 田: '甜', 冯: '峰',
  建: '健', 国: '果', 华: '桦', 明: '铭', 军: '君', 平: '萍', 德: '得', 福: '富', 成: '诚', 林: '琳', 强: '墙', 文: '雯', 志: '智',
  勇: '永', 贵: '桂', 富: '福', 荣: '蓉', 清: '青', 金: '今', 才: '财', 光: '广', 永: '勇', 生: '升', 伟: '玮', 红: '宏', 兵: '冰',
  忠: '中', 良: '梁', 正: '政', 东: '冬', 秀: '绣', 英: '瑛', 兰: '岚', 芳: '方', 珍: '真', 玉: '钰', 凤: '峰', 桂: '贵', 淑: '书',
  群: '裙', 霞: '侠', 萍: '平', 敏: '民', 丽: '莉', 燕: '艳', 梅: '玫', 琴: '勤', 莉: '丽', 容: '荣', 碧: '璧', 惠: '慧', 蓉: '容',
  菊: '桔', 浩: '昊', 宇: '雨', 轩: '萱', 俊: '峻', 杰: '洁', 涛: '滔', 鹏: '朋', 磊: '蕾', 晨: '辰', 博: '波', 睿: '瑞', 子: '紫',
  梓: '紫', 皓: '浩', 航: '杭', 一: '依', 嘉: '佳', 豪: '毫', 宏: '红', 锐: '瑞', 鑫: '欣', 然: '冉', 泽: '则', 阳: '杨', 洋: '扬',
  辰: '晨', 瑞: '睿', 毅: '义', 婷: '亭', 欣: '馨', 怡: '宜', 佳: '嘉', 雨: '宇', 思: '丝', 琳: '林', 颖: '影', 晓: '小', 梦: '孟',
  诗: '师', 涵: '寒', 萱: '轩', 悦: '月', 可: '柯', 馨: '欣', 月: '悦', 倩: '茜', 瑶: '遥', 璐: '露', 雯: '文', 蕾: '磊', 雅: '亚', 静: '婧',
};
const TO_TRADITIONAL = OpenCC.Converter({ from: 'cn', to: 'tw' });

interface Person {
  id: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  status: string;
  scheme: string;
  monthlyCents: number;
  benefitStart: string;
}

/** How a person's ID reaches an extract: as issued, or with the corruption clerks add. */
type IdWriting = 'clean' | 'noise' | 'legacy15' | 'typo' | 'typo15' | 'twoEdits' | 'missing';

/**
 * Makes all seven extracts of any size, row by row, with known truth, deterministic for a seed.
 * Truth comes from how each case is constructed, never from the engine; each rule also gets decoys
 * that must not be raised. The corruption is what clerks produce: IDs with full-width digits, stray
 * spaces, lower-case x, in the 15-digit legacy form, with one digit wrong or two swapped, or missing;
 * names with stray spaces, homophones or traditional characters. A case whose linking needs more than
 * the exact and single-edit repair stages (a typo together with a variant name, two edits) is made only
 * with `fuzzyCases`. Memory stays flat whatever the size, so the bench can write 26 million people.
 */
export function* generateExtractRows(options: ExtractGeneratorOptions): Generator<GeneratedItem> {
  const asOf = options.asOf ?? DEFAULT_GENERATOR_AS_OF;
  const random = new Random(options.seed ?? 2024);
  const people = new PersonFactory(random, asOf);
  const rates = ratesOf(options);
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const asOfMonth = monthIndexOf(asOf);
  const isFuzzy = options.fuzzyCases === true;
  const parameters = DEFAULT_RULE_PARAMETERS;
  const employers = Array.from({ length: Math.max(20, Math.ceil((rates.payrollRows * options.insured) / 200)) }, () => makeEmployer(random));
  const pickEmployer = () => random.pick(employers);
  let households = 0;

  // The ID as written in an extract, and the name, for one person's row.
  const written = (person: Pick<Person, 'id'>, writing: IdWriting) => writeId(random, person.id, writing);
  const nameAsWritten = (name: string, canVary: boolean) => (canVary && random.chance(0.03) ? varyName(random, name) : random.chance(0.01) ? spaced(random, name) : name);
  /** A corruption for a row of someone on the roll: anything the exact and repair stages see through. */
  const rollWriting = (person: Pick<Person, 'birthDate'>): IdWriting => {
    const roll = random.next();
    if (roll < 0.04) return 'typo';
    if (roll < 0.05 && person.birthDate < '2000') return 'typo15';
    if (roll < 0.1 && person.birthDate < '2000') return 'legacy15';
    if (roll < 0.16) return 'noise';
    return 'clean';
  };
  /** A truth case only the fuzzy stage can link: two edits, or a typo with a variant name. */
  const fuzzyWriting = (name: string): { writing: IdWriting; name: string } =>
    random.chance(0.5) ? { writing: 'twoEdits', name } : { writing: 'typo', name: varyName(random, name) };

  for (let index = 0; index < options.insured; index++) {
    const person = people.insured();
    const isDrawing = person.status === '领取待遇';
    yield { kind: 'insured', cells: insuredCells(person, writeId(random, person.id, random.chance(0.06) ? 'noise' : 'clean'), random.chance(0.01) ? spaced(random, person.name) : person.name) };
    const drawingDays = isDrawing ? Math.floor((asOfMs - Date.parse(`${person.benefitStart}T00:00:00Z`)) / DAY_MS) : 0;

    // The roll's own cases: deaths and prison terms of people drawing, and second enrolments.
    if (isDrawing && drawingDays > 120) {
      const roll = random.next();
      let threshold = 0;
      const next = (probability: number) => roll < (threshold += probability);
      if (next(rates.deathTruth)) {
        const deathDate = isoDate(asOfMs - random.int(1, Math.min(drawingDays - 1, 1_100)) * DAY_MS);
        if (isFuzzy && random.chance(0.15)) {
          const { writing, name } = fuzzyWriting(person.name);
          yield { kind: 'deaths', cells: [written(person, writing), name, deathDate, random.pick(DEATH_SOURCES)] };
          yield { truth: { rule: 'DECEASED_DRAWING', idNumber: person.id, needsFuzzy: true } };
        } else {
          const writing = rollWriting(person);
          // The civil registry sometimes holds another written name (a typo, a former name): only an exact ID links it then.
          const name = isMistyped(writing) ? nameAsWritten(person.name, false) : random.chance(0.03) ? people.anyName(person) : nameAsWritten(person.name, true);
          yield { kind: 'deaths', cells: [written(person, writing), name, deathDate, random.pick(DEATH_SOURCES)] };
          yield { truth: { rule: 'DECEASED_DRAWING', idNumber: person.id } };
        }
      } else if (next(rates.deathOnAsOf)) {
        yield { kind: 'deaths', cells: [written(person, rollWriting(person)), person.name, asOf, random.pick(DEATH_SOURCES)] };
      } else if (next(rates.deathNamesake)) {
        // A death with no ID under the name of someone drawing: nothing safe links it, so nothing is raised.
        yield { kind: 'deaths', cells: ['', person.name, isoDate(asOfMs - random.int(30, 900) * DAY_MS), random.pick(DEATH_SOURCES)] };
      } else if (next(rates.prisonTruth) && drawingDays > 100) {
        // Serves at least two whole months while drawing (start ≥ 65 days before the as-of date, term ≥ 2 months).
        const start = isoDate(asOfMs - random.int(65, Math.min(drawingDays - 35, 3_000)) * DAY_MS);
        const end = random.chance(0.4) ? '' : addMonths(start, random.int(2, 36));
        if (isFuzzy && random.chance(0.15)) {
          const { writing, name } = fuzzyWriting(person.name);
          yield { kind: 'prison', cells: [written(person, writing), name, start, end] };
          yield { truth: { rule: 'IMPRISONED_DRAWING', idNumber: person.id, needsFuzzy: true } };
        } else {
          const writing = rollWriting(person);
          yield { kind: 'prison', cells: [written(person, writing), nameAsWritten(person.name, !isMistyped(writing)), start, end] };
          yield { truth: { rule: 'IMPRISONED_DRAWING', idNumber: person.id } };
        }
      } else if (next(rates.prisonBeforePension)) {
        const start = addMonths(person.benefitStart, -random.int(30, 60));
        yield { kind: 'prison', cells: [written(person, rollWriting(person)), person.name, start, addMonths(start, random.int(3, 24))] };
      } else if (next(rates.prisonShort)) {
        const month = addMonths(person.benefitStart, 1);
        yield { kind: 'prison', cells: [written(person, rollWriting(person)), person.name, `${month.slice(0, 8)}05`, `${month.slice(0, 8)}20`] };
      }
      const duplicate = random.next();
      if (duplicate < 0.01) {
        const isDrawingTwice = duplicate < 0.006;
        const second: Person = { ...person, status: isDrawingTwice ? '领取待遇' : '终止', benefitStart: addMonths(person.benefitStart, random.int(0, 24)) };
        if (second.benefitStart > asOf) second.benefitStart = person.benefitStart;
        yield { kind: 'insured', cells: insuredCells(second, writeId(random, person.id, 'legacy15'), person.name) };
        if (isDrawingTwice) yield { truth: { rule: 'DUPLICATE_BENEFIT', idNumber: person.id } };
      }
    } else if (!isDrawing) {
      // Deaths and prison terms of people not drawing: linked, and rightly not raised.
      if (random.chance(rates.deathOther)) yield { kind: 'deaths', cells: [written(person, rollWriting(person)), person.name, isoDate(asOfMs - random.int(1, 2_000) * DAY_MS), random.pick(DEATH_SOURCES)] };
      else if (random.chance(rates.prisonOther)) {
        const start = isoDate(asOfMs - random.int(100, 2_000) * DAY_MS);
        yield { kind: 'prison', cells: [written(person, rollWriting(person)), person.name, start, random.chance(0.5) ? '' : addMonths(start, random.int(2, 60))] };
      }
    }

    // Workers on the roll: never uninsured, however their ID was typed.
    const isWorkingAge = person.status === '参保缴费';
    if (isWorkingAge && random.chance(rates.insuredWorker)) {
      const employer = pickEmployer();
      const months = monthsBack(random, random.int(1, 8), 8);
      let writing: IdWriting = rollWriting(person);
      let name = isMistyped(writing) ? nameAsWritten(person.name, false) : nameAsWritten(person.name, true);
      if (isFuzzy && random.chance(0.03)) ({ writing, name } = { writing: person.birthDate < '2000' ? 'typo15' : 'typo', name: varyName(random, person.name) });
      // An HR record is typed once and paid from every month, so the same corrupted ID recurs.
      const id = written(person, writing);
      for (const month of months) {
        const monthId = writing === 'clean' && random.chance(0.01) ? written(person, 'typo') : id;
        yield { kind: 'payroll', cells: payrollCells(employer, monthId, name, asOfMonth - month, wage(random)) };
      }
    }

    // Uninsured workers, not on the roll: the truth of UNINSURED_EMPLOYED and its decoys.
    if (random.chance(rates.uninsuredTruth)) {
      const worker = people.outsider(random.int(18, 59));
      const employer = pickEmployer();
      const inWindow = monthsBack(random, random.int(parameters.employedMinimumMonths, parameters.employedWindowMonths), parameters.employedWindowMonths);
      const older = random.chance(0.3) ? [parameters.employedWindowMonths + 1] : [];
      const writing: IdWriting = random.chance(0.05) && worker.birthDate < '2000' ? 'legacy15' : random.chance(0.1) ? 'noise' : 'clean';
      const id = written(worker, writing);
      // Sometimes one month's row is mistyped: repaired from the employer's other rows for this worker.
      const mistyped = random.chance(0.1) ? random.pick(inWindow) : -1;
      for (const month of [...inWindow, ...older]) {
        yield { kind: 'payroll', cells: payrollCells(employer, month === mistyped ? written(worker, 'typo') : id, worker.name, asOfMonth - month, wage(random)) };
      }
      yield { truth: { rule: 'UNINSURED_EMPLOYED', idNumber: worker.id } };
    }
    if (random.chance(rates.uninsuredDecoy)) {
      const worker = people.outsider(random.int(18, 59));
      const id = written(worker, random.chance(0.1) ? 'noise' : 'clean');
      const shape = random.int(0, 2);
      // Too few months in the window; or months mostly before it (and in the as-of month); or split between two employers.
      const plan: [Employer, number][] =
        shape === 0
          ? monthsBack(random, parameters.employedMinimumMonths - 1, parameters.employedWindowMonths).map((month) => [employers[0]!, month])
          : shape === 1
            ? [...monthsBack(random, parameters.employedMinimumMonths - 1, parameters.employedWindowMonths), 0, parameters.employedWindowMonths + 1, parameters.employedWindowMonths + 2].map((month) => [employers[1]!, month])
            : [1, 2, 3, 4].map((month) => [month <= 2 ? employers[2]! : employers[3]!, month]);
      for (const [employer, month] of plan) yield { kind: 'payroll', cells: payrollCells(employer, id, worker.name, asOfMonth - month, wage(random)) };
    }

    // Households receiving assistance, headed by this person: ASSISTANCE_WITH_BUSINESS and ILLNESS_POVERTY_RISK.
    const isAssisted = person.status !== '终止' && random.chance(rates.household);
    if (isAssisted) {
      households += 1;
      const householdId = `H${String(households).padStart(8, '0')}`;
      const category = random.weighted(ASSISTANCE_CATEGORIES);
      const [low, high] = MONTHLY_ASSISTANCE_YUAN[category]!;
      const size = random.weighted(HOUSEHOLD_SIZES);
      const members: { person: Person; isOnRoll: boolean; monthlyCents: number }[] = [{ person, isOnRoll: true, monthlyCents: random.int(low, high) * 100 }];
      for (let i = 1; i < size; i++) members.push({ person: people.outsider(random.int(1, 85)), isOnRoll: false, monthlyCents: random.int(low, high) * 100 });
      const annualCents = 12 * members.reduce((sum, member) => sum + member.monthlyCents, 0);
      const start = isoDate(asOfMs - random.int(60, 2_500) * DAY_MS);
      for (const member of members) {
        const writing = member.isOnRoll ? rollWriting(member.person) : random.chance(0.1) ? 'noise' : 'clean';
        yield {
          kind: 'assistance',
          cells: [written(member.person, writing), nameAsWritten(member.person.name, !isMistyped(writing)), householdId, category, yuan(member.monthlyCents), start],
        };
      }

      // A business in the name of a member (the head usually): raised only for 低保 and an active business above the capital threshold.
      const owner = random.chance(0.8) ? members[0]! : random.pick(members);
      const ownerWriting = (): IdWriting => (owner.isOnRoll ? rollWriting(owner.person) : random.chance(0.1) ? 'noise' : 'clean');
      const threshold = parameters.businessCapitalThresholdCents;
      const businessRoll = random.next();
      if (category === '低保' && businessRoll < 0.1) {
        const capital = Math.round(threshold * random.between(1.5, 20) / 100) * 100;
        if (isFuzzy && owner.isOnRoll && random.chance(0.15)) {
          const { writing, name } = fuzzyWriting(owner.person.name);
          yield { kind: 'business', cells: businessCells(random, written(owner.person, writing), name, capital, random.pick(['存续', '在业']), asOfMs) };
          yield { truth: { rule: 'ASSISTANCE_WITH_BUSINESS', idNumber: owner.person.id, needsFuzzy: true } };
        } else {
          const writing = ownerWriting();
          yield { kind: 'business', cells: businessCells(random, written(owner.person, writing), nameAsWritten(owner.person.name, !isMistyped(writing)), capital, random.pick(['存续', '在业']), asOfMs) };
          yield { truth: { rule: 'ASSISTANCE_WITH_BUSINESS', idNumber: owner.person.id } };
        }
      } else if (businessRoll < 0.2) {
        // Decoys: closed, too small, not 低保, or a namesake's business.
        const kind = category === '低保' ? random.int(0, 2) : 3;
        const capital = kind === 1 ? (random.chance(0.3) ? threshold : Math.round(threshold * random.between(0.1, 0.95) / 100) * 100) : Math.round(threshold * random.between(1.5, 20) / 100) * 100;
        const status = kind === 0 ? random.pick(['注销', '吊销']) : '存续';
        const holder = kind === 2 ? people.outsider(random.int(25, 70), owner.person.name) : owner.person;
        yield { kind: 'business', cells: businessCells(random, written(holder, kind === 2 ? 'clean' : ownerWriting()), holder.name, capital, status, asOfMs) };
      }

      // Hospital stays of a member: raised when the last 12 months' out-of-pocket cost is above both thresholds.
      const patient = random.chance(0.7) ? members[0]! : random.pick(members);
      const bar = Math.max(parameters.illnessOutOfPocketThresholdCents, parameters.illnessAssistanceMultiple * annualCents);
      const illnessRoll = random.next();
      const stays = (total: number, isRecent: boolean, writing: () => { writing: IdWriting; name: string }) => {
        const count = random.int(1, 3);
        const rows: string[][] = [];
        let left = total;
        for (let i = 0; i < count; i++) {
          const outOfPocket = i === count - 1 ? left : Math.round((total / count) * random.between(0.6, 1.0));
          left -= outOfPocket;
          const discharge = isRecent ? asOfMs - random.int(3, parameters.illnessWindowMonths * 30 - 10) * DAY_MS : asOfMs - random.int(parameters.illnessWindowMonths * 31 + 10, 600) * DAY_MS;
          const { writing: idWriting, name } = writing();
          rows.push(hospitalCells(written(patient.person, idWriting), name, discharge - random.int(3, 30) * DAY_MS, discharge, outOfPocket, random.between(0.3, 0.7)));
        }
        return rows;
      };
      const patientWriting = () => {
        const writing: IdWriting = patient.isOnRoll ? rollWriting(patient.person) : random.chance(0.1) ? 'noise' : 'clean';
        return { writing, name: nameAsWritten(patient.person.name, !isMistyped(writing)) };
      };
      if (illnessRoll < 0.08) {
        const total = Math.round(bar * random.between(1.2, 3));
        const needsFuzzy = isFuzzy && patient.isOnRoll && random.chance(0.15);
        for (const cells of stays(total, true, needsFuzzy ? () => fuzzyWriting(patient.person.name) : patientWriting)) yield { kind: 'hospital', cells };
        yield { truth: needsFuzzy ? { rule: 'ILLNESS_POVERTY_RISK', idNumber: patient.person.id, needsFuzzy } : { rule: 'ILLNESS_POVERTY_RISK', idNumber: patient.person.id } };
      } else if (illnessRoll < 0.11) {
        for (const cells of stays(Math.round(bar * random.between(1.2, 3)), false, patientWriting)) yield { kind: 'hospital', cells };
      } else if (illnessRoll < 0.14) {
        const ceiling = bar === parameters.illnessOutOfPocketThresholdCents || random.chance(0.5) ? parameters.illnessOutOfPocketThresholdCents : bar;
        for (const cells of stays(Math.round(ceiling * random.between(0.5, 0.95)), true, patientWriting)) yield { kind: 'hospital', cells };
      }
    } else {
      // Everyone else: ordinary stays (some costly, never raised without a household in assistance) and businesses.
      if (random.chance(rates.hospitalStay)) {
        const count = random.weighted(STAY_COUNTS);
        for (let i = 0; i < count; i++) {
          const discharge = asOfMs - random.int(3, 700) * DAY_MS;
          const outOfPocket = Math.round(Math.exp(random.normal(8.3, 1.2)) * 100);
          const writing = rollWriting(person);
          yield { kind: 'hospital', cells: hospitalCells(written(person, writing), nameAsWritten(person.name, !isMistyped(writing)), discharge - random.int(1, 20) * DAY_MS, discharge, outOfPocket, random.between(0.2, 0.6)) };
        }
      }
      if (isWorkingAge && random.chance(rates.business)) {
        const capital = Math.round(Math.exp(random.normal(12.5, 1.5))) * 100;
        const writing = rollWriting(person);
        yield { kind: 'business', cells: businessCells(random, written(person, writing), nameAsWritten(person.name, !isMistyped(writing)), capital, random.weighted(BUSINESS_STATUSES), asOfMs) };
      }
    }

    // People outside the roll appear in the other extracts too.
    if (random.chance(rates.outsiderDeath)) {
      const outsider = people.outsider(random.int(0, 100));
      yield { kind: 'deaths', cells: [written(outsider, random.chance(0.1) ? 'noise' : 'clean'), outsider.name, isoDate(asOfMs - random.int(1, 2_000) * DAY_MS), random.pick(DEATH_SOURCES)] };
    }
    if (random.chance(rates.outsiderPrison)) {
      const outsider = people.outsider(random.int(18, 70));
      yield { kind: 'prison', cells: [written(outsider, 'clean'), outsider.name, isoDate(asOfMs - random.int(100, 2_000) * DAY_MS), ''] };
    }
    if (random.chance(rates.outsiderHospital)) {
      const outsider = people.outsider(random.int(0, 90));
      const discharge = asOfMs - random.int(3, 700) * DAY_MS;
      yield { kind: 'hospital', cells: hospitalCells(written(outsider, random.chance(0.05) ? 'missing' : 'clean'), outsider.name, discharge - random.int(1, 20) * DAY_MS, discharge, Math.round(Math.exp(random.normal(8.3, 1.2)) * 100), 0.4) };
    }
  }
}

/** Makes the extracts in memory as CSV text with their truth; for tests and small runs (see {@link writeExtractFiles} for large ones). */
export function generateExtracts(options: ExtractGeneratorOptions): GeneratedExtracts {
  const lines = Object.fromEntries(EXTRACT_KINDS.map((kind) => [kind, [fastCsvLine(EXTRACT_COLUMNS[kind])]])) as Record<ExtractKind, string[]>;
  const truth: TruthEntry[] = [];
  for (const item of generateExtractRows(options)) {
    if ('truth' in item) truth.push(item.truth);
    else lines[item.kind].push(fastCsvLine(item.cells));
  }
  const files = Object.fromEntries(EXTRACT_KINDS.map((kind) => [kind, lines[kind].join('')])) as Record<ExtractKind, string>;
  return { asOf: options.asOf ?? DEFAULT_GENERATOR_AS_OF, files, truth };
}

/** Paths of the files written: one per extract kind, and truth.csv (rule,id_number,needs_fuzzy). */
export type GeneratedPaths = Record<ExtractKind | 'truth', string>;

/** Writes generated extracts as `<kind>.csv` and truth.csv into `directory`. */
export async function writeGeneratedExtracts(directory: string, generated: GeneratedExtracts): Promise<GeneratedPaths> {
  await fs.promises.mkdir(directory, { recursive: true });
  const paths = pathsIn(directory);
  for (const kind of EXTRACT_KINDS) await fs.promises.writeFile(paths[kind], generated.files[kind]);
  await fs.promises.writeFile(paths.truth, fastCsvLine(TRUTH_HEADER) + generated.truth.map(truthLine).join(''));
  return paths;
}

/**
 * Generates and writes the extracts into `directory` as a stream, in constant memory (the bench's
 * 26.64 million insured people make a 3 GB roll). Returns the paths and the rows written per file.
 */
export async function writeExtractFiles(directory: string, options: ExtractGeneratorOptions): Promise<{ asOf: string; paths: GeneratedPaths; rows: Record<ExtractKind | 'truth', number> }> {
  await fs.promises.mkdir(directory, { recursive: true });
  const paths = pathsIn(directory);
  const outputs = Object.fromEntries(
    [...EXTRACT_KINDS, 'truth' as const].map((kind) => [kind, new BufferedFile(paths[kind], fastCsvLine(kind === 'truth' ? TRUTH_HEADER : EXTRACT_COLUMNS[kind]))]),
  ) as Record<ExtractKind | 'truth', BufferedFile>;
  for (const item of generateExtractRows(options)) {
    const isTruth = 'truth' in item;
    const output = outputs[isTruth ? 'truth' : item.kind];
    const pending = output.add(isTruth ? truthLine(item.truth) : fastCsvLine(item.cells));
    if (pending) await pending;
  }
  const rows = {} as Record<ExtractKind | 'truth', number>;
  for (const [kind, output] of Object.entries(outputs) as [ExtractKind | 'truth', BufferedFile][]) rows[kind] = await output.close();
  return { asOf: options.asOf ?? DEFAULT_GENERATOR_AS_OF, paths, rows };
}

const TRUTH_HEADER = ['rule', 'id_number', 'needs_fuzzy'];
const truthLine = (entry: TruthEntry) => fastCsvLine([entry.rule, entry.idNumber, entry.needsFuzzy ? 'true' : '']);
const pathsIn = (directory: string) => Object.fromEntries([...EXTRACT_KINDS, 'truth'].map((kind) => [kind, path.join(directory, `${kind}.csv`)])) as GeneratedPaths;

/** Lines gathered into ~1 MB writes, waiting for the disk when the stream's buffer is full. */
class BufferedFile {
  #stream: fs.WriteStream;
  #chunk: string[] = [];
  #size = 0;
  #rows = 0;

  constructor(file: string, header: string) {
    this.#stream = fs.createWriteStream(file);
    this.#chunk.push(header);
  }

  /** Adds a line; returns a promise only when the caller must wait for the disk. */
  add(line: string): Promise<unknown> | undefined {
    this.#chunk.push(line);
    this.#rows += 1;
    this.#size += line.length;
    if (this.#size < 1 << 20) return undefined;
    return this.#flush();
  }

  async close(): Promise<number> {
    await this.#flush();
    this.#stream.end();
    await once(this.#stream, 'close');
    return this.#rows;
  }

  #flush(): Promise<unknown> | undefined {
    const text = this.#chunk.join('');
    this.#chunk = [];
    this.#size = 0;
    return this.#stream.write(text) ? undefined : once(this.#stream, 'drain');
  }
}

/** One CSV line (RFC 4180, CRLF). Generated cells are plain text, so quoting is rarely needed and checked cheaply. */
function fastCsvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const needsQuotes = cell.includes(',') || cell.includes('"') || cell.includes('\n');
    line += (i === 0 ? '' : ',') + (needsQuotes ? `"${cell.replaceAll('"', '""')}"` : cell);
  }
  return `${line}\r\n`;
}

const HOUSEHOLD_SIZES = weightedTable([[1, 0.4], [2, 0.3], [3, 0.2], [4, 0.1]] as const);
const STAY_COUNTS = weightedTable([[1, 0.8], [2, 0.15], [3, 0.05]] as const);

/** Per-person probabilities that give each extract its requested size. */
function ratesOf(options: ExtractGeneratorOptions) {
  const n = Math.max(1, options.insured);
  const share = (count: number | undefined, fallback: number) => (count ?? fallback * n) / n;
  const deaths = share(options.deaths, DEFAULT_EXTRACT_SHARES.deaths);
  const prisoners = share(options.prisoners, DEFAULT_EXTRACT_SHARES.prisoners);
  const payroll = share(options.payrollRows, DEFAULT_EXTRACT_SHARES.payrollRows);
  const hospital = share(options.hospitalRows, DEFAULT_EXTRACT_SHARES.hospitalRows);
  const assistance = share(options.assistance, DEFAULT_EXTRACT_SHARES.assistance);
  const businesses = share(options.businesses, DEFAULT_EXTRACT_SHARES.businesses);
  // Shares of the population: drawing 30 %, contributing 62 %, others 8 %. Workers average ~4.5 payroll rows.
  const drawing = 0.3;
  const workers = payroll / 4.5;
  const households = assistance / 2;
  return {
    payrollRows: payroll,
    deathTruth: (0.3 * deaths) / drawing,
    deathOnAsOf: (0.03 * deaths) / drawing,
    deathNamesake: (0.02 * deaths) / drawing,
    deathOther: (0.45 * deaths) / (1 - drawing),
    outsiderDeath: 0.2 * deaths,
    prisonTruth: (0.45 * prisoners) / drawing,
    prisonBeforePension: (0.08 * prisoners) / drawing,
    prisonShort: (0.07 * prisoners) / drawing,
    prisonOther: (0.25 * prisoners) / (1 - drawing),
    outsiderPrison: 0.15 * prisoners,
    insuredWorker: Math.min(1, (0.8 * workers) / 0.62),
    uninsuredTruth: 0.12 * workers,
    uninsuredDecoy: 0.08 * workers,
    household: Math.min(1, households / 0.95),
    // Assisted households yield ~0.25 stays each; the rest of the extract is ordinary stays (1.25 per patient).
    hospitalStay: Math.max(0, (0.85 * hospital - 0.25 * households) / 1.25),
    outsiderHospital: 0.15 * hospital,
    business: Math.max(0, (businesses - 0.15 * households) / 0.62),
  };
}

/** Makes people with IDs unique by construction: a sequence counter per district, birth date and sex, no set of used IDs. */
class PersonFactory {
  #random: Random;
  #asOfYear: number;
  #asOfMs: number;
  #taken = new Uint16Array(AREA_CODES.length * DAYS_COVERED * 2);

  constructor(random: Random, asOf: string) {
    this.#random = random;
    this.#asOfYear = Number(asOf.slice(0, 4));
    this.#asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  }

  /** Someone on the insured roll, with a status, a scheme and, when drawing, a pension. */
  insured(): Person {
    const random = this.#random;
    const status = random.weighted(STATUS_TABLE);
    const isDrawing = status === '领取待遇' || (status === '终止' && random.chance(0.5));
    const base = isDrawing ? this.#person(random.int(61, 94)) : this.#person(random.int(18, 59));
    const isEmployee = random.chance(0.7);
    const sixtieth = `${Number(base.birthDate.slice(0, 4)) + 60}${base.birthDate.slice(4, 7)}-01`;
    return {
      ...base,
      status,
      scheme: isEmployee ? EMPLOYEE_SCHEME : RESIDENT_SCHEME,
      monthlyCents: isDrawing ? Math.round(isEmployee ? clamp(random.normal(3_000, 700), 1_800, 5_500) * 100 : random.int(130, 400) * 100) : 0,
      benefitStart: isDrawing ? addMonths(sixtieth, 1) : '',
    };
  }

  /** Someone not on the roll, `age` years old at the as-of date; `name` gives a namesake. */
  outsider(age: number, name?: string): Person {
    const base = this.#person(age);
    return { ...base, name: name ?? base.name, status: '', scheme: '', monthlyCents: 0, benefitStart: '' };
  }

  /** Another plausible name for the same sex and generation. */
  anyName(person: Pick<Person, 'gender' | 'birthDate'>): string {
    return pickFullName(this.#random, person.gender, Number(person.birthDate.slice(0, 4)));
  }

  #person(age: number): Pick<Person, 'id' | 'name' | 'gender' | 'birthDate'> {
    const random = this.#random;
    for (;;) {
      const gender = random.chance(0.5) ? 'male' : 'female';
      const year = this.#asOfYear - age - 1;
      const birthMs = Math.min(Date.UTC(year, 0, 1) + random.int(0, 364) * DAY_MS, this.#asOfMs - DAY_MS);
      const day = Math.floor((birthMs - EPOCH_MS) / DAY_MS);
      const area = random.int(0, AREA_CODES.length - 1);
      const slot = ((area * DAYS_COVERED + day) << 1) | (gender === 'male' ? 1 : 0);
      const taken = this.#taken[slot]!;
      // 500 order codes per sex; a full slot (unlikely below ~200 million people) draws again.
      if (day < 0 || day >= DAYS_COVERED || taken >= 500) continue;
      this.#taken[slot] = taken + 1;
      const order = ((taken * 173 + ((area * 7_919 + day * 31) % 500)) % 500) * 2 + (gender === 'male' ? 1 : 0);
      const birthDate = isoDate(birthMs);
      const first17 = AREA_CODES[area]! + birthDate.replaceAll('-', '') + String(order).padStart(3, '0');
      return { id: first17 + residentIdCheckCharacter(first17), gender, birthDate, name: pickFullName(random, gender, year) };
    }
  }
}

interface Employer {
  creditCode: string;
  name: string;
}

function makeEmployer(random: Random): Employer {
  const organisation8 = Array.from({ length: 8 }, () => CREDIT_CODE_CHARSET[random.int(0, 9)]).join('');
  const creditCode = makeCreditCode(`91${random.pick(AREA_CODES.slice(0, 26))}${organisation8}${organisationCodeCheckCharacter(organisation8)}`);
  return { creditCode, name: `重庆${random.pick(['渝', '巴', '嘉', '山', '江', '兴', '盛', '华'])}${random.pick(['达', '通', '和', '源', '恒', '信'])}${random.pick(BUSINESS_SUFFIXES)}` };
}

function insuredCells(person: Person, writtenId: string, name: string): string[] {
  const area = person.id.slice(0, 6);
  return [
    writtenId,
    name,
    person.gender === 'male' ? '男' : '女',
    person.birthDate,
    REGION_OF_OLD_CODE[area] ?? area,
    person.scheme,
    person.status,
    person.monthlyCents > 0 ? yuan(person.monthlyCents) : '',
    person.benefitStart,
  ];
}

function payrollCells(employer: Employer, writtenId: string, name: string, monthIndex: number, wageCents: number): string[] {
  return [employer.creditCode, employer.name, writtenId, name, `${Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`, yuan(wageCents)];
}

function hospitalCells(writtenId: string, name: string, admissionMs: number, dischargeMs: number, outOfPocketCents: number, outOfPocketShare: number): string[] {
  const total = Math.max(outOfPocketCents, Math.round(outOfPocketCents / outOfPocketShare));
  return [writtenId, name, isoDate(admissionMs), isoDate(dischargeMs), yuan(total), yuan(outOfPocketCents)];
}

function businessCells(random: Random, writtenId: string, name: string, capitalCents: number, status: string, asOfMs: number): string[] {
  const organisation8 = Array.from({ length: 8 }, () => CREDIT_CODE_CHARSET[random.int(0, 30)]).join('');
  const creditCode = makeCreditCode(`91${random.pick(AREA_CODES.slice(0, 26))}${organisation8}${organisationCodeCheckCharacter(organisation8)}`);
  const business = `${name.replace(/\s/gu, '').slice(0, 1)}${random.pick(['记', '氏', '家'])}${random.pick(BUSINESS_SUFFIXES)}`;
  return [creditCode, business, writtenId, name, yuan(capitalCents), isoDate(asOfMs - random.int(30, 5_000) * DAY_MS), status];
}

function wage(random: Random): number {
  return Math.round(clamp(random.normal(5_200, 1_800), 2_100, 20_000)) * 100;
}

/** `count` distinct months among the `span` whole months before the as-of month, as offsets (1 = last month), oldest first. */
function monthsBack(random: Random, count: number, span: number): number[] {
  return random.shuffle(Array.from({ length: span }, (_, i) => i + 1)).slice(0, Math.min(count, span)).sort((a, b) => b - a);
}

/** A mistyped ID is repaired only when the name agrees, so such rows keep the name as on the roll unless the fuzzy stage is meant to link them. */
function isMistyped(writing: IdWriting): boolean {
  return writing === 'typo' || writing === 'typo15';
}

/** The ID as a clerk wrote it. */
function writeId(random: Random, id: string, writing: IdWriting): string {
  switch (writing) {
    case 'clean':
      return id;
    case 'missing':
      return '';
    case 'legacy15':
      return id.startsWith('19', 6) ? noise(random, toId15(id)) : noise(random, id);
    case 'typo':
      return noise(random, oneEdit(random, id));
    case 'typo15':
      return oneEdit(random, id.startsWith('19', 6) ? toId15(id) : id);
    case 'twoEdits': {
      const first = random.int(0, 16);
      let second = random.int(0, 15);
      if (second >= first) second += 1;
      return substitute(random, substitute(random, id, first), second);
    }
    case 'noise':
      return noise(random, id, 1);
  }
}

/** One digit changed, or two adjacent different digits swapped, among the first 17 (or all 15). */
function oneEdit(random: Random, id: string): string {
  const digits = id.length === 18 ? 17 : id.length;
  const at = random.int(0, digits - 2);
  if (random.chance(0.3) && id[at] !== id[at + 1]) return id.slice(0, at) + id[at + 1] + id[at] + id.slice(at + 2);
  return substitute(random, id, at);
}

function substitute(random: Random, id: string, at: number): string {
  return id.slice(0, at) + String((Number(id[at]) + random.int(1, 9)) % 10) + id.slice(at + 1);
}

/** Full-width digits, stray spaces and a lower-case x; `strength` 1 makes at least one of them happen. */
function noise(random: Random, id: string, strength = 0): string {
  let written = id.endsWith('X') && random.chance(0.5) ? `${id.slice(0, -1)}x` : id;
  const kind = strength === 1 ? random.int(0, 1) : random.chance(0.06) ? random.int(0, 1) : -1;
  if (kind === 0) written = [...written].map((char) => (/\d/u.test(char) && random.chance(0.6) ? String.fromCodePoint(char.codePointAt(0)! + 0xfee0) : char)).join('');
  if (kind === 1) {
    const at = random.int(0, written.length);
    written = `${random.chance(0.5) ? ' ' : ''}${written.slice(0, at)}${random.pick([' ', '\u3000', ''])}${written.slice(at)}${random.chance(0.5) ? ' ' : ''}`;
  }
  return written;
}

/** A homophone for one character, or the traditional-character form of the name. */
function varyName(random: Random, name: string): string {
  const characters = [...name];
  const replaceable = characters.flatMap((char, index) => (HOMOPHONES[char] ? [index] : []));
  if (replaceable.length > 0 && random.chance(0.6)) {
    const at = random.pick(replaceable);
    characters[at] = HOMOPHONES[characters[at]!]!;
    return characters.join('');
  }
  const traditional = TO_TRADITIONAL(name);
  if (traditional !== name) return traditional;
  if (replaceable.length > 0) {
    const at = random.pick(replaceable);
    characters[at] = HOMOPHONES[characters[at]!]!;
    return characters.join('');
  }
  return name;
}

/** The name with a stray space (ASCII or ideographic) between surname and given name, or around it. */
function spaced(random: Random, name: string): string {
  const space = random.pick([' ', '\u3000']);
  return random.chance(0.5) ? `${name.slice(0, 1)}${space}${name.slice(1)}` : ` ${name}${space}`;
}

/** The legacy 15-digit form of an 18-digit ID of someone born in the 1900s. */
function toId15(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

function yuan(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

// Dates repeat (a few tens of thousands of days cover every birth, death and stay), and Date's
// formatting is the generator's largest cost at 26 million people: format each day once.
const ISO_DATES = new Map<number, string>();

function isoDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = ISO_DATES.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    ISO_DATES.set(day, text);
  }
  return text;
}

function monthIndexOf(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** Adds whole months to an ISO date, clamping the day to the target month's length. */
function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return isoDate(target.getTime());
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
