/**
 * Compile-time contract of the event types (checked by `tsc -p .`): events typed with the usual
 * `@types/aws-lambda` names can be passed to the factories' handlers.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyWebsocketEventV2,
  APIGatewayProxyWithLambdaAuthorizerEvent,
} from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import type { HttpApiEvent, RestApiEvent, WebSocketEvent } from '../src/index';

describe('event types accept @types/aws-lambda events', () => {
  it('REST', () => {
    expectTypeOf<APIGatewayProxyEvent>().toExtend<RestApiEvent>();
    expectTypeOf<APIGatewayProxyWithLambdaAuthorizerEvent<{ tenantId: string }>>().toExtend<RestApiEvent>();
  });

  it('HTTP API', () => {
    expectTypeOf<APIGatewayProxyEventV2>().toExtend<HttpApiEvent>();
    expectTypeOf<APIGatewayProxyEventV2WithJWTAuthorizer>().toExtend<HttpApiEvent>();
  });

  it('WebSocket', () => {
    expectTypeOf<APIGatewayProxyWebsocketEventV2>().toExtend<WebSocketEvent>();
  });
});
