/**
 * @serverless-reference/middleware — one middy factory per kind of handler, with Powertools logging,
 * tracing and metrics, JSON parsing, zod validation and typed HTTP errors. See README.md.
 */

export { MetricUnit } from '@aws-lambda-powertools/metrics';
export { authorizerHandler } from './authorizer';
export { expectedVersion, versionETag } from './conditional-requests';
export { allowedOriginsFromEnv, type CorsOptions } from './cors';
export { errorToResponse, INTERNAL_SERVER_ERROR } from './error-handler';
export {
  BadRequest,
  Conflict,
  Forbidden,
  HttpError,
  type HttpErrorOptions,
  NotFound,
  PayloadTooLarge,
  PreconditionFailed,
  PreconditionRequired,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnsupportedMediaType,
  ValidationError,
  type ValidationIssue,
} from './errors';
export type {
  HttpApiAuthorizer,
  HttpApiEvent,
  LambdaAuthorizerContext,
  RestApiEvent,
  WebSocketEvent,
  WebSocketRequestContext,
} from './events';
export type { HttpRequest } from './http';
export { type HttpApiHandlerOptions, type HttpApiRequest, httpApiHandler } from './http-api';
export { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, pageQuery } from './paging';
export { logger, metrics, tracer } from './powertools';
export { isSensitiveKey, REDACTED, redact, redactText } from './redact';
export { HttpResponse, json, noContent, type ResponseHeaders } from './responses';
export { type RestApiHandlerOptions, type RestApiRequest, restApiHandler } from './rest-api';
export type { Params, Parsed, Schema } from './validation';
export {
  type WebSocketHandlerOptions,
  type WebSocketRequest,
  type WebSocketResult,
  webSocketHandler,
} from './websocket';
