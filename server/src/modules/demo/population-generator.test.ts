import { describe, expect, it } from 'vitest';
import { validateResidentId } from '../../platform/identity/index.ts';
import { generateCity } from './city-generator.ts';
import { ageOn, type DemoHousehold, type DemoResident, generateResidents } from './population-generator.ts';

const city = generateCity({ seed: 8, districts: 5, streets: 10, communities: 40, grids: 200, microgrids: 600 });

function residentsOf(households: Iterable<DemoHousehold>): DemoResident[] {
  return [...households].flatMap((household) => household.members);
}

function first<T>(iterable: Iterable<T>, count: number): T[] {
  const out: T[] = [];
  for (const item of iterable) {
    if (out.length === count) break;
    out.push(item);
  }
  return out;
}

describe('generateResidents', () => {
  const population = residentsOf(generateResidents({ seed: 1, persons: 20_000, places: city.places }));
  const share = (predicate: (r: DemoResident) => boolean) => population.filter(predicate).length / population.length;

  it('produces exactly the number of persons asked for', () => {
    expect(population).toHaveLength(20_000);
    expect(residentsOf(generateResidents({ seed: 2, persons: 7, places: city.places }))).toHaveLength(7);
  });

  it('is deterministic: the same seed gives the same first households, another seed other people', () => {
    const again = first(generateResidents({ seed: 1, persons: 20_000, places: city.places }), 300);
    expect(again.flatMap((h) => h.members)).toEqual(population.slice(0, again.flatMap((h) => h.members).length));
    const other = first(generateResidents({ seed: 2, persons: 20_000, places: city.places }), 300);
    expect(other).not.toEqual(again);
  });

  it('issues valid, unique 18-digit IDs whose birth date and gender match the resident', () => {
    for (const resident of population) {
      const result = validateResidentId(resident.idNumber, { today: new Date('2025-01-01T00:00:00Z') });
      expect(result.isValid, resident.idNumber).toBe(true);
      if (result.isValid) expect([result.birthDate, result.gender]).toEqual([resident.birthDate, resident.gender]);
    }
    expect(new Set(population.map((r) => r.idNumber)).size).toBe(population.length);
  });

  it('gives most IDs a Chongqing prefix and many older residents a Sichuan-era one', () => {
    expect(share((r) => r.idNumber.startsWith('50'))).toBeGreaterThan(0.45);
    const older = population.filter((r) => r.birthDate < '1980-01-01');
    expect(older.filter((r) => r.idNumber.startsWith('51')).length / older.length).toBeGreaterThan(0.5);
    expect(population.some((r) => r.birthDate >= '1997-07-01' && /^51(02|22|23)/.test(r.idNumber))).toBe(false);
  });

  it('draws surnames by Chongqing frequencies: 王, 李, 张, 刘 and 陈 are among the six most common', () => {
    const counts = new Map<string, number>();
    for (const r of population) counts.set(r.name[0]!, (counts.get(r.name[0]!) ?? 0) + 1);
    const top6 = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([s]) => s);
    expect(top6).toEqual(expect.arrayContaining(['王', '李', '张', '刘', '陈']));
    expect(population.every((r) => /^\p{Script=Han}{2,4}$/u.test(r.name))).toBe(true);
  });

  it('has an ageing, gender-balanced population: about one in five aged 60 or more', () => {
    expect(share((r) => ageOn(r.birthDate, '2024-12-31') >= 60)).toBeGreaterThan(0.17);
    expect(share((r) => ageOn(r.birthDate, '2024-12-31') >= 60)).toBeLessThan(0.27);
    expect(share((r) => ageOn(r.birthDate, '2024-12-31') < 15)).toBeGreaterThan(0.1);
    expect(share((r) => r.gender === 'male')).toBeGreaterThan(0.47);
    expect(share((r) => r.gender === 'male')).toBeLessThan(0.53);
  });

  it('groups residents into households of one to six with one head, numbered by micro-grid', () => {
    const microgrids = new Set(city.places.filter((p) => p.level === 'microgrid').map((p) => p.code));
    for (const household of generateResidents({ seed: 1, persons: 3000, places: city.places })) {
      expect(household.members.length).toBeGreaterThanOrEqual(1);
      expect(household.members.length).toBeLessThanOrEqual(6);
      expect(household.members.filter((m) => m.relationToHead === '户主')).toHaveLength(1);
      expect(microgrids.has(household.placeCode)).toBe(true);
      expect(household.householdNumber).toMatch(new RegExp(`^${household.placeCode}\\d{4}$`));
      for (const member of household.members) expect([member.placeCode, member.householdNumber, member.address]).toEqual([household.placeCode, household.householdNumber, household.address]);
    }
  });

  it('writes addresses under the right district, street and community, and mobile numbers', () => {
    const byCode = new Map(city.places.map((p) => [p.code, p]));
    const sample = population[0]!;
    const community = byCode.get(byCode.get(sample.placeCode)!.parentCode!)!.parentCode!;
    expect(sample.address.startsWith(`重庆市${byCode.get(sample.placeCode.slice(0, 6))!.name}`)).toBe(true);
    expect(sample.address).toContain(byCode.get(community)!.name);
    expect(population.filter((r) => r.phone !== null).every((r) => /^1[3-9]\d{9}$/.test(r.phone!))).toBe(true);
  });

  it('tags residents at plausible rates and 高龄 exactly for those aged 80 or more', () => {
    const tagged = (tag: string) => share((r) => r.tags.includes(tag));
    expect(tagged('低保')).toBeGreaterThan(0.01);
    expect(tagged('低保')).toBeLessThan(0.035);
    expect(tagged('残疾')).toBeGreaterThan(0.03);
    expect(tagged('残疾')).toBeLessThan(0.07);
    expect(tagged('特困')).toBeLessThan(0.006);
    expect(population.every((r) => r.tags.includes('高龄') === ageOn(r.birthDate, '2024-12-31') >= 80)).toBe(true);
    expect(population.some((r) => r.tags.includes('特困') && r.tags.includes('低保'))).toBe(false);
    expect(share((r) => r.ethnicity === '汉族')).toBeGreaterThan(0.95);
  });
});
