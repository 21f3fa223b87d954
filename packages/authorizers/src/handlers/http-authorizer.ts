/**
 * HTTP API Lambda authorizer (Lambda entry point), payload format 2.0 with simple responses.
 *
 * Token: `authorization: Bearer <jwt>` (headers arrive lowercased), else the `JWT_QUERY_PARAMETER` query
 * parameter. Valid → `{ isAuthorized: true, context }`; anything else → `{ isAuthorized: false }` (403).
 */
import { authorizerHandler, logger } from '@serverless-reference/middleware';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { authorizeHttp } from '../authorizers';
import { orNotAuthorized } from '../outcome';
import { authorizerRuntime } from '../runtime';

export const handler = authorizerHandler<
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult
>((event) =>
  orNotAuthorized(logger, () => {
    const { config, verifier } = authorizerRuntime();
    return authorizeHttp(event, verifier, config.queryParameter);
  }),
);
