import { translateOptional } from '../i18n/dynamic';

/**
 * Display label of an enumerated value the server sends (`levels.grid`, `organisationKinds.charity`):
 * the translation when the console knows the value, the raw value otherwise, so a new value added
 * on the server shows up readable rather than as an i18n key.
 */
export function enumLabel(
  group:
    | 'levels'
    | 'genders'
    | 'residentStatus'
    | 'organisationKinds'
    | 'organisationStatus'
    | 'importKinds'
    | 'importStatus'
    | 'auditEntities'
    | 'matterStates'
    | 'matterActions'
    | 'matterEvents'
    | 'appealKinds'
    | 'appealDoors'
    | 'appealScales'
    | 'handlerLevels',
  value: string | null | undefined,
): string {
  if (value === null || value === undefined || value === '') return '—';
  return translateOptional(`${group}.${value}`) ?? value;
}
