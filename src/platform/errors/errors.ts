/**
 * The typed errors every capability throws. They are mapped to a status and
 * a page or JSON body in one place (platform/http/error-handler.ts); nothing
 * else decides what a user sees when something goes wrong.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

/** Also used when a record exists but the user may not see it: deny as "not found". */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not-found';
  constructor(message = 'Page not found') {
    super(message);
  }
}

export interface FieldError {
  /** The form field or JSON property at fault, e.g. "email". */
  field: string;
  /** A GOV.UK-style message telling the user what to do. */
  message: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'invalid-input';
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** A body that cannot be read at all (a malformed upload): nothing in it reached a field. */
export class UnreadableInputError extends AppError {
  readonly status = 400;
  readonly code = 'unreadable-input';
  constructor(message = 'The form could not be read. Go back, reload the page and try again.') {
    super(message);
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'sign-in-required';
  constructor(message = 'You need to sign in') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'You do not have permission to do this') {
    super(message);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too-many-requests';
  constructor(message = 'Too many attempts. Wait a minute and try again.') {
    super(message);
  }
}

/**
 * The database cannot serve the request now (a timeout, or no connection):
 * a 503 with Retry-After, never a 500 (db/unavailable.ts says which errors).
 */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'service-unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
