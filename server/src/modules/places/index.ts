export { placesRoutes } from './places.routes.ts';
export {
  countPlacesByLevel,
  findPlaceByCode,
  findPlaceById,
  getOverview,
  getPlaceDetail,
  getPlaceMap,
  insertPlaces,
  invalidatePlaceIndex,
  listChildren,
  locatePlaceForPrincipal,
  locatePoint,
  locatePlaceEntry,
  presentPlace,
  PLACE_LEVELS,
  type InsertPlacesResult,
  type LocatedPlace,
  type PlaceInput,
  type PlaceRecord,
} from './places.service.ts';
export { findPlaceEntry, findPlaceEntryInScope, findPlacesOnPath, loadPlaceDirectory, type PlaceEntry } from './place-directory.ts';
export type { LocatedPlaceView, OverviewView, PlaceDetailView, PlaceMapView, PlaceView } from './places.schema.ts';
