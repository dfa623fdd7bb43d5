/** Repository errors the BFF maps to HTTP answers (409, 404) with the offending field. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class NotFoundError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A save based on an older revision than the stored one; carries the current one so the user can compare. */
export class RevisionConflictError<T = unknown> extends Error {
  constructor(
    message: string,
    readonly current: T,
  ) {
    super(message);
    this.name = 'RevisionConflictError';
  }
}

/** A value the stored schema would refuse on the way back out; the BFF answers 400 naming `field`. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}
