export { open311Routes, OPEN311_PREFIX } from './open311.routes.ts';
export { loadShippedAttributes, SHIPPED_ATTRIBUTES, type ShippedAttribute } from './attributes.reference.ts';
export { FMS_STATUS } from './open311.service.ts';
