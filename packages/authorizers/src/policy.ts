import type { APIGatewayAuthorizerResult, PolicyDocument, StatementEffect } from 'aws-lambda';
import { AuthorizerConfigError } from './errors';
import type { VerifiedToken } from './jwt/claims';

/**
 * IAM policies for API Gateway Lambda authorizers (REST TOKEN/REQUEST, WebSocket `$connect`, and the
 * IAM-policy form of HTTP API authorizers).
 */

/** `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/…` */
const EXECUTE_API_ARN =
  /^arn:(aws[a-z-]*):execute-api:([a-z0-9-]+):(\d{12}):([A-Za-z0-9]+)\/([^/]+)(?:\/.*)?$/;

/**
 * The resource of an authorizer policy: every method and route of the API's stage.
 *
 * `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/items/7` → `…:abc123/prod/*`.
 *
 * Why the whole stage: API Gateway caches the authorizer's policy (per token, 300 s by default) and
 * re-evaluates the CACHED policy against later requests' method ARNs. A policy naming only the first ARN
 * would then deny (403) the same token's next call to any other method. `/{stage}/*` also covers the
 * WebSocket `…/{stage}/$connect` ARN, which has no verb — a REST-style `…/{stage}/*\/*` would not.
 * Per-route rules (scopes of one route) belong in the handler, which receives them in the context.
 */
export function stageWildcardResource(methodArn: string): string {
  const match = EXECUTE_API_ARN.exec(methodArn);
  if (!match) {
    throw new AuthorizerConfigError('methodArn is not an execute-api ARN with an API id and a stage');
  }
  const [, partition, region, account, apiId, stage] = match;
  return `arn:${partition}:execute-api:${region}:${account}:${apiId}/${stage}/*`;
}

export function policyDocument(effect: StatementEffect, resource: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  };
}

/**
 * The authorizer context: only strings (API Gateway refuses objects and arrays here, and stringifies
 * numbers and booleans in mapping templates anyway). Lists are joined: `scope` with spaces (as in the JWT),
 * `groups` with commas. The keys are always present ('' when empty), so consumers need no existence checks.
 */
export type AuthorizerContext = {
  sub: string;
  username: string;
  clientId: string;
  tokenUse: 'access' | 'id';
  scope: string;
  groups: string;
};

export function authorizerContext(token: VerifiedToken): AuthorizerContext {
  return {
    sub: token.sub,
    username: token.username,
    clientId: token.clientId,
    tokenUse: token.tokenUse,
    scope: token.scopes.join(' '),
    groups: token.groups.join(','),
  };
}

export type AllowResult = APIGatewayAuthorizerResult & { context: AuthorizerContext };

/** The Allow result for a verified token: principal `sub`, the whole stage, the claims as context. */
export function allowPolicy(methodArn: string, token: VerifiedToken): AllowResult {
  return {
    principalId: token.sub,
    policyDocument: policyDocument('Allow', stageWildcardResource(methodArn)),
    context: authorizerContext(token),
  };
}
