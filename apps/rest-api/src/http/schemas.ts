/**
 * Path and query schemas of the catalog routes. (Body schemas are the domain's: domain/product.ts.)
 * Failures become one 400 listing every bad field.
 *
 * The query schema is deliberately NOT strict: `GET /products` is cached by API Gateway with
 * `category`, `limit` and `cursor` as the cache key. A parameter outside the key must not change the
 * answer — rejecting `?foo=1` with 400 would make the answer depend on whether the cache was warm.
 */
import { pageQuery } from '@serverless-reference/middleware';
import * as z from 'zod';
import { CURSOR_MAX_LENGTH, decodeCursor } from '../domain/cursor';
import { Category, ProductId } from '../domain/product';

/** `/products/{id}` */
export const ProductPath = z.object({ id: ProductId });

/** `?category=<slug>&limit=1..100&cursor=<nextCursor of the previous page>` — category required. */
export const ListQuery = z.object({
  category: Category,
  ...pageQuery(decodeCursor, CURSOR_MAX_LENGTH),
});
