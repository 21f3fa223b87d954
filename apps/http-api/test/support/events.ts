/**
 * HTTP API (payload 2.0) events shaped like the ones API Gateway sends behind a Cognito JWT authorizer
 * (see /shared/reference/events/http-jwt-authorizer.json): lowercased headers, `$default` stage, and every
 * claim a **string** — API Gateway stringifies claims, numbers (`exp`, `iat`) included.
 */
import type { HttpApiEvent } from '@serverless-reference/middleware';
import type { Context } from 'aws-lambda';

export const WEB_CLIENT_ID = '3nkoep4151b7umeggnottc30u9';
export const MACHINE_CLIENT_ID = '6q9vbhd3lqbq3i4o5l0rfq4h3k';
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27';

export type Claims = Record<string, string>;

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

export interface RequestSpec {
  /** e.g. `PATCH /notes/{id}` */
  routeKey: string;
  /** e.g. `/notes/0195…` */
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Serialized as JSON with `content-type: application/json`; a string is sent as is. */
  body?: unknown;
  /** Verified token claims; `null` = a route without authorizer. */
  claims: Claims | null;
}

export function httpEvent(spec: RequestSpec): HttpApiEvent {
  const method = spec.routeKey.split(' ')[0] ?? 'GET';
  const query = spec.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const body =
    spec.body === undefined
      ? undefined
      : typeof spec.body === 'string'
        ? spec.body
        : JSON.stringify(spec.body);
  return {
    version: '2.0',
    routeKey: spec.routeKey,
    rawPath: spec.path,
    rawQueryString,
    headers: {
      accept: '*/*',
      ...(spec.claims ? { authorization: 'Bearer eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2ln' } : {}),
      ...(body === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': `${body.length}` }),
      host: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-66705b09-5f85233d2fb7bd54034f7e30',
      'x-forwarded-for': '15.248.3.126',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...spec.headers,
    },
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    ...(spec.pathParameters ? { pathParameters: spec.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'lsw1ro4ipb',
      ...(spec.claims
        ? { authorizer: { jwt: { claims: spec.claims, scopes: spec.claims.scope?.split(' ') ?? null } } }
        : {}),
      domainName: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'lsw1ro4ipb',
      http: {
        method,
        path: spec.path,
        protocol: 'HTTP/1.1',
        sourceIp: '15.248.3.126',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'ZhMpgigvDoEEPlg=',
      routeKey: spec.routeKey,
      stage: '$default',
      time: '17/Jun/2024:15:49:29 +0000',
      timeEpoch: 1718639369348,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

export function fakeContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/03/01/[$LATEST]6a2b6d1e0f1e4b8c9d0e1f2a3b4c5d6e',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
