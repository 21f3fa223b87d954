/**
 * REST API TOKEN authorizer (Lambda entry point).
 *
 * Identity source: `method.request.header.Authorization` = `Bearer <jwt>`. Valid token → Allow on the whole
 * stage with the claims as context; anything else → `Unauthorized` (401). Configuration: see README.
 */
import { authorizerHandler, logger } from '@serverless-reference/middleware';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authorizeToken } from '../authorizers';
import { orUnauthorized } from '../outcome';
import { authorizerRuntime } from '../runtime';

export const handler = authorizerHandler<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>(
  (event) => orUnauthorized(logger, () => authorizeToken(event, authorizerRuntime().verifier)),
);
