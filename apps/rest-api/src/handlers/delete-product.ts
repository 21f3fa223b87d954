/**
 * DELETE /products/{id} — remove a product; with `If-Match: "<version>"` only if unchanged.
 * Auth: TOKEN authorizer, then `catalog/write` scope or `admins` group (checked in code).
 * 204 | 400 | 401 | 403 | 404 (also for a second delete) | 412 stale version
 */
import { logger, MetricUnit, metrics, noContent, restApiHandler } from '@serverless-reference/middleware';
import { CORS, expectedVersion } from '../http/request';
import { ProductPath } from '../http/schemas';
import { requireCatalogWriter } from '../http/writer';
import { catalog } from '../runtime';

export const handler = restApiHandler({
  path: ProductPath,
  cors: CORS,
  handler: async ({ path, headers, event }) => {
    const writer = requireCatalogWriter(event);
    await catalog.delete(path.id, expectedVersion(headers, { required: false }));
    logger.info('Product deleted', { productId: path.id, writer });
    metrics.addMetric('ProductDeleted', MetricUnit.Count, 1);
    return noContent();
  },
});
