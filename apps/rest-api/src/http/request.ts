/**
 * What the catalog handlers read from a request besides body, path and query (the `If-Match`
 * precondition), and the headers they answer with (`ETag`, `Location`, CORS).
 */
import {
  type CorsOptions,
  expectedVersion as ifMatchVersion,
  type RestApiEvent,
  versionETag,
} from '@serverless-reference/middleware';

/**
 * CORS on the functions' answers (REST proxy integrations pass the function's headers through; origins
 * from `CORS_ALLOWED_ORIGINS`). Browsers may read `ETag` (for `If-Match`) and `Location`. The preflight
 * `OPTIONS` is answered by API Gateway (MOCK methods in infra's rest-api stack).
 */
export const CORS: CorsOptions = { exposeHeaders: ['ETag', 'Location'] };

/** `If-Match` → the product version a write is conditional on (the rules: the middleware's `expectedVersion`). */
export const expectedVersion = (
  headers: Readonly<Record<string, string>>,
  options: { readonly required: boolean },
): number | undefined => ifMatchVersion(headers, { ...options, resource: 'product' });

/** A product's entity tag: its version, quoted. */
export const etag = versionETag;

/**
 * `Location` of a product created through `POST /products`: the request's own path plus the id. On the
 * execute-api host that path starts with the stage (`/dev/products` → `/dev/products/<id>`), so the
 * link works there as well as behind a custom domain; a bare `/products/<id>` would miss the stage.
 */
export function productLocation(event: RestApiEvent, id: string): string {
  const base = (event.requestContext.path || event.path).replace(/\/+$/, '');
  return `${base}/${id}`;
}
