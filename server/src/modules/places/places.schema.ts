import { Type, type Static } from 'typebox';

/** The six levels of the administrative tree. */
export const PlaceLevelSchema = Type.Union([
  Type.Literal('city'),
  Type.Literal('district'),
  Type.Literal('street'),
  Type.Literal('community'),
  Type.Literal('grid'),
  Type.Literal('microgrid'),
]);

/** A node of the tree as the console shows it. */
export const PlaceSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: PlaceLevelSchema,
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  childCount: Type.Integer(),
});
/** A node of the tree as the console shows it. */
export type PlaceView = Static<typeof PlaceSchema>;

/** A place with its ancestors (root first, without itself) and its centre. */
export const PlaceDetailSchema = Type.Object({
  ...PlaceSchema.properties,
  ancestors: Type.Array(PlaceSchema),
  centerLon: Type.Union([Type.Number(), Type.Null()]),
  centerLat: Type.Union([Type.Number(), Type.Null()]),
});
/** A place with its ancestors (root first, without itself) and its centre. */
export type PlaceDetailView = Static<typeof PlaceDetailSchema>;

const Position = Type.Array(Type.Number(), { minItems: 2 });
const Ring = Type.Array(Position);

/** A GeoJSON Polygon or MultiPolygon. */
export const GeometrySchema = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring) }),
  Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring)) }),
]);

/** Properties of one region on a place map. */
export const PlaceFeaturePropertiesSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: PlaceLevelSchema,
  residentCount: Type.Integer(),
});

/** The children of a place (or the place itself when it has none) as GeoJSON. */
export const PlaceMapSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: Type.Union([GeometrySchema, Type.Null()]),
      properties: PlaceFeaturePropertiesSchema,
    }),
  ),
});
/** The children of a place (or the place itself when it has none) as GeoJSON. */
export type PlaceMapView = Static<typeof PlaceMapSchema>;

/** The micro-grid (or grid) holding a point and the places above it, root first. */
export const LocatedPlaceSchema = Type.Object({
  place: PlaceSchema,
  ancestors: Type.Array(PlaceSchema),
});
/** The micro-grid (or grid) holding a point and the places above it, root first. */
export type LocatedPlaceView = Static<typeof LocatedPlaceSchema>;

/** Registry totals within the account's region. */
export const OverviewSchema = Type.Object({
  residents: Type.Integer(),
  households: Type.Integer(),
  organisations: Type.Integer(),
  grids: Type.Integer(),
  microgrids: Type.Integer(),
});
/** Registry totals within the account's region. */
export type OverviewView = Static<typeof OverviewSchema>;

/** Query of GET /api/places/children. */
export const ChildrenQuery = Type.Object({ parentId: Type.Optional(Type.Integer({ minimum: 1 })) });

/** Query of GET /api/places/locate: a WGS84 point. */
export const LocateQuery = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
});
