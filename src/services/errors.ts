/** Errors a service raises; the web layer turns each into the right page. */
export class NotFoundError extends Error {
  constructor(message = 'Not found') {
    super(message);
  }
}

/** The user is signed in but their role may not do this at all (pages they cannot use). */
export class ForbiddenError extends Error {
  constructor(message = 'You do not have permission to do this') {
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

/** Someone else saved first: the user's own input is shown back with this message. */
export class ConflictError extends Error {}
