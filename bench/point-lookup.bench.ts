/**
 * Point → micro-grid lookups per second on the default demo city (6,894 micro-grids), against a
 * baseline of the bare flatbush bounding-box search, to show what the exact polygon test costs.
 * Run: node bench/point-lookup.bench.ts  (prints one JSON line)
 */
import Flatbush from 'flatbush';
import { generateCity } from '../server/src/modules/demo/city-generator.ts';
import { Random } from '../server/src/modules/demo/random.ts';
import { PointIndex } from '../server/src/platform/geo/point-index.ts';

const POINTS = 1_000_000;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeRounds(run: () => void): number[] {
  run(); // warm-up: let the JIT settle before timing
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    run();
    rates.push(POINTS / ((performance.now() - start) / 1000));
  }
  return rates;
}

const city = generateCity();
const microgrids = city.places.filter((place) => place.level === 'microgrid');
const [minLon, minLat, maxLon, maxLat] = city.bbox;

const random = new Random(2024);
const lons = new Float64Array(POINTS);
const lats = new Float64Array(POINTS);
for (let i = 0; i < POINTS; i++) {
  lons[i] = random.between(minLon, maxLon);
  lats[i] = random.between(minLat, maxLat);
}

const buildStart = performance.now();
const index = new PointIndex(microgrids.map((place, i) => ({ id: i + 1, geometry: place.boundary })));
const buildMs = performance.now() - buildStart;

let misses = 0;
const indexRates = timeRounds(() => {
  misses = 0;
  for (let i = 0; i < POINTS; i++) if (index.locate(lons[i]!, lats[i]!) === null) misses += 1;
});

const boxes = new Flatbush(microgrids.length);
for (const place of microgrids) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const rings = place.boundary.type === 'Polygon' ? [place.boundary.coordinates] : place.boundary.coordinates;
  for (const polygon of rings) {
    for (const [x, y] of polygon[0]!) {
      x0 = Math.min(x0, x!);
      y0 = Math.min(y0, y!);
      x1 = Math.max(x1, x!);
      y1 = Math.max(y1, y!);
    }
  }
  boxes.add(x0, y0, x1, y1);
}
boxes.finish();
let candidates = 0;
const bboxRates = timeRounds(() => {
  candidates = 0;
  for (let i = 0; i < POINTS; i++) candidates += boxes.search(lons[i]!, lats[i]!, lons[i]!, lats[i]!).length;
});

console.log(
  JSON.stringify({
    benchmark: 'point-lookup',
    node: process.version,
    polygons: microgrids.length,
    points: POINTS,
    rounds: ROUNDS,
    buildMs: Math.round(buildMs * 10) / 10,
    pointIndex: { medianLookupsPerSecond: Math.round(median(indexRates)), bestLookupsPerSecond: Math.round(Math.max(...indexRates)), misses },
    flatbushBboxOnly: {
      medianLookupsPerSecond: Math.round(median(bboxRates)),
      bestLookupsPerSecond: Math.round(Math.max(...bboxRates)),
      meanCandidates: Math.round((candidates / POINTS) * 100) / 100,
    },
  }),
);
