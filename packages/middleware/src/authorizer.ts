/**
 * Factory for Lambda authorizers (REST TOKEN/REQUEST, HTTP API REQUEST, WebSocket `$connect`).
 *
 * It adds the same logging, tracing and metrics as the other factories, and the events (which carry
 * the token in `authorizationToken`, headers or the query string) are logged only at debug level and
 * redacted. Unlike the HTTP factories it never turns an error into a response: API Gateway answers 401
 * only when the function fails with exactly `Error('Unauthorized')`, so errors propagate unchanged.
 */

import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { observability } from './observability';
import { logger } from './powertools';

export function authorizerHandler<TEvent, TResult>(
  fn: (event: TEvent, context: Context) => Promise<TResult>,
): (event: TEvent, context: Context) => Promise<TResult> {
  return middy<TEvent, TResult>(fn).use([...observability<TEvent>(), logAuthorizerErrors]);
}

// Log unexpected failures, then let middy rethrow the original error (no `request.response` is set).
// `Unauthorized` is the normal "no" of an authorizer; the code that decided it logs its reason.
const logAuthorizerErrors: MiddlewareObj = {
  onError: ({ error }) => {
    if (error?.message !== 'Unauthorized') {
      logger.error('Authorizer failed', error instanceof Error ? error : new Error(String(error)));
    }
  },
};
