import { type Random, weightedTable } from './random.ts';

/**
 * Surnames with their approximate share (per cent) of Chongqing's population: the national top 100
 * re-weighted towards Chongqing, where 陈, 李 and 刘 lead and 谭, 冉, 向 and 牟 are far more common
 * than nationally. Shares are rounded estimates, good enough for plausible demo data.
 */
export const SURNAME_SHARES: readonly (readonly [string, number])[] = [
  ['陈', 6.6], ['李', 6.5], ['刘', 6.0], ['张', 5.8], ['王', 5.4], ['杨', 4.0], ['黄', 2.6], ['周', 2.4],
  ['何', 2.0], ['罗', 2.0], ['吴', 1.6], ['谭', 1.5], ['唐', 1.4], ['邓', 1.4], ['胡', 1.3], ['彭', 1.2],
  ['徐', 1.0], ['蒋', 1.0], ['赵', 1.0], ['曾', 0.9], ['谢', 0.9], ['肖', 0.9], ['袁', 0.9], ['余', 0.9],
  ['向', 0.8], ['熊', 0.8], ['朱', 0.8], ['田', 0.8], ['冯', 0.7], ['杜', 0.7], ['冉', 0.6], ['马', 0.6],
  ['郭', 0.6], ['梁', 0.6], ['任', 0.6], ['廖', 0.6], ['付', 0.6], ['孙', 0.5], ['高', 0.5], ['郑', 0.5],
  ['宋', 0.5], ['曹', 0.5], ['董', 0.5], ['程', 0.5], ['魏', 0.5], ['钟', 0.5], ['石', 0.5], ['邹', 0.5],
  ['雷', 0.5], ['林', 0.4], ['许', 0.4], ['潘', 0.4], ['蔡', 0.4], ['叶', 0.4], ['苏', 0.4], ['卢', 0.4],
  ['范', 0.4], ['夏', 0.4], ['秦', 0.4], ['邱', 0.4], ['江', 0.4], ['龙', 0.4], ['陶', 0.4], ['贺', 0.4],
  ['龚', 0.4], ['牟', 0.4], ['韩', 0.3], ['吕', 0.3], ['丁', 0.3], ['沈', 0.3], ['姚', 0.3], ['姜', 0.3],
  ['汪', 0.3], ['方', 0.3], ['白', 0.3], ['尹', 0.3], ['段', 0.3], ['黎', 0.3], ['毛', 0.3], ['万', 0.3],
  ['覃', 0.3], ['戴', 0.3], ['蒲', 0.3], ['于', 0.2], ['崔', 0.2], ['陆', 0.2], ['金', 0.2], ['贾', 0.2],
  ['孟', 0.2], ['薛', 0.2], ['侯', 0.2], ['史', 0.2], ['邵', 0.2], ['严', 0.2], ['莫', 0.2], ['汤', 0.2],
  ['韦', 0.1], ['闫', 0.1], ['顾', 0.1], ['郝', 0.1], ['钱', 0.1], ['武', 0.1], ['孔', 0.1], ['欧阳', 0.05],
];

const SURNAMES = weightedTable(SURNAME_SHARES);

// Given-name characters differ by generation: 建国 and 秀英 for the old, 浩宇 and 欣怡 for the young.
const MALE_OLD = [...'建国华明军平德福成林强文志勇贵富荣清金树才光永生伟红兵忠发海良正东'];
const MALE_YOUNG = [...'浩宇轩俊杰涛鹏磊晨博睿子梓皓航一嘉豪宏锐鑫然泽阳洋辰瑞文毅川'];
const FEMALE_OLD = [...'秀英兰芳珍华玉凤桂琼素淑群霞萍敏丽燕红梅琴莉容碧惠春蓉菊'];
const FEMALE_YOUNG = [...'婷雪欣怡佳雨思琳颖晓梦诗涵萱悦可馨月倩瑶璐雯蕾雅静'];
const BORN_YOUNG_FROM = 1980;

/** A surname drawn by the Chongqing shares. */
export function pickSurname(random: Random): string {
  return random.weighted(SURNAMES);
}

/** One or two given-name characters suited to the gender and the generation of the birth year. */
export function pickGivenName(random: Random, gender: 'male' | 'female', birthYear: number): string {
  const isYoung = birthYear >= BORN_YOUNG_FROM;
  const pool = gender === 'male' ? (isYoung ? MALE_YOUNG : MALE_OLD) : isYoung ? FEMALE_YOUNG : FEMALE_OLD;
  // Single-character given names were common before 1980 and are rarer since.
  const isSingle = random.chance(isYoung ? 0.12 : 0.3);
  return isSingle ? random.pick(pool) : random.pick(pool) + random.pick(pool);
}

/** A full name: a surname by the Chongqing shares and a given name for the gender and birth year. */
export function pickFullName(random: Random, gender: 'male' | 'female', birthYear: number): string {
  return pickSurname(random) + pickGivenName(random, gender, birthYear);
}

/** Two-character place roots for community, village and road names (…社区, …村, …路). */
const ROOT_FIRST = [...'松杨凤天石新民和兴龙金银双正春华光学团嘉康福安泰瑞祥青红白黄马高桂梨柏桃竹花云清'];
const ROOT_SECOND = [...'林坡桥湾坪坝园苑山岗溪门塘井堡沟台坎垭湖田庙寺亭寨店'];

/**
 * Distinct two-character place roots in a seeded order (松林, 凤坪, 石桥…); the order is a shuffle of
 * every combination, so the first n are unique and differ from seed to seed.
 */
export function placeRoots(random: Random): string[] {
  const all: string[] = [];
  for (const first of ROOT_FIRST) for (const second of ROOT_SECOND) all.push(first + second);
  return random.shuffle(all);
}
