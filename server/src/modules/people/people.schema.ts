import { Type } from 'typebox';
import { PageQuery, Nullable } from '../../platform/http/schemas.ts';


/** Free-text and filter parameters of the resident list and export. */
export const ResidentSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name prefix, full ID number or mobile number' })),
  placeId: Type.Optional(Type.Integer({ minimum: 1 })),
  tag: Type.Optional(Type.String({ maxLength: 20 })),
});

/** List query: search plus page. */
export const ResidentListQuery = Type.Intersect([PageQuery, ResidentSearchQuery]);

/** A resident as lists show it: ID and phone masked. */
export const ResidentSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  gender: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  birthDate: Type.String({ format: 'date' }),
  age: Type.Integer(),
  idNumberMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  placeId: Type.Integer(),
  placeName: Type.String(),
  householdId: Nullable(Type.Integer()),
  tags: Type.Array(Type.String()),
  status: Type.String(),
});

const PlaceOnPath = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), level: Type.String() });

/** A resident's detail page, still masked. */
export const ResidentDetail = Type.Intersect([
  ResidentSummary,
  Type.Object({
    addressMasked: Nullable(Type.String()),
    ethnicity: Nullable(Type.String()),
    relationToHead: Nullable(Type.String()),
    household: Nullable(Type.Object({ id: Type.Integer(), householdNumber: Type.String() })),
    placePath: Type.Array(PlaceOnPath),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
]);

/** Body of a request to see a resident's personal fields in full. */
export const UnmaskBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) });

/** The personal fields in full. */
export const UnmaskedFields = Type.Object({ idNumber: Type.String(), phone: Nullable(Type.String()), address: Nullable(Type.String()) });

/** A resident submitted by a form. */
export const ResidentBody = Type.Object({
  idNumber: Type.String({ minLength: 15, maxLength: 40 }),
  name: Type.String({ minLength: 1, maxLength: 50 }),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  placeCode: Type.String({ minLength: 6, maxLength: 24 }),
  householdNumber: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  relationToHead: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  ethnicity: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 30 })),
});

/** Household list query. */
export const HouseholdListQuery = Type.Intersect([
  PageQuery,
  Type.Object({ q: Type.Optional(Type.String({ maxLength: 40 })), placeId: Type.Optional(Type.Integer({ minimum: 1 })) }),
]);

/** A household in lists. */
export const HouseholdSummary = Type.Object({
  id: Type.Integer(),
  householdNumber: Type.String(),
  placeId: Type.Integer(),
  placeName: Type.String(),
  addressMasked: Nullable(Type.String()),
  memberCount: Type.Integer(),
  headName: Nullable(Type.String()),
});

/** A household with its members. */
export const HouseholdDetail = Type.Intersect([
  HouseholdSummary,
  Type.Object({ members: Type.Array(Type.Intersect([ResidentSummary, Type.Object({ relationToHead: Nullable(Type.String()) })])) }),
]);
