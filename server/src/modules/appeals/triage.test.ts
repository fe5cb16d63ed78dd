import { describe, expect, it } from 'vitest';
import { triage, type TriageRule } from './triage.ts';

const SHAPINGBA = '500000.500106';
const XIAOLONGKAN = '500000.500106.500106001000';
const COMMUNITY = `${XIAOLONGKAN}.500106001001`;

const rule = (overrides: Partial<TriageRule> & Pick<TriageRule, 'id' | 'priority'>): TriageRule => ({
  categoryPrefix: null,
  placePath: null,
  scale: 'major',
  handlerLevel: 'department',
  organisationId: null,
  ...overrides,
});

describe('triage (三事分流)', () => {
  it('sends a major matter to the department a rule names for its category', () => {
    const rules = [rule({ id: 1, priority: 10, categoryPrefix: 'city.facility.streetlight', organisationId: 42 })];
    expect(triage(rules, { categoryCode: 'city.facility.streetlight', placePath: COMMUNITY, defaultScale: 'minor' })).toEqual({
      scale: 'major',
      handlerLevel: 'department',
      organisationId: 42,
      ruleId: 1,
    });
  });

  it('lets a rule for a street override the city-wide rule when it comes first', () => {
    const rules = [
      rule({ id: 1, priority: 20, categoryPrefix: 'city.environment' }),
      rule({ id: 2, priority: 10, categoryPrefix: 'city.environment', placePath: XIAOLONGKAN, scale: 'minor', handlerLevel: 'community' }),
    ];
    expect(triage(rules, { categoryCode: 'city.environment.litter', placePath: COMMUNITY, defaultScale: 'major' })).toMatchObject({ handlerLevel: 'community', ruleId: 2 });
    expect(triage(rules, { categoryCode: 'city.environment.litter', placePath: `${SHAPINGBA}.500106002000`, defaultScale: 'major' })).toMatchObject({
      handlerLevel: 'department',
      ruleId: 1,
    });
  });

  it('does not take a place rule for a sibling whose code merely starts the same', () => {
    const rules = [rule({ id: 1, priority: 1, placePath: `${SHAPINGBA}.50010600`, scale: 'minor', handlerLevel: 'grid' })];
    expect(triage(rules, { categoryCode: 'x', placePath: `${SHAPINGBA}.500106001000`, defaultScale: 'major' }).ruleId).toBeNull();
  });

  it("falls back to the category's default: minor to the community, private back to the resident", () => {
    expect(triage([], { categoryCode: 'community.corridor', placePath: COMMUNITY, defaultScale: 'minor' })).toEqual({ scale: 'minor', handlerLevel: 'community', organisationId: null, ruleId: null });
    expect(triage([], { categoryCode: 'private.family', placePath: COMMUNITY, defaultScale: 'private' })).toMatchObject({ scale: 'private', handlerLevel: 'resident' });
  });
});
