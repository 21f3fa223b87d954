/**
 * What the catalog handlers read from a request besides body, path and query (the `If-Match`
 * precondition), and the headers they answer with (`ETag`, `Location`, CORS).
 */
import { BadRequest, type CorsOptions, HttpError, type RestApiEvent } from '@serverless-reference/middleware';

/**
 * CORS on the functions' answers (REST proxy integrations pass the function's headers through; origins
 * from `CORS_ALLOWED_ORIGINS`). Browsers may read `ETag` (for `If-Match`) and `Location`. The preflight
 * `OPTIONS` is answered by API Gateway (MOCK methods in infra's rest-api stack).
 */
export const CORS: CorsOptions = { exposeHeaders: ['ETag', 'Location'] };

/** 428: the route needs `If-Match` and the request has none (RFC 6585). */
export class PreconditionRequired extends HttpError {
  override readonly name: string = 'PreconditionRequired';
  constructor(message = 'Precondition required') {
    super(428, message);
  }
}

/** A product's entity tag: its version, quoted (a strong ETag: every change bumps the version). */
export function etag(product: { readonly version: number }): string {
  return `"${product.version}"`;
}

const ENTITY_TAG = /^"([1-9][0-9]{0,14})"$/;

/**
 * The version a write is conditional on, from `If-Match`:
 *   `"3"`           → 3: the write succeeds only if the product is still at version 3 (else 412)
 *   `*`             → undefined: any current version (the product must exist)
 *   absent          → 428 when `required`, otherwise undefined
 *   anything else   → 400 (weak tags `W/"3"` and lists are not accepted)
 */
export function expectedVersion(
  headers: Readonly<Record<string, string>>,
  options: { required: boolean },
): number | undefined {
  const value = headers['if-match']?.trim();
  if (value === undefined || value === '') {
    if (options.required) {
      throw new PreconditionRequired("Send If-Match with the product's ETag (or * to overwrite any version)");
    }
    return undefined;
  }
  if (value === '*') return undefined;
  const version = ENTITY_TAG.exec(value)?.[1];
  if (version === undefined) throw new BadRequest('If-Match must be the product\'s ETag, e.g. "3", or *');
  return Number(version);
}

/**
 * `Location` of a product created through `POST /products`: the request's own path plus the id. On the
 * execute-api host that path starts with the stage (`/dev/products` → `/dev/products/<id>`), so the
 * link works there as well as behind a custom domain; a bare `/products/<id>` would miss the stage.
 */
export function productLocation(event: RestApiEvent, id: string): string {
  const base = (event.requestContext.path || event.path).replace(/\/+$/, '');
  return `${base}/${id}`;
}
