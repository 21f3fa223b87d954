/**
 * Factory for HTTP API (v2, payload format 2.0) Lambda handlers.
 *
 *   export const handler = httpApiHandler({
 *     body: CreateNoteBody,
 *     handler: async ({ body, event }) => json(201, await createNote(ownerOf(event), body)),
 *   });
 *
 * CORS is off by default: with a CorsConfiguration on the API the gateway adds the CORS headers itself
 * and ignores the function's. Pass `cors: true` only for an API without gateway-managed CORS.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HttpApiEvent } from './events';
import { createHttpHandler, type HttpHandlerOptions, type HttpRequest } from './http';
import { correlationKeys } from './observability';
import type { HttpResponse } from './responses';
import type { Params, Parsed, Schema } from './validation';

export type HttpApiHandlerOptions<
  TBody extends Schema | undefined = undefined,
  TPath extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
> = HttpHandlerOptions<HttpApiEvent, TBody, TPath, TQuery>;

/** The request an HTTP API handler receives, e.g. `HttpApiRequest<typeof CreateNoteBody>`. */
export type HttpApiRequest<
  TBody extends Schema | undefined = undefined,
  TPath extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
> = HttpRequest<Parsed<TBody, unknown>, Parsed<TPath, Params>, Parsed<TQuery, Params>, HttpApiEvent>;

export function httpApiHandler<
  TBody extends Schema | undefined = undefined,
  TPath extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
>(
  options: HttpApiHandlerOptions<TBody, TPath, TQuery>,
): (event: HttpApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2> {
  return createHttpHandler(options, {
    keys: (event: HttpApiEvent) => ({ ...correlationKeys(event), route_key: event.routeKey }),
    corsByDefault: false,
    toResult: toHttpApiResult,
  });
}

// Always a structured result: without `statusCode` API Gateway would guess one from the payload.
function toHttpApiResult({ statusCode, headers, body }: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return body === undefined
    ? { statusCode, headers: { ...headers } }
    : { statusCode, headers: { ...headers }, body };
}
