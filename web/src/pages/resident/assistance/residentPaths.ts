import type { Id } from '../../../api/types';

/** Path of one of the resident's applications (its status, or the draft's summary). */
export function residentApplicationPath(id: Id): string {
  return `/m/assistance/${encodeURIComponent(String(id))}`;
}

/** Path of the form continuing a draft. */
export function residentDraftPath(id: Id): string {
  return `/m/assistance/apply?id=${encodeURIComponent(String(id))}`;
}

/** What the status page shows right after submission. */
export interface SubmittedState {
  justSubmitted: true;
}
