import { describe, expect, it } from 'vitest';
import type { GeoJsonGeometry } from '../db/schema.ts';
import { EDGE_TOLERANCE_DEGREES, PointIndex } from './point-index.ts';

function rectangle(minX: number, minY: number, maxX: number, maxY: number): number[][] {
  return [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
    [minX, minY],
  ];
}

function polygon(...rings: number[][][]): GeoJsonGeometry {
  return { type: 'Polygon', coordinates: rings };
}

describe('PointIndex', () => {
  const squareWithHole = polygon(rectangle(0, 0, 10, 10), rectangle(4, 4, 6, 6));
  const island: GeoJsonGeometry = { type: 'MultiPolygon', coordinates: [[rectangle(20, 0, 22, 2)], [rectangle(30, 0, 32, 2)]] };
  const triangle = polygon([
    [40, 0],
    [50, 0],
    [45, 10],
    [40, 0],
  ]);
  const index = new PointIndex([
    { id: 1, geometry: squareWithHole },
    { id: 2, geometry: island },
    { id: 3, geometry: triangle },
  ]);

  it('counts polygons, not polygon parts, in its size', () => {
    expect(index.size).toBe(3);
  });

  it('finds the polygon whose interior holds the point', () => {
    expect(index.locate(1, 1)).toBe(1);
    expect(index.locate(45, 5)).toBe(3);
  });

  it('finds nothing for a point outside every polygon, including one inside a bounding box only', () => {
    expect(index.locate(15, 5)).toBeNull();
    expect(index.locate(41, 9)).toBeNull();
    expect(index.locate(-180, -90)).toBeNull();
  });

  it('does not count a point inside a hole as inside the polygon', () => {
    expect(index.locate(5, 5)).toBeNull();
  });

  it('finds a point in either part of a multipolygon but not between the parts', () => {
    expect(index.locate(21, 1)).toBe(2);
    expect(index.locate(31, 1)).toBe(2);
    expect(index.locate(26, 1)).toBeNull();
  });

  it('counts points on outer edges, vertices and hole edges as inside', () => {
    expect(index.locate(0, 5)).toBe(1);
    expect(index.locate(10, 10)).toBe(1);
    expect(index.locate(4, 5)).toBe(1);
    expect(index.locate(42.5, 5)).toBe(3);
    expect(index.locate(10 + EDGE_TOLERANCE_DEGREES / 2, 5)).toBe(1);
    expect(index.locate(10 + EDGE_TOLERANCE_DEGREES * 10, 5)).toBeNull();
  });

  it('gives a point on an edge shared by neighbours to exactly one of them, the smallest id, in any input order', () => {
    const left = { id: 7, geometry: polygon(rectangle(0, 0, 1, 1)) };
    const right = { id: 4, geometry: polygon(rectangle(1, 0, 2, 1)) };
    const above = { id: 9, geometry: polygon(rectangle(0, 1, 2, 2)) };
    for (const order of [
      [left, right, above],
      [above, right, left],
    ]) {
      const neighbours = new PointIndex(order);
      expect(neighbours.locate(1, 0.5)).toBe(4);
      expect(neighbours.locate(0.5, 1)).toBe(7);
      expect(neighbours.locate(1.5, 1)).toBe(4);
      expect(neighbours.locate(1, 1)).toBe(4);
      expect(neighbours.locate(0.5, 1.5)).toBe(9);
    }
  });

  it('tiles a slanted shared edge without gaps: every point of the strip belongs to one side', () => {
    const a = { id: 1, geometry: polygon([[0, 0], [0.3, 0], [0.7, 1], [0, 1], [0, 0]]) };
    const b = { id: 2, geometry: polygon([[0.3, 0], [1, 0], [1, 1], [0.7, 1], [0.3, 0]]) };
    const strip = new PointIndex([a, b]);
    for (let i = 0; i <= 1000; i++) {
      const y = i / 1000;
      const onEdge = 0.3 + 0.4 * y;
      expect(strip.locate(onEdge, y)).toBe(1);
      expect(strip.locate(onEdge + 1e-6, y)).toBe(2);
    }
  });

  it('accepts rings that do not repeat their first position', () => {
    const open = new PointIndex([{ id: 5, geometry: polygon([[0, 0], [2, 0], [2, 2], [0, 2]]) }]);
    expect(open.locate(1, 1)).toBe(5);
    expect(open.locate(3, 1)).toBeNull();
  });

  it('answers null for an empty index and for non-finite coordinates', () => {
    expect(new PointIndex([]).locate(0, 0)).toBeNull();
    expect(index.locate(Number.NaN, 1)).toBeNull();
  });

  it('rejects a ring with fewer than three positions', () => {
    expect(() => new PointIndex([{ id: 1, geometry: polygon([[0, 0], [1, 1]]) }])).toThrow(TypeError);
  });
});
