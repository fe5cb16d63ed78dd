import { describe, expect, it } from 'vitest';
import { validateCreditCode } from '../../platform/identity/index.ts';
import { generateCity } from './city-generator.ts';
import { DISTRICT_DEPARTMENTS, generateOrganisations } from './organisation-generator.ts';

describe('generateOrganisations', () => {
  const city = generateCity();
  const organisations = generateOrganisations({ seed: 1, places: city.places });
  const ofKind = (kind: string) => organisations.filter((o) => o.kind === kind);

  it('creates a government with 21 departments per district, an office per street and a committee per community', () => {
    expect(ofKind('government')).toHaveLength(5);
    expect(ofKind('department')).toHaveLength(5 * 21);
    expect(ofKind('street_office')).toHaveLength(22);
    expect(ofKind('community_committee')).toHaveLength(161);
    expect(ofKind('department').filter((d) => d.placeCode === '500106').map((d) => d.name)).toEqual(DISTRICT_DEPARTMENTS.map((d) => `沙坪坝区${d}`));
  });

  it('creates the default numbers of enterprises, social organisations, charities and volunteer teams', () => {
    expect(ofKind('enterprise')).toHaveLength(2000);
    expect(ofKind('social_organisation')).toHaveLength(94);
    expect(ofKind('charity')).toHaveLength(5);
    expect(ofKind('volunteer_team')).toHaveLength(50);
  });

  it('gives every organisation a valid, unique unified social credit code registered in its district', () => {
    for (const organisation of organisations) {
      const result = validateCreditCode(organisation.creditCode);
      expect(result.isValid, `${organisation.name} ${organisation.creditCode}`).toBe(true);
      if (result.isValid) expect(result.areaCode).toBe(organisation.placeCode.slice(0, 6));
    }
    expect(new Set(organisations.map((o) => o.creditCode)).size).toBe(organisations.length);
    expect(ofKind('enterprise').every((o) => o.creditCode.startsWith('91'))).toBe(true);
  });

  it('links departments and offices to their government and committees to their street office', () => {
    const byCode = new Map(organisations.map((o) => [o.creditCode, o]));
    for (const organisation of organisations) {
      const parent = organisation.parentCreditCode === null ? undefined : byCode.get(organisation.parentCreditCode);
      if (organisation.kind === 'department' || organisation.kind === 'street_office') expect(parent?.kind).toBe('government');
      else if (organisation.kind === 'community_committee') {
        expect(parent?.kind).toBe('street_office');
        expect(organisation.placeCode.slice(0, 9)).toBe(parent!.placeCode.slice(0, 9));
      } else expect(parent).toBeUndefined();
    }
  });

  it('places every organisation in a place of the city and names it in the usual way', () => {
    const codes = new Set(city.places.map((p) => p.code));
    expect(organisations.every((o) => codes.has(o.placeCode))).toBe(true);
    expect(ofKind('community_committee').every((o) => /(社区居民委员会|村村民委员会)$/.test(o.name))).toBe(true);
    expect(ofKind('street_office').every((o) => /(街道办事处|镇人民政府)$/.test(o.name))).toBe(true);
    expect(new Set(organisations.map((o) => o.name)).size).toBe(organisations.length);
  });

  it('is deterministic for a seed', () => {
    expect(generateOrganisations({ seed: 1, places: city.places })).toEqual(organisations);
  });
});
