/**
 * Groups of characters that are commonly confused by their shape (形近字) when names are copied by hand,
 * read from poor scans or OCR'd. Curated for this project from the similar-shape character lists used
 * in primary-school Chinese teaching (己/已/巳, 未/末, 戊/戌/戍…) and from characters frequent in
 * personal names; deliberately small and conservative: a pair is listed only when one character is a
 * plausible misreading of the other. Pairs that also sound alike are caught earlier as homophones.
 */
const SIMILAR_SHAPE_GROUPS: readonly string[] = [
  '己已巳', '未末', '戊戌戍', '士土', '日曰', '人入八', '大太犬', '王玉主', '白自', '今令', '买卖', '候侯',
  '拔拨', '析折', '辩辨辫', '汩汨', '崇祟', '赢嬴', '刺剌', '徽微', '免兔', '乌鸟', '干千于', '天夭', '贝见',
  '午牛', '甲由申田', '宇字', '明朋', '华毕', '平乎', '军车', '志忘', '贵责', '荣劳', '金全', '光先',
  '永水', '发友', '良艮', '正止', '东车', '素索', '梅海', '春舂', '雪雷', '怡治', '佳住', '雨两', '思恩',
  '颖颍', '悦说', '馨磬', '嘉喜', '豪毫', '鑫森', '泽译', '阳阴', '瑞端', '博傅', '子孑', '徐涂', '汪江',
  '陈阵', '李季', '郑邓', '冯马', '彭膨', '蒋将', '肖宵', '袁哀', '熊能', '杜社', '廖寥', '付什',
  '孙逊', '郭廓', '秦泰', '龚袭', '姚桃', '汤场', '史吏', '严产', '贺货', '兰兴',
  '玲岭', '琼谅', '淑叔', '秀季', '凤风', '婷亭', '莉利', '晓烧', '鹏朋', '航杭', '辰晨', '俊浚', '涛祷',
  '梓锌', '洁结', '勇甬', '清情请', '兵乒乓', '忠患', '英荚', '芳方', '碧璧', '菊鞠', '琴琶',
];

// A character may sit in several groups (车 with 军 and with 东), so pairs are stored, not group numbers.
const SIMILAR_PAIRS = new Set<string>();
for (const group of SIMILAR_SHAPE_GROUPS) {
  for (const a of group) for (const b of group) if (a !== b) SIMILAR_PAIRS.add(a + b);
}

/** Whether two different characters are listed as commonly confused by their shape (形近字). */
export function isSimilarShape(a: string, b: string): boolean {
  return SIMILAR_PAIRS.has(a + b);
}

// Characters linked through any chain of groups share a class (车 links 军 and 东), so two characters
// listed as similar always share one; the class only rules pairs out, isSimilarShape decides.
const SHAPE_CLASSES = new Map<string, number>();
for (const group of SIMILAR_SHAPE_GROUPS) {
  const joined = new Set([...group].map((character) => SHAPE_CLASSES.get(character)).filter((found) => found !== undefined));
  const shapeClass = joined.size === 0 ? SHAPE_CLASSES.size + 1 : Math.min(...joined);
  for (const [character, found] of SHAPE_CLASSES) if (joined.has(found)) SHAPE_CLASSES.set(character, shapeClass);
  for (const character of group) SHAPE_CLASSES.set(character, shapeClass);
}

/** A number shared by every character a listed look-alike can be reached from, or 0 for a character in no group. */
export function similarShapeClass(character: string): number {
  return SHAPE_CLASSES.get(character) ?? 0;
}
