/**
 * The instrumentation every factory shares: logger context, correlation id, the debug-only event
 * dump, tracing and metrics — as middy middlewares, outermost first.
 *
 * Order matters because middy runs `before` in `use` order and `after`/`onError` in reverse:
 *   1. logger context  — first in, last out: every later middleware logs with the Lambda context, and
 *                        the per-invocation keys are reset only after everything else has logged.
 *   2. request keys    — correlation id (API Gateway's requestContext.requestId) and the redacted
 *                        event at debug level, before anything can fail.
 *   3. tracer          — the handler subsegment opens here and closes after the inner stack.
 *   4. metrics         — cold-start metric at the start; flush after the inner stack, even on errors.
 * Inner middlewares (CORS, error → response) come after these in each factory.
 */
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';
import { logger, metrics, tracer } from './powertools';

/** Log keys for one invocation, derived from its event. */
export type RequestKeys<TEvent> = (event: TEvent) => Record<string, string | undefined>;

/** The standard keys: `correlation_id` = API Gateway's request id (REST, HTTP API, WebSocket, REQUEST authorizers). */
export const correlationKeys: RequestKeys<unknown> = (event) => ({ correlation_id: requestIdOf(event) });

export function observability<TEvent>(keys: RequestKeys<TEvent> = correlationKeys): MiddlewareObj<TEvent>[] {
  return [
    // logEvent: false overrides POWERTOOLS_LOGGER_LOG_EVENT, which would log the raw event at INFO.
    injectLambdaContext(logger, { resetKeys: true, logEvent: false }),
    requestLogging(keys),
    captureLambdaHandler(tracer),
    logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }),
  ];
}

function requestLogging<TEvent>(keys: RequestKeys<TEvent>): MiddlewareObj<TEvent> {
  return {
    before: ({ event }) => {
      const defined = Object.entries(keys(event)).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      );
      if (defined.length > 0) logger.appendKeys(Object.fromEntries(defined));
      // Only at debug, and the logger's replacer redacts tokens, Authorization headers, token query
      // parameters and cookies. Checking the level first skips serialising events nobody will read.
      if (logger.level <= LogLevelThreshold.DEBUG) logger.debug('Lambda invocation event', { event });
    },
  };
}

/** `event.requestContext.requestId`, read defensively: authorizer events are typed by their callers. */
export function requestIdOf(event: unknown): string | undefined {
  const requestContext = field(event, 'requestContext');
  const requestId = field(requestContext, 'requestId');
  return typeof requestId === 'string' ? requestId : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
