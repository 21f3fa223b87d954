/**
 * GET /health — liveness of the notes service (HTTP API, payload 2.0).
 *
 * Answers from the function alone and touches no dependency, so "the API and the function are up" is
 * told apart from "a dependency is down". Never cached: every call reaches the function.
 */
import { httpApiHandler, json } from '@serverless-reference/middleware';

/** The template sets POWERTOOLS_SERVICE_NAME; the fallback only matters outside a deployment. */
const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'notes';

export const handler = httpApiHandler({
  handler: async () => json(200, { status: 'ok', service }, { 'Cache-Control': 'no-store' }),
});
