/**
 * Factory for REST API (v1) Lambda proxy handlers.
 *
 *   export const handler = restApiHandler({
 *     path: z.object({ id: z.string().uuid() }),
 *     handler: async ({ path }) => getProduct(path.id) ?? notFound(),
 *   });
 *
 * CORS is on by default (origins from CORS_ALLOWED_ORIGINS): REST proxy integrations return the
 * function's headers unchanged, so the function has to send them.
 */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import type { RestApiEvent } from './events';
import { createHttpHandler, type HttpHandlerOptions, type HttpRequest } from './http';
import { correlationKeys } from './observability';
import type { HttpResponse } from './responses';
import type { Params, Parsed, Schema } from './validation';

export type RestApiHandlerOptions<
  TBody extends Schema | undefined = undefined,
  TPath extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
> = HttpHandlerOptions<RestApiEvent, TBody, TPath, TQuery>;

/** The request a REST handler receives, e.g. `RestApiRequest<typeof CreateProduct>`. */
export type RestApiRequest<
  TBody extends Schema | undefined = undefined,
  TPath extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
> = HttpRequest<Parsed<TBody, unknown>, Parsed<TPath, Params>, Parsed<TQuery, Params>, RestApiEvent>;

export function restApiHandler<
  TBody extends Schema | undefined = undefined,
  TPath extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
>(
  options: RestApiHandlerOptions<TBody, TPath, TQuery>,
): (event: RestApiEvent, context: Context) => Promise<APIGatewayProxyResult> {
  return createHttpHandler(options, {
    keys: (event: RestApiEvent) => ({
      ...correlationKeys(event),
      route_key: `${event.httpMethod} ${event.resource}`,
    }),
    corsByDefault: true,
    toResult: toRestResult,
  });
}

// REST requires a string body (an empty one for 204).
function toRestResult({ statusCode, headers, body }: HttpResponse): APIGatewayProxyResult {
  return { statusCode, headers: { ...headers }, body: body ?? '' };
}
