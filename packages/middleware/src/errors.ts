/**
 * Typed HTTP errors. Throw one from a handler (or the domain code it calls) to answer with that status;
 * the message is sent to the client, so write it for the client. Anything that is not an `HttpError`
 * (a bug, an AWS SDK error, a timeout) becomes a generic 500 — see error-handler.ts, the one place where
 * errors become responses.
 *
 * Each class sets `name` explicitly: bundles are minified, and a minified class name is useless in logs.
 */

export interface HttpErrorOptions {
  /** Extra response headers, e.g. `{ 'Retry-After': '30' }` on a 429. */
  headers?: Readonly<Record<string, string>>;
  /** Extra fields of the JSON body next to `message`, e.g. `{ errors: [...] }`. */
  details?: Readonly<Record<string, unknown>>;
  /** The underlying error; logged, never sent to the client. */
  cause?: unknown;
}

export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(statusCode: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = statusCode;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }
}

export class BadRequest extends HttpError {
  override readonly name: string = 'BadRequest';
  constructor(message = 'Bad request', options?: HttpErrorOptions) {
    super(400, message, options);
  }
}

export class Unauthorized extends HttpError {
  override readonly name: string = 'Unauthorized';
  constructor(message = 'Unauthorized', options?: HttpErrorOptions) {
    super(401, message, options);
  }
}

export class Forbidden extends HttpError {
  override readonly name: string = 'Forbidden';
  constructor(message = 'Forbidden', options?: HttpErrorOptions) {
    super(403, message, options);
  }
}

export class NotFound extends HttpError {
  override readonly name: string = 'NotFound';
  constructor(message = 'Not found', options?: HttpErrorOptions) {
    super(404, message, options);
  }
}

export class Conflict extends HttpError {
  override readonly name: string = 'Conflict';
  constructor(message = 'Conflict', options?: HttpErrorOptions) {
    super(409, message, options);
  }
}

export class PreconditionFailed extends HttpError {
  override readonly name: string = 'PreconditionFailed';
  constructor(message = 'Precondition failed', options?: HttpErrorOptions) {
    super(412, message, options);
  }
}

export class PayloadTooLarge extends HttpError {
  override readonly name: string = 'PayloadTooLarge';
  constructor(message = 'Payload too large', options?: HttpErrorOptions) {
    super(413, message, options);
  }
}

export class UnsupportedMediaType extends HttpError {
  override readonly name: string = 'UnsupportedMediaType';
  constructor(message = 'Unsupported media type', options?: HttpErrorOptions) {
    super(415, message, options);
  }
}

/** 428: the route needs a precondition (`If-Match`) and the request has none (RFC 6585). */
export class PreconditionRequired extends HttpError {
  override readonly name: string = 'PreconditionRequired';
  constructor(message = 'Precondition required', options?: HttpErrorOptions) {
    super(428, message, options);
  }
}

export class TooManyRequests extends HttpError {
  override readonly name: string = 'TooManyRequests';
  constructor(message = 'Too many requests', options?: HttpErrorOptions) {
    super(429, message, options);
  }
}

export class ServiceUnavailable extends HttpError {
  override readonly name: string = 'ServiceUnavailable';
  constructor(message = 'Service unavailable', options?: HttpErrorOptions) {
    super(503, message, options);
  }
}

/** One failing field of a request: where it is, which field, what is wrong (never its value). */
export interface ValidationIssue {
  in: 'body' | 'path' | 'query';
  /** Dotted path inside that part, e.g. `items.0.name`; empty for the part as a whole. */
  path: string;
  message: string;
}

/** 400 `{"message":"Invalid request","errors":[…]}` listing every failing field at once. */
export class ValidationError extends BadRequest {
  override readonly name: string = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super('Invalid request', { details: { errors: issues } });
    this.issues = issues;
  }
}
