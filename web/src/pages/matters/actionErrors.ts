import { ApiError } from '../../api/client';
import { enumLabel } from '../../domain/labels';
import { errorText } from '../../i18n/errors';
import { i18next } from '../../i18n';

/** True when the server refused the action because the matter moved on (409 CONFLICT). */
export function isStateConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.code === 'CONFLICT';
}

function pendingUnitNames(details: Record<string, unknown> | undefined): string[] {
  const pending = details?.pending;
  if (!Array.isArray(pending)) return [];
  return pending.map((unit) => (typeof unit === 'object' && unit !== null ? String((unit as { name?: unknown }).name ?? '') : '')).filter(Boolean);
}

/**
 * Words for a refused action: a reply held for assisting units names them, a 409 names the actions
 * the current state allows, a 400 for a missing note says so; anything else goes through the
 * shared error catalogue.
 */
export function actionErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'CO_HANDLERS_PENDING') {
    const names = pendingUnitNames(error.details);
    return names.length > 0 ? i18next.t('matters.coHandlersPendingWith', { units: names.join('、') }) : errorText(error);
  }
  if (isStateConflict(error) && error instanceof ApiError) {
    const allowed = error.details?.allowed;
    if (Array.isArray(allowed) && allowed.length > 0) {
      const names = allowed.map((code) => enumLabel('matterActions', String(code))).join('、');
      return i18next.t('matters.notAllowedWith', { allowed: names });
    }
    return i18next.t('matters.notAllowed');
  }
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
    const fields = error.details?.fields;
    const isNote = Array.isArray(fields) && fields.some((entry) => typeof entry === 'object' && entry !== null && (entry as { field?: unknown }).field === 'note');
    if (isNote) return i18next.t('matters.noteMissing');
  }
  return errorText(error);
}
