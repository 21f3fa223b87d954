/**
 * POST /products — add a product. Idempotent by SKU: the id is derived from the SKU, so repeating the
 * same request cannot make a second product.
 * Auth: TOKEN authorizer (Cognito access token), then a machine token with `catalog/write` or a user in
 * `admins` (checked in code).
 * 201 + the product, `Location`, `ETag` | 200 + the existing product when the same SKU was already
 * created with the same values (a retry) | 400 | 401 | 403 | 409 SKU taken by other values | 415
 */
import { json, logger, MetricUnit, metrics, restApiHandler } from '@serverless-reference/middleware';
import { ProductInput } from '../domain/product';
import { CORS, etag, productLocation } from '../http/request';
import { requireCatalogWriter } from '../http/writer';
import { catalog } from '../runtime';

export const handler = restApiHandler({
  body: ProductInput,
  cors: CORS,
  handler: async ({ body, event }) => {
    const writer = requireCatalogWriter(event);
    const { product, created } = await catalog.create(body);
    logger.info(created ? 'Product created' : 'Product create repeated', {
      productId: product.id,
      sku: product.sku,
      writer,
    });
    if (created) metrics.addMetric('ProductCreated', MetricUnit.Count, 1);
    const headers = { Location: productLocation(event, product.id), ETag: etag(product) };
    return json(created ? 201 : 200, product, headers);
  },
});
