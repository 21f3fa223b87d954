/**
 * `requestContext.authorizer` of REST proxy events behind the shared TOKEN authorizer, for the tokens the
 * catalog's callers really get: every context value a **string** (`scope` space-separated as in the JWT,
 * `groups` comma-separated, `''` when empty), plus `principalId` (= sub) and `integrationLatency`, which
 * API Gateway adds. The events themselves come from `restApiEvent` of
 * `@serverless-reference/middleware/testing`.
 */
import type { LambdaAuthorizerContext } from '@serverless-reference/middleware';

export const WEB_CLIENT_ID = '3nkoep4151b7umeggnottc30u9';
export const MACHINE_CLIENT_ID = '6q9vbhd3lqbq3i4o5l0rfq4h3k';

/** A user's access token from InitiateAuth: scope is the admin scope only; groups as the pool has them. */
export function userContext(sub: string, groups: readonly string[] = []): LambdaAuthorizerContext {
  return {
    principalId: sub,
    integrationLatency: 312,
    sub,
    username: sub,
    clientId: WEB_CLIENT_ID,
    tokenUse: 'access',
    scope: 'aws.cognito.signin.user.admin',
    groups: groups.join(','),
  };
}

/** A client_credentials access token: the subject is the client, there is no username and no group. */
export function machineContext(scope: string): LambdaAuthorizerContext {
  return {
    principalId: MACHINE_CLIENT_ID,
    integrationLatency: 287,
    sub: MACHINE_CLIENT_ID,
    username: '',
    clientId: MACHINE_CLIENT_ID,
    tokenUse: 'access',
    scope,
    groups: '',
  };
}
