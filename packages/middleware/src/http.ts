/**
 * The shared core of the REST (payload 1.0) and HTTP API (payload 2.0) factories. The middy stack:
 *
 *   observability (logger → request keys → tracer → metrics)   see observability.ts
 *   CORS            adds headers to every response, error responses included (its onError runs after
 *                   the error handler has produced the response)
 *   error handler   innermost, so on failure it runs first and turns the error into a response
 *   handler         decode body → validate → your function → response
 *
 * Decoding and validation live in the handler rather than in middlewares that rewrite `event.body`:
 * the event stays as API Gateway sent it, and the parsed, validated values reach your function typed.
 */

import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type CorsOptions, corsMiddleware } from './cors';
import { errorHandler } from './error-handler';
import { observability } from './observability';
import { type HttpResponse, toHttpResponse } from './responses';
import { type Params, type Parsed, parseJsonBody, type Schema, validateRequest } from './validation';

/** What your function receives. */
export interface HttpRequest<TBody, TPath, TQuery, TEvent> {
  /** Parsed JSON body, validated when a `body` schema is given; `undefined` when there is no body. */
  body: TBody;
  /** Path parameters (`/notes/{id}` → `{ id }`), validated when a `path` schema is given. */
  path: TPath;
  /** Query string parameters, validated when a `query` schema is given. Values are strings: use `z.coerce`. */
  query: TQuery;
  /** Request headers with lowercased names (REST keeps the client's casing; this does not). */
  headers: Readonly<Record<string, string>>;
  /** The event exactly as API Gateway sent it. */
  event: TEvent;
  context: Context;
}

export interface HttpHandlerOptions<
  TEvent,
  TBody extends Schema | undefined,
  TPath extends Schema | undefined,
  TQuery extends Schema | undefined,
> {
  body?: TBody;
  path?: TPath;
  query?: TQuery;
  /** CORS headers on responses: `true` = origins from CORS_ALLOWED_ORIGINS, or explicit options. */
  cors?: boolean | CorsOptions;
  /** Return data (→ 200 JSON; nothing → 204) or `json(status, body, headers?)` / `noContent()`. */
  handler: (
    request: HttpRequest<Parsed<TBody, unknown>, Parsed<TPath, Params>, Parsed<TQuery, Params>, TEvent>,
  ) => Promise<unknown>;
}

/** The fields REST and HTTP API proxy events share. */
export interface HttpEvent {
  headers?: Params | null;
  pathParameters?: Params | null;
  queryStringParameters?: Params | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface HttpProtocol<TEvent, TResult> {
  /** Log keys for an invocation (correlation id, route). */
  keys: (event: TEvent) => Record<string, string | undefined>;
  /** Whether the factory adds CORS headers when the options do not say. */
  corsByDefault: boolean;
  toResult: (response: HttpResponse) => TResult;
}

export function createHttpHandler<
  TEvent extends HttpEvent,
  TResult,
  TBody extends Schema | undefined,
  TPath extends Schema | undefined,
  TQuery extends Schema | undefined,
>(
  options: HttpHandlerOptions<TEvent, TBody, TPath, TQuery>,
  protocol: HttpProtocol<TEvent, TResult>,
): (event: TEvent, context: Context) => Promise<TResult> {
  type Request = Parameters<typeof options.handler>[0];
  const schemas = { body: options.body, path: options.path, query: options.query };

  const handle = async (event: TEvent, context: Context): Promise<TResult> => {
    const headers = lowercaseHeaders(event.headers);
    const parts = await validateRequest(
      {
        body: parseJsonBody(event.body, event.isBase64Encoded, headers['content-type']),
        path: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
      },
      schemas,
    );
    // The schemas (or their absence) have just established these types; this is where we say so.
    const request = { ...parts, headers, event, context } as Request;
    return protocol.toResult(toHttpResponse(await options.handler(request)));
  };

  const cors = corsMiddleware(options.cors, protocol.corsByDefault);
  const stack: MiddlewareObj<TEvent>[] = [
    ...observability(protocol.keys),
    ...(cors ? [cors] : []),
    errorHandler(protocol.toResult),
  ];
  return middy<TEvent, TResult>(handle).use(stack);
}

function lowercaseHeaders(headers: Params | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}
