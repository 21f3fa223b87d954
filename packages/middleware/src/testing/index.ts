/**
 * @serverless-reference/middleware/testing — scaffolding for handler TESTS: a fake Lambda `Context` and
 * builders of API Gateway events shaped like real captures (REST v1 proxy, HTTP API v2 with or without
 * JWT claims, WebSocket). See README.md, "Testing".
 *
 * Test code only. Never import it from a handler or anything a handler imports: it would ship in the
 * Lambda bundle and hand production code fake identities. It deliberately imports nothing from vitest
 * (or any test runner), so such a mistake cannot break a bundle either — it just should not happen.
 */
export { fakeContext } from './context';
export {
  type HttpApiEventOptions,
  httpApiEvent,
  type JwtClaims,
  type QueryParams,
  type RestApiEventOptions,
  restApiEvent,
  type StringMap,
  type WebSocketEventOptions,
  webSocketEvent,
} from './events';
