/**
 * The one place where errors become responses, shared by the REST, HTTP API and WebSocket factories.
 *   HttpError (and subclasses) → its status, `{"message": …, ...details}`, its headers; logged at
 *                                INFO for 4xx (the client's problem, no stack) and ERROR for 5xx.
 *   anything else              → 500 `{"message":"Internal server error"}`; the error is logged at
 *                                ERROR with its stack and never sent to the client.
 */
import type { MiddlewareObj } from '@middy/core';
import { HttpError } from './errors';
import { logger } from './powertools';
import { type HttpResponse, json } from './responses';

export const INTERNAL_SERVER_ERROR = 'Internal server error';

export function errorToResponse(error: unknown): HttpResponse {
  if (error instanceof HttpError) {
    if (error.statusCode >= 500) {
      logger.error('Request failed', error);
    } else {
      logger.info('Request rejected', {
        statusCode: error.statusCode,
        error: { name: error.name, message: error.message, ...error.details },
      });
    }
    // `message` first for readability, and last to win: details cannot replace it.
    const body = { message: error.message, ...error.details };
    body.message = error.message;
    return json(error.statusCode, body, error.headers);
  }
  logger.error('Unhandled error', error instanceof Error ? error : new Error(String(error)));
  return json(500, { message: INTERNAL_SERVER_ERROR });
}

/**
 * onError middleware: converts the error into the protocol's result. It sets `request.response` and
 * returns nothing — returning a value would end middy's onError chain early, and the outer middlewares
 * (CORS headers, metrics flush, tracer, logger reset) must still run on failed requests.
 */
export function errorHandler<TResult>(toResult: (response: HttpResponse) => TResult): MiddlewareObj {
  return {
    onError: (request) => {
      request.response = toResult(errorToResponse(request.error));
    },
  };
}
