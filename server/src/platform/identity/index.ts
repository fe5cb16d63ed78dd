export {
  describeResidentIdCheck,
  normaliseResidentId,
  residentIdCheckCharacter,
  upgradeResidentId15,
  validateResidentId,
  RESIDENT_ID_PROVINCES,
  type InvalidResidentId,
  type ResidentIdFailure,
  type ResidentIdOptions,
  type ResidentIdResult,
  type ValidResidentId,
} from './resident-id.ts';
export {
  creditCodeCheckCharacter,
  makeCreditCode,
  normaliseCreditCode,
  organisationCodeCheckCharacter,
  validateCreditCode,
  CREDIT_CODE_AUTHORITIES,
  CREDIT_CODE_CHARSET,
  type CreditCodeFailure,
  type CreditCodeResult,
  type InvalidCreditCode,
  type ValidCreditCode,
} from './credit-code.ts';
export { personSearchTerms, type PersonSearchTerms } from './person-search.ts';
export { normaliseMainlandMobile } from './mobile.ts';
