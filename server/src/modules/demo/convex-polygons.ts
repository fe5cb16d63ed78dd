import type { Random } from './random.ts';

/** A convex polygon as a counter-clockwise list of [lon, lat] vertices, not closed. */
export type ConvexPolygon = [number, number][];

/** Signed area (shoelace); positive for counter-clockwise vertices. */
export function polygonArea(polygon: ConvexPolygon): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [x1, y1] = polygon[i]!;
    const [x2, y2] = polygon[(i + 1) % polygon.length]!;
    twice += x1 * y2 - x2 * y1;
  }
  return twice / 2;
}

/** The area centroid, a point inside every convex polygon. */
export function polygonCentroid(polygon: ConvexPolygon): [number, number] {
  let twice = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [x1, y1] = polygon[i]!;
    const [x2, y2] = polygon[(i + 1) % polygon.length]!;
    const cross = x1 * y2 - x2 * y1;
    twice += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  return [cx / (3 * twice), cy / (3 * twice)];
}

/**
 * Cuts a convex polygon by the line n·p = offset into the part with n·p ≤ offset and the rest.
 * Each crossing point is computed once and given to both parts, so the halves share their edge
 * exactly and tile the original.
 */
export function splitByLine(polygon: ConvexPolygon, nx: number, ny: number, offset: number): [ConvexPolygon, ConvexPolygon] {
  const below: ConvexPolygon = [];
  const above: ConvexPolygon = [];
  for (let i = 0; i < polygon.length; i++) {
    const current = polygon[i]!;
    const next = polygon[(i + 1) % polygon.length]!;
    const sideCurrent = nx * current[0] + ny * current[1] - offset;
    const sideNext = nx * next[0] + ny * next[1] - offset;
    if (sideCurrent <= 0) below.push(current);
    if (sideCurrent >= 0) above.push(current);
    if ((sideCurrent < 0 && sideNext > 0) || (sideCurrent > 0 && sideNext < 0)) {
      const t = sideCurrent / (sideCurrent - sideNext);
      const crossing: [number, number] = [current[0] + t * (next[0] - current[0]), current[1] + t * (next[1] - current[1])];
      below.push(crossing);
      above.push(crossing);
    }
  }
  return [below, above];
}

/** Keeps the part of a convex polygon with n·p ≤ offset (one half-plane of a Voronoi cell). */
export function clipToHalfPlane(polygon: ConvexPolygon, nx: number, ny: number, offset: number): ConvexPolygon {
  return splitByLine(polygon, nx, ny, offset)[0];
}

// Degrees of longitude are shorter than degrees of latitude at Chongqing (cos 29.5° ≈ 0.87);
// shapes are judged in ground distances so that cuts go across the longer side on the ground.
const LON_SCALE = Math.cos((29.5 * Math.PI) / 180);
const MAX_CUT_TILT_RADIANS = 0.3;
const AREA_SEARCH_STEPS = 48;

/**
 * Partitions a convex polygon into convex parts with areas proportional to `weights`, in order:
 * recursive cuts across the longer extent, each tilted a little at random so the map does not look
 * like a spreadsheet. Parts are convex, never overlap and together cover the polygon.
 */
export function partitionConvex(polygon: ConvexPolygon, weights: readonly number[], random: Random): ConvexPolygon[] {
  if (weights.length === 0) return [];
  if (weights.length === 1) return [polygon];
  const half = Math.ceil(weights.length / 2);
  const firstWeights = weights.slice(0, half);
  const secondWeights = weights.slice(half);
  const firstShare = sum(firstWeights) / (sum(firstWeights) + sum(secondWeights));

  const angle = cutAngle(polygon) + random.between(-MAX_CUT_TILT_RADIANS, MAX_CUT_TILT_RADIANS);
  const nx = Math.cos(angle);
  const ny = Math.sin(angle);
  const total = polygonArea(polygon);
  let low = Infinity;
  let high = -Infinity;
  for (const [x, y] of polygon) {
    const projection = nx * x + ny * y;
    if (projection < low) low = projection;
    if (projection > high) high = projection;
  }
  // The area below the line grows monotonically with the offset: bisect for the wanted share.
  for (let step = 0; step < AREA_SEARCH_STEPS; step++) {
    const middle = (low + high) / 2;
    const [below] = splitByLine(polygon, nx, ny, middle);
    if (polygonArea(below) / total < firstShare) low = middle;
    else high = middle;
  }
  const [first, second] = splitByLine(polygon, nx, ny, (low + high) / 2);
  return [...partitionConvex(first, firstWeights, random), ...partitionConvex(second, secondWeights, random)];
}

/** Normal direction of a cut across the longer ground extent: 0 cuts east–west extent, π/2 north–south. */
function cutAngle(polygon: ConvexPolygon): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return (maxX - minX) * LON_SCALE >= maxY - minY ? 0 : Math.PI / 2;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
