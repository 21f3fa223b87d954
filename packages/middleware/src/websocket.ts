/**
 * Factory for WebSocket API route handlers ($connect, $disconnect, $default and custom routes).
 *
 *   export const handler = webSocketHandler({
 *     body: SendMessage,                     // the route's JSON message, validated
 *     handler: async ({ body, connectionId }) => { await send(connectionId, body); },
 *   });
 *
 * The result is `{ statusCode, body? }`. On `$connect` a non-2xx status rejects the handshake, so a
 * thrown `Forbidden` refuses the connection. On message routes the body reaches the client only if the
 * route has a route response. Errors map exactly as for HTTP: typed errors → their status, anything
 * else → 500 without details.
 */

import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { errorHandler } from './error-handler';
import type { WebSocketEvent } from './events';
import { correlationKeys, observability } from './observability';
import { HttpResponse, toHttpResponse } from './responses';
import { type Params, type Parsed, parseJson, type Schema, validateRequest } from './validation';

export interface WebSocketRequest<TBody, TQuery> {
  /** The message parsed as JSON (validated when a `body` schema is given); `undefined` without a body. */
  body: TBody;
  /** `$connect` query string (validated when a `query` schema is given). */
  query: TQuery;
  connectionId: string;
  routeKey: string;
  event: WebSocketEvent;
  context: Context;
}

export interface WebSocketHandlerOptions<
  TBody extends Schema | undefined,
  TQuery extends Schema | undefined,
> {
  body?: TBody;
  query?: TQuery;
  /** Return nothing (→ 200), data (→ 200 with a JSON body) or `json(status, body, headers?)`. */
  handler: (request: WebSocketRequest<Parsed<TBody, unknown>, Parsed<TQuery, Params>>) => Promise<unknown>;
}

export interface WebSocketResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export function webSocketHandler<
  TBody extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
>(
  options: WebSocketHandlerOptions<TBody, TQuery>,
): (event: WebSocketEvent, context: Context) => Promise<WebSocketResult> {
  type Request = Parameters<typeof options.handler>[0];
  const schemas = { body: options.body, query: options.query };

  const handle = async (event: WebSocketEvent, context: Context): Promise<WebSocketResult> => {
    const { body: raw, isBase64Encoded, requestContext } = event;
    const text = raw && isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const parts = await validateRequest(
      { body: text ? parseJson(text) : undefined, path: {}, query: event.queryStringParameters ?? {} },
      schemas,
    );
    // The schemas (or their absence) have just established these types; this is where we say so.
    const request = {
      body: parts.body,
      query: parts.query,
      connectionId: requestContext.connectionId,
      routeKey: requestContext.routeKey,
      event,
      context,
    } as Request;
    const value = await options.handler(request);
    // Nothing to say is a plain 200 here (the usual $connect answer), not an HTTP-style 204.
    return toWebSocketResult(value === undefined ? new HttpResponse(200, undefined) : toHttpResponse(value));
  };

  return middy<WebSocketEvent, WebSocketResult>(handle).use([
    ...observability((event: WebSocketEvent) => ({
      ...correlationKeys(event),
      connection_id: event.requestContext.connectionId,
      route_key: event.requestContext.routeKey,
    })),
    errorHandler(toWebSocketResult),
  ]);
}

function toWebSocketResult({ statusCode, headers, body }: HttpResponse): WebSocketResult {
  const result: WebSocketResult = { statusCode };
  if (Object.keys(headers).length > 0) result.headers = { ...headers };
  if (body !== undefined) result.body = body;
  return result;
}
