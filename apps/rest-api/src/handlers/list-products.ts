/**
 * GET /products?category=&limit=&cursor= — one category's products sorted by name, a page at a time.
 * Public: no authorizer; an API key (usage plan) is required at the gateway. Cached by API Gateway with
 * category, limit and cursor as the cache key, so pages never collide.
 * 200 `{ category, items, nextCursor }` (nextCursor null on the last page) | 400 missing category, bad
 * limit or cursor
 */
import { restApiHandler } from '@serverless-reference/middleware';
import { CORS } from '../http/request';
import { ListQuery } from '../http/schemas';
import { catalog } from '../runtime';

export const handler = restApiHandler({
  query: ListQuery,
  cors: CORS,
  handler: async ({ query }) =>
    catalog.listByCategory(query.category, { limit: query.limit, cursor: query.cursor }),
});
