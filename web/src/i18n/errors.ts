import { ApiError } from '../api/client';
import { translateOptional } from './dynamic';
import { i18next } from './index';

/** A field-level complaint of a VALIDATION_FAILED answer. */
export interface FieldProblem {
  field: string;
  message: string;
}

function readFieldProblems(error: ApiError): FieldProblem[] {
  const fields = error.details?.fields;
  if (!Array.isArray(fields)) return [];
  const problems: FieldProblem[] = [];
  for (const entry of fields as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { field, message } = entry as Record<string, unknown>;
    problems.push({ field: typeof field === 'string' ? field : '', message: typeof message === 'string' ? message : '' });
  }
  return problems;
}

/**
 * The words a person sees for an error: the server's stable code translated through
 * `errors.<CODE>`, the generic sentence (with the server's English message) when the console has
 * no translation, and one line per invalid field.
 */
export function describeError(error: unknown): { message: string; fieldLines: string[] } {
  if (error instanceof ApiError) {
    const message =
      translateOptional(`errors.${error.code}`) ?? i18next.t('errors.genericWithMessage', { message: error.message });
    const fieldLines = readFieldProblems(error).map((problem) =>
      i18next.t('errors.fieldLine', { field: problem.field, message: problem.message }),
    );
    return { message, fieldLines };
  }
  return { message: i18next.t('errors.generic'), fieldLines: [] };
}

/** One-line text of an error, for messages and notifications. */
export function errorText(error: unknown): string {
  const { message, fieldLines } = describeError(error);
  return fieldLines.length > 0 ? `${message} ${fieldLines.join('；')}` : message;
}
