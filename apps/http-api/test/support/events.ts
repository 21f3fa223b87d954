/**
 * The JWT claims of the tokens this service's Cognito clients really get, as an HTTP API JWT authorizer
 * passes them: every claim a **string** — API Gateway stringifies claims, numbers (`exp`, `iat`) included.
 * The events themselves come from `httpApiEvent` of `@serverless-reference/middleware/testing`.
 */
import type { JwtClaims } from '@serverless-reference/middleware/testing';

export const WEB_CLIENT_ID = '3nkoep4151b7umeggnottc30u9';
export const MACHINE_CLIENT_ID = '6q9vbhd3lqbq3i4o5l0rfq4h3k';
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27';

export type Claims = JwtClaims;

/** Claims of a user's access token from InitiateAuth (USER_PASSWORD_AUTH): scope is the admin scope only. */
export function userClaims(sub: string): Claims {
  return {
    sub,
    iss: ISSUER,
    client_id: WEB_CLIENT_ID,
    origin_jti: 'a1d8f2c4-0b7e-4c55-9a47-1c3d5e7f9b20',
    event_id: 'c7f6cc62-c476-4c6a-ba5b-745244dfe5ee',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: '1718636404',
    exp: '1718640004',
    iat: '1718636404',
    jti: '13727aba-89e6-4896-bd9e-8cbc0f478f9c',
    username: sub,
  };
}

/** Claims of a client_credentials access token: the subject is the client itself. */
export function machineClaims(scope: string): Claims {
  return {
    sub: MACHINE_CLIENT_ID,
    token_use: 'access',
    scope,
    auth_time: '1718636404',
    iss: ISSUER,
    exp: '1718640004',
    iat: '1718636404',
    version: '2',
    jti: '5b8f1c2d-6e4a-4f3b-9c1d-2e3f4a5b6c7d',
    client_id: MACHINE_CLIENT_ID,
  };
}
