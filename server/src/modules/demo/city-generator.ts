import type { GeoJsonGeometry, PlaceLevel } from '../../platform/db/schema.ts';
import { type ConvexPolygon, clipToHalfPlane, partitionConvex, polygonArea, polygonCentroid } from './convex-polygons.ts';
import { placeRoots } from './names.ts';
import { Random, apportion } from './random.ts';

/** One place of the demo city, parents listed before their children. */
export interface DemoPlace {
  code: string;
  name: string;
  level: PlaceLevel;
  parentCode: string | null;
  /** ltree path: the codes from the city down to this place, joined by '.'. */
  path: string;
  boundary: GeoJsonGeometry;
  centerLon: number;
  centerLat: number;
  /** Towns (镇) have villages (村) where streets (街道) have communities (社区); addresses differ. */
  isRural: boolean;
}

/** The generated city: every place and the rectangle the districts tile. */
export interface DemoCity {
  places: DemoPlace[];
  /** [minLon, minLat, maxLon, maxLat] of the city rectangle. */
  bbox: [number, number, number, number];
}

/** How big a city to generate; defaults are Shapingba's real counts spread over five districts. */
export interface CityOptions {
  seed?: number | undefined;
  districts?: number | undefined;
  streets?: number | undefined;
  communities?: number | undefined;
  grids?: number | undefined;
  microgrids?: number | undefined;
}

/** Default counts: the 22 streets, 161 communities, 1,433 grids and 6,894 micro-grids of Shapingba (DOMAIN.md). */
export const DEFAULT_CITY_OPTIONS = { seed: 20240501, districts: 5, streets: 22, communities: 161, grids: 1433, microgrids: 6894 } as const;

/** The city all demo districts belong to. */
export const DEMO_CITY = { code: '500000', name: '重庆市' } as const;

interface DistrictSeed {
  code: string;
  name: string;
  lon: number;
  lat: number;
  /** Real streets (街道) and towns (镇) of the district, used in order. */
  streets: readonly string[];
}

/**
 * Chongqing's main urban districts with GB/T 2260 codes, approximate centres and real street and
 * town names. The first five are the default demo; up to all nine may be asked for.
 */
export const DEMO_DISTRICTS: readonly DistrictSeed[] = [
  {
    code: '500103',
    name: '渝中区',
    lon: 106.57,
    lat: 29.55,
    streets: ['解放碑街道', '七星岗街道', '两路口街道', '上清寺街道', '菜园坝街道', '南纪门街道', '朝天门街道', '大溪沟街道', '大坪街道', '化龙桥街道', '石油路街道'],
  },
  {
    code: '500105',
    name: '江北区',
    lon: 106.57,
    lat: 29.61,
    streets: ['观音桥街道', '华新街街道', '五里店街道', '江北城街道', '石马河街道', '大石坝街道', '寸滩街道', '铁山坪街道', '郭家沱街道', '复盛镇', '鱼嘴镇', '五宝镇'],
  },
  {
    code: '500106',
    name: '沙坪坝区',
    lon: 106.45,
    lat: 29.54,
    streets: [
      '小龙坎街道', '沙坪坝街道', '渝碚路街道', '磁器口街道', '童家桥街道', '石井坡街道', '詹家溪街道', '井口街道',
      '歌乐山街道', '山洞街道', '新桥街道', '天星桥街道', '土湾街道', '覃家岗街道', '陈家桥街道', '曾家街道',
      '虎溪街道', '西永街道', '联芳街道', '回龙坝镇', '凤凰镇', '青木关镇', '中梁镇',
    ],
  },
  {
    code: '500107',
    name: '九龙坡区',
    lon: 106.51,
    lat: 29.5,
    streets: ['杨家坪街道', '黄桷坪街道', '谢家湾街道', '石坪桥街道', '石桥铺街道', '中梁山街道', '渝州路街道', '二郎街道', '九龙街道', '华岩镇', '白市驿镇', '西彭镇', '陶家镇'],
  },
  {
    code: '500108',
    name: '南岸区',
    lon: 106.62,
    lat: 29.52,
    streets: ['铜元局街道', '花园路街道', '南坪街道', '海棠溪街道', '龙门浩街道', '弹子石街道', '南山街道', '天文街道', '涂山镇', '鸡冠石镇', '峡口镇', '长生桥镇', '迎龙镇', '广阳镇'],
  },
  { code: '500104', name: '大渡口区', lon: 106.48, lat: 29.48, streets: ['新山村街道', '跃进村街道', '九宫庙街道', '茄子溪街道', '春晖路街道', '八桥镇', '建胜镇', '跳磴镇'] },
  { code: '500112', name: '渝北区', lon: 106.63, lat: 29.72, streets: ['双龙湖街道', '回兴街道', '龙溪街道', '龙山街道', '龙塔街道', '仙桃街道', '宝圣湖街道', '悦来街道', '两路街道', '王家街道', '礼嘉街道', '古路镇', '石船镇'] },
  { code: '500109', name: '北碚区', lon: 106.4, lat: 29.81, streets: ['天生街道', '朝阳街道', '北温泉街道', '东阳街道', '龙凤桥街道', '歇马街道', '澄江镇', '童家溪镇', '天府镇', '施家梁镇'] },
  { code: '500113', name: '巴南区', lon: 106.54, lat: 29.4, streets: ['鱼洞街道', '李家沱街道', '龙洲湾街道', '花溪街道', '南泉街道', '一品街道', '南彭街道', '惠民街道', '界石镇', '木洞镇', '双河口镇', '麻柳嘴镇'] },
];

// The main urban area the five default districts tile; more districts widen it to hold their centres.
const MAIN_URBAN_BBOX: [number, number, number, number] = [106.4, 29.45, 106.65, 29.7];
const BBOX_MARGIN_DEGREES = 0.05;
// Child counts vary ±30% around the even share so that not every community has nine grids.
const COUNT_VARIATION = 0.3;
const AREA_VARIATION = 0.2;
const MAX_CODE_PART = 999;
// In a town (镇) this share of its communities are villages (村).
const TOWN_VILLAGE_SHARE = 0.6;

/**
 * Generates a deterministic demo city under 重庆市: real district codes and names, plausible street,
 * community, grid and micro-grid names and codes, and polygon boundaries that tile exactly (children
 * partition their parent, so every point of the city lies in exactly one micro-grid).
 */
export function generateCity(options: CityOptions = {}): DemoCity {
  const seed = options.seed ?? DEFAULT_CITY_OPTIONS.seed;
  const counts = {
    districts: options.districts ?? DEFAULT_CITY_OPTIONS.districts,
    streets: options.streets ?? DEFAULT_CITY_OPTIONS.streets,
    communities: options.communities ?? DEFAULT_CITY_OPTIONS.communities,
    grids: options.grids ?? DEFAULT_CITY_OPTIONS.grids,
    microgrids: options.microgrids ?? DEFAULT_CITY_OPTIONS.microgrids,
  };
  validateCounts(counts);
  const random = new Random(seed);
  const geometryRandom = random.fork(1);
  const nameRandom = random.fork(2);
  const roots = placeRoots(nameRandom);
  let nextRoot = 0;
  const takeRoot = (): string => {
    const root = roots[nextRoot % roots.length]!;
    const round = Math.floor(nextRoot / roots.length);
    nextRoot += 1;
    // Past the last combination, repeat roots with a distinguishing prefix rather than clash.
    return round === 0 ? root : `${'东西南北中新'[round % 6]}${root}`;
  };

  const districtSeeds = DEMO_DISTRICTS.slice(0, counts.districts);
  const bbox = cityBbox(districtSeeds);
  const districtShapes = voronoiCells(districtSeeds, bbox);

  const city = makePlace(DEMO_CITY.code, DEMO_CITY.name, 'city', null, rectangle(bbox), false);
  city.centerLon = (bbox[0] + bbox[2]) / 2;
  city.centerLat = (bbox[1] + bbox[3]) / 2;
  const places: DemoPlace[] = [city];

  // Counts are shared top-down first, so that each shape's area can follow the number of micro-grids under it.
  const districtWeights = districtShapes.map((shape) => polygonArea(shape) * random.between(1 - AREA_VARIATION, 1 + AREA_VARIATION));
  const streetsPerDistrict = apportion(counts.streets, districtWeights);
  const streetTree = streetsPerDistrict.map((streets) => Array.from({ length: streets }, () => ({ children: [] as Tree[] })));
  let parents: Tree[] = streetTree.flat();
  for (const count of [counts.communities, counts.grids, counts.microgrids]) {
    const shares = apportion(
      count,
      parents.map(() => random.between(1 - COUNT_VARIATION, 1 + COUNT_VARIATION)),
    );
    const next: Tree[] = [];
    parents.forEach((parent, index) => {
      parent.children = Array.from({ length: shares[index]! }, () => ({ children: [] as Tree[] }));
      next.push(...parent.children);
    });
    parents = next;
  }

  districtSeeds.forEach((seedInfo, districtIndex) => {
    const districtShape = districtShapes[districtIndex]!;
    const district = makePlace(seedInfo.code, seedInfo.name, 'district', city, districtShape, false);
    // A district's centre is its real one; the cell around it may be lopsided.
    district.centerLon = seedInfo.lon;
    district.centerLat = seedInfo.lat;
    places.push(district);
    const streets = streetTree[districtIndex]!;
    const streetShapes = partitionConvex(districtShape, streets.map((s) => leafCount(s) * jitter(random)), geometryRandom);
    streets.forEach((street, streetIndex) => {
      const streetName = seedInfo.streets[streetIndex] ?? `${takeRoot()}街道`;
      const isTown = streetName.endsWith('镇');
      const streetPlace = makePlace(`${seedInfo.code}${code3(streetIndex + 1)}000`, streetName, 'street', district, streetShapes[streetIndex]!, isTown);
      places.push(streetPlace);
      const communityShapes = partitionConvex(streetShapes[streetIndex]!, street.children.map((c) => leafCount(c) * jitter(random)), geometryRandom);
      street.children.forEach((community, communityIndex) => {
        const isVillage = isTown && nameRandom.chance(TOWN_VILLAGE_SHARE);
        const communityName = `${takeRoot()}${isVillage ? '村' : '社区'}`;
        const communityCode = `${seedInfo.code}${code3(streetIndex + 1)}${code3(communityIndex + 1)}`;
        const communityPlace = makePlace(communityCode, communityName, 'community', streetPlace, communityShapes[communityIndex]!, isVillage);
        places.push(communityPlace);
        const gridShapes = partitionConvex(communityShapes[communityIndex]!, community.children.map((g) => leafCount(g) * jitter(random)), geometryRandom);
        community.children.forEach((grid, gridIndex) => {
          const gridCode = `${communityCode}${code3(gridIndex + 1)}`;
          const gridPlace = makePlace(gridCode, `第${gridIndex + 1}网格`, 'grid', communityPlace, gridShapes[gridIndex]!, isVillage);
          places.push(gridPlace);
          const microShapes = partitionConvex(gridShapes[gridIndex]!, grid.children.map(() => jitter(random)), geometryRandom);
          grid.children.forEach((_micro, microIndex) => {
            const name = `第${gridIndex + 1}-${microIndex + 1}微网格`;
            places.push(makePlace(`${gridCode}${code3(microIndex + 1)}`, name, 'microgrid', gridPlace, microShapes[microIndex]!, isVillage));
          });
        });
      });
    });
  });
  return { places, bbox };
}

interface Tree {
  children: Tree[];
}

function leafCount(node: Tree): number {
  if (node.children.length === 0) return 1;
  return node.children.reduce((sum, child) => sum + leafCount(child), 0);
}

function jitter(random: Random): number {
  return random.between(1 - AREA_VARIATION, 1 + AREA_VARIATION);
}

function validateCounts(counts: Record<'districts' | 'streets' | 'communities' | 'grids' | 'microgrids', number>): void {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (counts.districts > DEMO_DISTRICTS.length) {
    throw new RangeError(`the demo city knows ${DEMO_DISTRICTS.length} districts, ${counts.districts} were asked for`);
  }
  const chain: [string, number, string, number][] = [
    ['districts', counts.districts, 'streets', counts.streets],
    ['streets', counts.streets, 'communities', counts.communities],
    ['communities', counts.communities, 'grids', counts.grids],
    ['grids', counts.grids, 'microgrids', counts.microgrids],
  ];
  for (const [parentName, parents, childName, children] of chain) {
    if (children < parents) throw new RangeError(`${childName} (${children}) must be at least ${parentName} (${parents}): every ${parentName.slice(0, -1)} needs one`);
    // Codes give each level three digits under its parent.
    if (children > parents * MAX_CODE_PART) throw new RangeError(`${childName} (${children}) exceed ${MAX_CODE_PART} per ${parentName.slice(0, -1)}`);
  }
}

function cityBbox(seeds: readonly DistrictSeed[]): [number, number, number, number] {
  const box: [number, number, number, number] = [...MAIN_URBAN_BBOX];
  for (const seed of seeds) {
    box[0] = Math.min(box[0], seed.lon - BBOX_MARGIN_DEGREES);
    box[1] = Math.min(box[1], seed.lat - BBOX_MARGIN_DEGREES);
    box[2] = Math.max(box[2], seed.lon + BBOX_MARGIN_DEGREES);
    box[3] = Math.max(box[3], seed.lat + BBOX_MARGIN_DEGREES);
  }
  return box;
}

function rectangle([minX, minY, maxX, maxY]: [number, number, number, number]): ConvexPolygon {
  return [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
  ];
}

/**
 * Voronoi cells of the district centres clipped to the city rectangle: each district is the land
 * nearer its centre than any other, so the districts tile the rectangle and sit where they really are.
 */
function voronoiCells(seeds: readonly DistrictSeed[], bbox: [number, number, number, number]): ConvexPolygon[] {
  return seeds.map((seed) => {
    let cell = rectangle(bbox);
    for (const other of seeds) {
      if (other === seed) continue;
      // Points p with |p - seed| ≤ |p - other|: (other - seed)·p ≤ (|other|² - |seed|²) / 2.
      const nx = other.lon - seed.lon;
      const ny = other.lat - seed.lat;
      const offset = (other.lon ** 2 + other.lat ** 2 - seed.lon ** 2 - seed.lat ** 2) / 2;
      cell = clipToHalfPlane(cell, nx, ny, offset);
    }
    return cell;
  });
}

function makePlace(code: string, name: string, level: PlaceLevel, parent: DemoPlace | null, shape: ConvexPolygon, isRural: boolean): DemoPlace {
  const [centerLon, centerLat] = polygonCentroid(shape);
  const ring = shape.map(([x, y]) => [x, y]);
  ring.push([shape[0]![0], shape[0]![1]]);
  return {
    code,
    name,
    level,
    parentCode: parent?.code ?? null,
    path: parent ? `${parent.path}.${code}` : code,
    boundary: { type: 'Polygon', coordinates: [ring] },
    centerLon,
    centerLat,
    isRural,
  };
}

function code3(value: number): string {
  return String(value).padStart(3, '0');
}
