/**
 * REQUEST authorizer (Lambda entry point) for REST APIs and WebSocket `$connect`.
 *
 * Token: the `Authorization: Bearer <jwt>` header if present, else the query parameter named by
 * `JWT_QUERY_PARAMETER` (default `token`) — browsers cannot set headers on a WebSocket handshake.
 * Valid token → Allow on the whole stage (which covers `…/{stage}/$connect`); anything else → `Unauthorized`.
 */
import { authorizerHandler, logger } from '@serverless-reference/middleware';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizeRequest } from '../authorizers';
import { orUnauthorized } from '../outcome';
import { authorizerRuntime } from '../runtime';

export const handler = authorizerHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>(
  (event) =>
    orUnauthorized(logger, () => {
      const { config, verifier } = authorizerRuntime();
      return authorizeRequest(event, verifier, config.queryParameter);
    }),
);
