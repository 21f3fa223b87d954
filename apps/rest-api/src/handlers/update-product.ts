/**
 * PATCH /products/{id} — change some of name, description, category, priceCents, currency, stock, tags.
 * Requires `If-Match: "<version>"` (the ETag the client read) so concurrent edits are never silently
 * lost; `If-Match: *` overwrites any version.
 * Auth: TOKEN authorizer, then `catalog/write` scope or `admins` group (checked in code).
 * 200 + the product and its new `ETag` | 400 | 401 | 403 | 404 | 412 stale version | 428 no If-Match
 */
import { json, logger, MetricUnit, metrics, restApiHandler } from '@serverless-reference/middleware';
import { ProductPatch } from '../domain/product';
import { CORS, etag, expectedVersion } from '../http/request';
import { ProductPath } from '../http/schemas';
import { requireCatalogWriter } from '../http/writer';
import { catalog } from '../runtime';

export const handler = restApiHandler({
  path: ProductPath,
  body: ProductPatch,
  cors: CORS,
  handler: async ({ path, body, headers, event }) => {
    const writer = requireCatalogWriter(event);
    const version = expectedVersion(headers, { required: true });
    const product = await catalog.update(path.id, body, version);
    logger.info('Product updated', { productId: product.id, version: product.version, writer });
    metrics.addMetric('ProductUpdated', MetricUnit.Count, 1);
    return json(200, product, { ETag: etag(product) });
  },
});
