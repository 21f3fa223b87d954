/**
 * GET /health — liveness of the catalog service (REST API, payload 1.0).
 *
 * Answers from the function alone and touches no dependency, so "the API and the function are up" is
 * told apart from "a dependency is down". `Cache-Control: no-store` keeps browsers and proxies from
 * caching it (API Gateway's own stage cache ignores that header: keep this method out of it).
 */
import { json, restApiHandler } from '@serverless-reference/middleware';

/** The template sets POWERTOOLS_SERVICE_NAME; the fallback only matters outside a deployment. */
const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'catalog';

export const handler = restApiHandler({
  handler: async () => json(200, { status: 'ok', service }, { 'Cache-Control': 'no-store' }),
});
