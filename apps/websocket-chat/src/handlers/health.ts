/**
 * WebSocket health handler of the chat service, on `$connect` and `$default` until the chat routes land.
 *
 * `$connect` (already authorized by the REQUEST authorizer): 200 accepts the connection; the body is
 * ignored. `$default` (any message without a known `action`): the body `{ status, service }` reaches the
 * client, because the route has a route response.
 */
import { webSocketHandler } from '@serverless-reference/middleware';

/** The template sets POWERTOOLS_SERVICE_NAME; the fallback only matters outside a deployment. */
const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'chat';

export const handler = webSocketHandler({
  handler: async () => ({ status: 'ok', service }),
});
