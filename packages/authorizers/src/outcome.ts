import type { APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { AuthorizerError, InvalidTokenError, MissingTokenError } from './errors';

/**
 * How a failed authorization leaves the Lambda, and what is logged about it — in one place.
 *
 * REST and WebSocket: the function must fail with exactly `Unauthorized`; API Gateway maps that text (and
 * only that text) to 401, any other error to 500. HTTP API simple responses: `{ isAuthorized: false }` (403).
 * Every denial is logged with its reason code; never with the token or the Authorization header.
 */

/** The one error text API Gateway turns into `401 {"message":"Unauthorized"}`. */
export const UNAUTHORIZED = 'Unauthorized';

/** A type alias (not an interface) so it is assignable to Powertools' `LogAttributes`. */
export type DenialFields = {
  reason: string;
  errorType: string;
  serverFault: boolean;
  /** Our own fixed description (never token material); absent for unexpected errors. */
  description?: string;
  /** Class name of the aws-jwt-verify error behind an InvalidTokenError, if any. */
  libraryError?: string;
};

/** The subset of a Powertools logger this module uses. */
export interface DenialLogger {
  info(message: string, fields: DenialFields): void;
  warn(message: string, fields: DenialFields): void;
  error(message: string, fields: DenialFields): void;
}

export function denialFields(error: unknown): DenialFields {
  if (error instanceof AuthorizerError) {
    const fields: DenialFields = {
      reason: error.reason,
      errorType: error.name,
      serverFault: error.serverFault,
      description: error.message,
    };
    if (error instanceof InvalidTokenError && error.detail) fields.libraryError = error.detail;
    return fields;
  }
  // A bug or an unexpected library failure: keep only the class name; its message could quote input.
  return {
    reason: 'internal_error',
    errorType: error instanceof Error ? error.name : typeof error,
    serverFault: true,
  };
}

/** Logs a denial: missing credentials at info (routine), bad tokens at warn, our own faults at error. */
export function logDenial(log: DenialLogger, error: unknown): DenialFields {
  const fields = denialFields(error);
  if (fields.serverFault) log.error('authorization failed on our side', fields);
  else if (error instanceof MissingTokenError) log.info('authorization denied', fields);
  else log.warn('authorization denied', fields);
  return fields;
}

/** Runs `attempt`; on any failure logs it and throws `Error('Unauthorized')` (REST, WebSocket). */
export async function orUnauthorized<T>(log: DenialLogger, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    logDenial(log, error);
    throw new Error(UNAUTHORIZED);
  }
}

/** Runs `attempt`; on any failure logs it and answers `{ isAuthorized: false }` (HTTP API simple response). */
export async function orNotAuthorized<T extends APIGatewaySimpleAuthorizerResult>(
  log: DenialLogger,
  attempt: () => Promise<T>,
): Promise<T | { isAuthorized: false }> {
  try {
    return await attempt();
  } catch (error) {
    logDenial(log, error);
    return { isAuthorized: false };
  }
}
