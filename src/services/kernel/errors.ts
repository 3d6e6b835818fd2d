/** Errors a service raises; the web layer turns each into the right page. */

/** The database could not be reached (restarting, connections dropped): the web answers 503. */
export { isDatabaseUnavailable } from '../../db/unavailable.ts';

import type { OwnedRecordKind } from '../../repositories/audit.ts';

/** The kinds of record a refusal can name: the audit trail records which, and where it belongs. */
export type RecordKind = OwnedRecordKind;

export interface RecordRef {
  kind: RecordKind;
  id: string;
}

/** The record does not exist for this actor: another school's, out of their reach, or no such id. */
export class NotFoundError extends Error {
  constructor(
    message = 'Not found',
    readonly record: RecordRef | null = null,
  ) {
    super(message);
  }
}

/** The user is signed in but no role of theirs may use this at all (pages they cannot use). */
export class ForbiddenError extends Error {
  constructor(
    message = 'You do not have permission to do this',
    /** What was missing, for the audit trail: a capability or section. */
    readonly need: string | null = null,
  ) {
    super(message);
  }
}

export interface FieldError {
  field: string;
  message: string;
}

/** Input that breaks a rule; nothing was saved. */
export class ValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/**
 * Someone else saved first: nothing was saved, and the user's own input is shown back with this
 * message beside what the other person changed.
 */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly current: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}
