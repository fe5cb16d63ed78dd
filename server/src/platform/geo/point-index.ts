import Flatbush from 'flatbush';
import type { GeoJsonGeometry } from '../db/schema.ts';

/**
 * Distance in degrees (about 0.1 mm on the ground) within which a point counts as lying on an edge.
 * Shared edges computed twice by floating point can differ in the last bits; the tolerance makes
 * both neighbours see such a point as on their boundary, so the tie rule below decides it.
 */
export const EDGE_TOLERANCE_DEGREES = 1e-9;

/** One region to index: its id and its GeoJSON Polygon or MultiPolygon in lon/lat. */
export interface IndexedPolygon {
  id: number;
  geometry: GeoJsonGeometry;
}

const OUTSIDE = 0;
const INSIDE = 1;
const ON_BOUNDARY = 2;
type Containment = typeof OUTSIDE | typeof INSIDE | typeof ON_BOUNDARY;

/**
 * Answers "which polygon contains this point?" for a static set of polygons (micro-grids, grids):
 * a flatbush R-tree over the bounding boxes of the polygon parts narrows the candidates, then an
 * even–odd ray cast over every ring (so holes are respected) decides.
 *
 * Edge rule: polygons are closed sets, so a point on an outer or hole edge (within
 * {@link EDGE_TOLERANCE_DEGREES}) is inside. When several polygons contain a point, as on an edge
 * shared by neighbours, the smallest id wins; the answer depends on neither input nor tree order.
 */
export class PointIndex {
  /** Number of polygons indexed (a MultiPolygon counts once). */
  readonly size: number;
  readonly #tree: Flatbush | null;
  // Flat storage keeps a lookup free of object hops: part → rings → coordinates.
  readonly #partIds: Float64Array;
  readonly #partRingStart: Uint32Array;
  readonly #ringCoordStart: Uint32Array;
  readonly #coords: Float64Array;

  /** Builds the index; throws TypeError on a ring with fewer than three positions or a non-finite coordinate. */
  constructor(polygons: readonly IndexedPolygon[]) {
    const parts: { id: number; rings: number[][][] }[] = [];
    for (const polygon of polygons) {
      const geometry = polygon.geometry;
      if (geometry.type === 'Polygon') parts.push({ id: polygon.id, rings: geometry.coordinates });
      else for (const rings of geometry.coordinates) parts.push({ id: polygon.id, rings });
    }
    const ringCount = parts.reduce((sum, part) => sum + part.rings.length, 0);
    const coordCount = parts.reduce((sum, part) => sum + part.rings.reduce((n, ring) => n + ring.length * 2, 0), 0);

    this.size = polygons.length;
    this.#partIds = new Float64Array(parts.length);
    this.#partRingStart = new Uint32Array(parts.length + 1);
    this.#ringCoordStart = new Uint32Array(ringCount + 1);
    this.#coords = new Float64Array(coordCount);
    this.#tree = parts.length > 0 ? new Flatbush(parts.length) : null;

    let ring = 0;
    let coord = 0;
    parts.forEach((part, index) => {
      this.#partIds[index] = part.id;
      this.#partRingStart[index] = ring;
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const positions of part.rings) {
        if (positions.length < 3) throw new TypeError(`polygon ${part.id} has a ring with fewer than three positions`);
        this.#ringCoordStart[ring] = coord;
        for (const position of positions) {
          const x = position[0];
          const y = position[1];
          if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
            throw new TypeError(`polygon ${part.id} has a position that is not a finite [lon, lat]`);
          }
          this.#coords[coord++] = x;
          this.#coords[coord++] = y;
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
        ring += 1;
      }
      // Boxes grow by the tolerance so that points just outside an edge still reach the exact test.
      this.#tree?.add(
        minX - EDGE_TOLERANCE_DEGREES,
        minY - EDGE_TOLERANCE_DEGREES,
        maxX + EDGE_TOLERANCE_DEGREES,
        maxY + EDGE_TOLERANCE_DEGREES,
      );
    });
    this.#partRingStart[parts.length] = ring;
    this.#ringCoordStart[ringCount] = coord;
    this.#tree?.finish();
  }

  /** The id of the polygon containing (lon, lat), by the edge rule of the class; null when none does. */
  locate(lon: number, lat: number): number | null {
    if (this.#tree === null || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    const candidates = this.#tree.search(lon, lat, lon, lat);
    let best: number | null = null;
    for (const part of candidates) {
      const id = this.#partIds[part]!;
      if (best !== null && id >= best) continue;
      if (this.#classify(part, lon, lat) !== OUTSIDE) best = id;
    }
    return best;
  }

  #classify(part: number, x: number, y: number): Containment {
    const coords = this.#coords;
    const tolerance = EDGE_TOLERANCE_DEGREES;
    let isInside = false;
    for (let ring = this.#partRingStart[part]!; ring < this.#partRingStart[part + 1]!; ring++) {
      const start = this.#ringCoordStart[ring]!;
      const end = this.#ringCoordStart[ring + 1]!;
      // Starting from the last position closes rings whether or not GeoJSON repeated the first one.
      let xj = coords[end - 2]!;
      let yj = coords[end - 1]!;
      for (let k = start; k < end; k += 2) {
        const xi = coords[k]!;
        const yi = coords[k + 1]!;
        if (
          y >= (yi < yj ? yi : yj) - tolerance &&
          y <= (yi > yj ? yi : yj) + tolerance &&
          x >= (xi < xj ? xi : xj) - tolerance &&
          x <= (xi > xj ? xi : xj) + tolerance
        ) {
          const dx = xj - xi;
          const dy = yj - yi;
          const cross = dx * (y - yi) - dy * (x - xi);
          // |cross| / |edge| is the distance to the edge's line; compared squared to avoid a root.
          if (cross * cross <= tolerance * tolerance * (dx * dx + dy * dy)) return ON_BOUNDARY;
        }
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) isInside = !isInside;
        xj = xi;
        yj = yi;
      }
    }
    return isInside ? INSIDE : OUTSIDE;
  }
}
