import { describe, expect, it } from 'vitest';
import { PointIndex } from '../../platform/geo/point-index.ts';
import { type DemoPlace, generateCity } from './city-generator.ts';
import { polygonArea } from './convex-polygons.ts';
import { Random } from './random.ts';

function ringOf(place: DemoPlace): [number, number][] {
  if (place.boundary.type !== 'Polygon') throw new Error('demo places are polygons');
  return place.boundary.coordinates[0]!.slice(0, -1).map(([x, y]) => [x!, y!]);
}

describe('generateCity', () => {
  const city = generateCity();
  const byLevel = (level: DemoPlace['level']) => city.places.filter((p) => p.level === level);

  it("has exactly Shapingba's counts by default: 22 streets, 161 communities, 1,433 grids, 6,894 micro-grids over 5 districts", () => {
    expect(byLevel('city')).toHaveLength(1);
    expect(byLevel('district').map((d) => `${d.code} ${d.name}`)).toEqual(['500103 渝中区', '500105 江北区', '500106 沙坪坝区', '500107 九龙坡区', '500108 南岸区']);
    expect(byLevel('street')).toHaveLength(22);
    expect(byLevel('community')).toHaveLength(161);
    expect(byLevel('grid')).toHaveLength(1433);
    expect(byLevel('microgrid')).toHaveLength(6894);
  });

  it('produces exactly the counts asked for', () => {
    const small = generateCity({ seed: 3, districts: 2, streets: 3, communities: 7, grids: 20, microgrids: 41 });
    const counts = Object.fromEntries(['district', 'street', 'community', 'grid', 'microgrid'].map((level) => [level, small.places.filter((p) => p.level === level).length]));
    expect(counts).toEqual({ district: 2, street: 3, community: 7, grid: 20, microgrid: 41 });
  });

  it('refuses counts that cannot give every parent a child', () => {
    expect(() => generateCity({ grids: 10, microgrids: 5 })).toThrow(RangeError);
    expect(() => generateCity({ districts: 10 })).toThrow(RangeError);
  });

  it('is deterministic: the same seed gives the same places, another seed other boundaries', () => {
    expect(generateCity().places).toEqual(city.places);
    const other = generateCity({ seed: 99 });
    expect(other.places.map((p) => p.boundary)).not.toEqual(city.places.map((p) => p.boundary));
  });

  it('builds codes by level and paths from the codes of the ancestors', () => {
    const lengths = { city: 6, district: 6, street: 12, community: 12, grid: 15, microgrid: 18 } as const;
    const byCode = new Map(city.places.map((p) => [p.code, p]));
    expect(new Set(city.places.map((p) => p.code)).size).toBe(city.places.length);
    for (const place of city.places) {
      expect(place.code).toHaveLength(lengths[place.level]);
      const parent = place.parentCode === null ? undefined : byCode.get(place.parentCode);
      expect(place.path).toBe(parent ? `${parent.path}.${place.code}` : place.code);
      if (place.level === 'street') expect(place.code.endsWith('000')).toBe(true);
      if (place.level !== 'city' && place.level !== 'district') expect(place.code.startsWith(parent!.code.slice(0, place.level === 'community' ? 9 : parent!.code.length))).toBe(true);
    }
    expect(byLevel('street').every((s) => /(街道|镇)$/.test(s.name))).toBe(true);
    expect(byLevel('community').every((c) => /(社区|村)$/.test(c.name))).toBe(true);
  });

  it('tiles the city: every sampled point lies in a micro-grid and the micro-grid areas add up to the city without overlap', () => {
    const microgrids = byLevel('microgrid');
    const index = new PointIndex(microgrids.map((p, i) => ({ id: i, geometry: p.boundary })));
    const [minLon, minLat, maxLon, maxLat] = city.bbox;
    const random = new Random(5);
    for (let i = 0; i < 20_000; i++) {
      const lon = random.between(minLon, maxLon);
      const lat = random.between(minLat, maxLat);
      expect(index.locate(lon, lat), `${lon},${lat}`).not.toBeNull();
    }
    const cityArea = (maxLon - minLon) * (maxLat - minLat);
    const total = microgrids.reduce((sum, p) => sum + polygonArea(ringOf(p)), 0);
    expect(Math.abs(total - cityArea) / cityArea).toBeLessThan(1e-9);
  });

  it('puts each sampled point in exactly one micro-grid when every micro-grid is tested on its own', () => {
    const rings = byLevel('microgrid').map(ringOf);
    const [minLon, minLat, maxLon, maxLat] = city.bbox;
    const random = new Random(11);
    for (let i = 0; i < 300; i++) {
      const lon = random.between(minLon, maxLon);
      const lat = random.between(minLat, maxLat);
      expect(rings.filter((ring) => containsStrictly(ring, lon, lat)).length, `${lon},${lat}`).toBe(1);
    }
  });

  it('keeps every child inside its parent: the centre of each place lies in its parent', () => {
    const parents = new Map<string, PointIndex>();
    for (const level of ['district', 'street', 'community', 'grid'] as const) {
      const places = byLevel(level);
      parents.set(level, new PointIndex(places.map((p, i) => ({ id: i, geometry: p.boundary }))));
      const childLevel = { district: 'street', street: 'community', community: 'grid', grid: 'microgrid' } as const;
      for (const child of byLevel(childLevel[level])) {
        const found = parents.get(level)!.locate(child.centerLon, child.centerLat);
        expect(places[found!]?.code).toBe(child.parentCode);
      }
    }
  });

  it('places the default districts around their real centres in the main urban area of Chongqing', () => {
    const shapingba = city.places.find((p) => p.code === '500106')!;
    expect([shapingba.centerLon, shapingba.centerLat]).toEqual([106.45, 29.54]);
    expect(city.bbox[0]).toBeCloseTo(106.4, 6);
    expect(city.bbox[3]).toBeCloseTo(29.7, 6);
  });
});

/** Plain even–odd test, independent of PointIndex, so the tiling check does not rely on the code it feeds. */
function containsStrictly(ring: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
