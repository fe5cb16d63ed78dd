/**
 * Stable error codes. The code is the contract with clients and the i18n key for the console
 * (`errors.<CODE>`); the HTTP status follows from it.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_ID_NUMBER: 400,
  INVALID_CREDIT_CODE: 400,
  INVALID_FILE: 400,
  /** A resident's report is located outside every grid of the city. */
  LOCATION_OUTSIDE_CITY: 400,
  /** The person or organisation named to handle a matter cannot (unknown, inactive, not a handler, not of the lead unit). */
  ASSIGNEE_INVALID: 400,
  /** The person or organisation named to handle a matter does not cover the matter's place. */
  ASSIGNEE_OUT_OF_SCOPE: 400,
  CALENDAR_YEAR_MISSING: 422,
  /** An assistance policy's eligibility rule or benefit formula does not check (details name each condition). */
  ASSISTANCE_RULE_INVALID: 422,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  /** Only a member of an assisting unit (协办) may report for it. */
  NOT_CO_HANDLER: 403,
  NOT_FOUND: 404,
  PLACE_NOT_FOUND: 404,
  RESIDENT_NOT_FOUND: 404,
  HOUSEHOLD_NOT_FOUND: 404,
  ORGANISATION_NOT_FOUND: 404,
  IMPORT_NOT_FOUND: 404,
  KNOWLEDGE_ARTICLE_NOT_FOUND: 404,
  ASSISTANCE_POLICY_NOT_FOUND: 404,
  CONFLICT: 409,
  /** The lead unit may not reply while assisting units (协办) have not reported. */
  CO_HANDLERS_PENDING: 409,
  /** The action writes more than the matter (a finding, a grant) and is taken on its module's page. */
  MATTER_ACTION_RESERVED: 409,
  /** An assistance application cannot be submitted yet: details list what is missing. */
  APPLICATION_INCOMPLETE: 422,
  ASSISTANCE_APPLICATION_NOT_FOUND: 404,
  DUPLICATE_ID_NUMBER: 409,
  /** A resident account already signs in with this mobile number. */
  PHONE_ALREADY_REGISTERED: 409,
  /** A resident rates a report only once it is closed (办结). */
  REPORT_NOT_CLOSED: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

/** One of the stable error codes. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type of minsheng: a stable code, a developer-facing message, optional details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** True when `error` is an AppError with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
