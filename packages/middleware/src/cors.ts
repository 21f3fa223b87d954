/**
 * CORS headers on the Lambda's responses.
 *
 * REST APIs: with a Lambda proxy integration API Gateway passes the response through, so the function
 * must add `Access-Control-Allow-Origin` itself (on errors too). The preflight `OPTIONS` is answered by
 * API Gateway (a MOCK method from CDK's `defaultCorsPreflightOptions`), so only the headers that
 * matter on actual responses are set here.
 * HTTP APIs: with a CorsConfiguration the gateway adds the headers and ignores the function's, so the
 * HTTP API factory leaves CORS off unless asked.
 */

import type { MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import { logger } from './powertools';

export interface CorsOptions {
  /** Allowed origins, e.g. `['https://app.example.com']`; `['*']` allows any. Default: env CORS_ALLOWED_ORIGINS. */
  origins?: readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` (cookies / Authorization from browsers). Not with `*`. */
  credentials?: boolean;
  /** Response headers the browser may read, e.g. `['ETag', 'Location']`. */
  exposeHeaders?: readonly string[];
}

/** `CORS_ALLOWED_ORIGINS="https://a.example, https://b.example"` → `['https://a.example', 'https://b.example']`. */
export function allowedOriginsFromEnv(value = process.env.CORS_ALLOWED_ORIGINS): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/**
 * The CORS middleware for a factory, or none. `setting`: `false` off, `true` on with the env origins,
 * an object for explicit options, `undefined` → the factory's default. No configured origin → no
 * headers (fail closed: never a silent `*`).
 */
export function corsMiddleware(
  setting: boolean | CorsOptions | undefined,
  enabledByDefault: boolean,
): MiddlewareObj | undefined {
  const enabled = setting === undefined ? enabledByDefault : setting !== false;
  if (!enabled) return undefined;
  const options = typeof setting === 'object' ? setting : {};
  const origins = options.origins ? [...options.origins] : allowedOriginsFromEnv();
  if (origins.length === 0) {
    if (setting !== undefined) {
      logger.warn('CORS requested but no origin configured (set CORS_ALLOWED_ORIGINS)');
    }
    return undefined;
  }
  // With credentials, a wildcard would make middy reflect any Origin: refuse at init, not in production.
  if (options.credentials && origins.includes('*')) {
    throw new Error('CORS: credentials cannot be combined with the * origin');
  }
  return httpCors({
    // One origin: always send it, so the response does not vary by request (cache-friendly).
    // Several: echo the matching one and add `Vary: Origin`.
    ...(origins.length === 1 ? { origin: origins[0] } : { origins }),
    ...(options.credentials ? { credentials: true } : {}),
    ...(options.exposeHeaders?.length ? { exposeHeaders: options.exposeHeaders.join(', ') } : {}),
  });
}
