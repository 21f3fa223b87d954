/**
 * GET /products/{id} — one product.
 * Public: no authorizer; an API key (usage plan) is required at the gateway. Cached by API Gateway per
 * product id: the answer must never depend on who asks (see the README, "Caching").
 * 200 + the product and its `ETag` | 400 malformed id | 404
 */
import { json, restApiHandler } from '@serverless-reference/middleware';
import { CORS, etag } from '../http/request';
import { ProductPath } from '../http/schemas';
import { catalog } from '../runtime';

export const handler = restApiHandler({
  path: ProductPath,
  cors: CORS,
  handler: async ({ path }) => {
    const product = await catalog.get(path.id);
    return json(200, product, { ETag: etag(product) });
  },
});
