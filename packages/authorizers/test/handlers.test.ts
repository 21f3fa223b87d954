/**
 * The Lambda entry points, as API Gateway calls them: configured only through environment variables,
 * wrapped by the shared middleware, fed events shaped like the captured samples in test/fixtures.
 */
import { fakeContext } from '@serverless-reference/middleware/testing';
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as httpHandler } from '../src/handlers/http-authorizer';
import { handler as requestHandler } from '../src/handlers/request-authorizer';
import { handler as tokenHandler } from '../src/handlers/token-authorizer';
import { resetAuthorizerRuntime } from '../src/index';
import tokenFixture from './fixtures/rest-authorizer-token.json';
import wsConnectFixture from './fixtures/ws-connect-authorizer-request.json';
import {
  accessClaims,
  createSigningKey,
  REGION,
  type SigningKey,
  signRs256,
  startIdp,
  type TestIdp,
  USER_SUB,
  WEB_CLIENT,
} from './support/idp';

const POOL = `${REGION}_Handlers1`;
const ENV_KEYS = [
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_TOKEN_USE',
  'JWT_QUERY_PARAMETER',
  'JWT_JWKS_URI',
] as const;

let idp: TestIdp;
let key: SigningKey;
let savedEnv: Record<string, string | undefined>;

const context = fakeContext('authorizer');

/** The flat authorizer context of the valid token (principal: USER_SUB), as every handler passes it on. */
const ALICE_CONTEXT = {
  sub: USER_SUB,
  username: 'alice',
  clientId: WEB_CLIENT,
  tokenUse: 'access',
  scope: 'aws.cognito.signin.user.admin',
  groups: 'admins',
};

function issue(claims: Record<string, unknown> = {}): string {
  const token = signRs256(key, accessClaims(idp.issuer(POOL), { 'cognito:groups': ['admins'], ...claims }));
  issuedTokens.push(token);
  return token;
}

const validToken = () => issue();

function restRequestEvent(headers: Record<string, string>): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/GET/items/7',
    resource: '/items/{id}',
    path: '/items/7',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: { id: '7' },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

function wsConnectEvent(query: Record<string, string>): APIGatewayRequestAuthorizerEvent {
  return {
    ...wsConnectFixture,
    queryStringParameters: { ...wsConnectFixture.queryStringParameters, ...query },
    multiValueQueryStringParameters: {
      ...wsConnectFixture.multiValueQueryStringParameters,
      ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
    },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

function httpEvent(
  headers: Record<string, string>,
  query?: Record<string, string>,
): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:lsw1ro4ipb/$default/POST/notes',
    identitySource: Object.values(headers),
    routeKey: 'POST /notes',
    rawPath: '/notes',
    rawQueryString: new URLSearchParams(query).toString(),
    cookies: [],
    headers: { host: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com', ...headers },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'lsw1ro4ipb',
      domainName: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'lsw1ro4ipb',
      http: {
        method: 'POST',
        path: '/notes',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'ZhNHJhhLjoEEPiw=',
      routeKey: 'POST /notes',
      stage: '$default',
      time: '17/Jun/2024:15:52:39 +0000',
      timeEpoch: 1718639559080,
    },
  };
}

/**
 * Everything the handlers write to stdout/stderr (Powertools logs there directly, not via `console`) is
 * captured for the whole file: it keeps the test output clean, lets tests assert on log lines, and lets
 * the last test check that no token issued here ever reached a log.
 */
let output = '';
let allOutput = '';
const issuedTokens: string[] = [];

function takeOutput(): string {
  const taken = output;
  output = '';
  return taken;
}

beforeAll(async () => {
  const collect = (chunk: unknown) => {
    output += String(chunk);
    allOutput += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(collect);
  vi.spyOn(process.stderr, 'write').mockImplementation(collect);
  key = await createSigningKey('handler-key');
  idp = await startIdp([key]);
  savedEnv = Object.fromEntries(ENV_KEYS.map((name) => [name, process.env[name]]));
  for (const name of ENV_KEYS) delete process.env[name];
  process.env.JWT_ISSUER = idp.issuer(POOL);
  process.env.JWT_AUDIENCE = WEB_CLIENT;
  resetAuthorizerRuntime();
});

afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnv ?? {})) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetAuthorizerRuntime();
  vi.restoreAllMocks();
  await idp?.close();
});

describe('token-authorizer handler (REST TOKEN)', () => {
  it('allows a valid token on the whole stage, principal = sub, flat context', async () => {
    const event: APIGatewayTokenAuthorizerEvent = {
      ...(tokenFixture as APIGatewayTokenAuthorizerEvent),
      authorizationToken: `Bearer ${validToken()}`,
    };
    const result = await tokenHandler(event, context);
    expect(result.principalId).toBe(USER_SUB);
    expect(result.policyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/*',
        },
      ],
    });
    expect(result.context).toEqual(ALICE_CONTEXT);
    for (const value of Object.values(result.context ?? {})) {
      expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
  });

  it('rejects the captured fixture ("Bearer foo") with exactly Unauthorized', async () => {
    const error = await tokenHandler(tokenFixture as APIGatewayTokenAuthorizerEvent, context).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Unauthorized');
  });

  it('rejects an expired token with exactly Unauthorized, logging the reason (at warn)', async () => {
    const token = issue({ exp: Math.floor(Date.now() / 1000) - 600 });
    const event = {
      ...(tokenFixture as APIGatewayTokenAuthorizerEvent),
      authorizationToken: `Bearer ${token}`,
    };
    takeOutput();
    const error = await tokenHandler(event, context).catch((e: unknown) => e);
    expect((error as Error).message).toBe('Unauthorized');
    const line = takeOutput()
      .split('\n')
      .find((l) => l.includes('authorization denied'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'WARN',
      reason: 'expired',
      errorType: 'InvalidTokenError',
    });
  });
});

describe('request-authorizer handler (REST REQUEST and WebSocket $connect)', () => {
  it('allows a token from the Authorization header (any case)', async () => {
    const result = await requestHandler(
      restRequestEvent({ authorization: `Bearer ${validToken()}` }),
      context,
    );
    expect(result.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/*',
    });
  });

  it('allows a WebSocket $connect with the token in the query string; the resource covers $connect', async () => {
    const result = await requestHandler(wsConnectEvent({ token: validToken() }), context);
    expect(result.principalId).toBe(USER_SUB);
    expect(result.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/*',
    });
  });

  it('rejects the captured $connect fixture (no token) with exactly Unauthorized', async () => {
    const error = await requestHandler(
      wsConnectFixture as unknown as APIGatewayRequestAuthorizerEvent,
      context,
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe('Unauthorized');
  });

  it('rejects a forged query-string token with exactly Unauthorized', async () => {
    const [h, p] = validToken().split('.');
    const error = await requestHandler(wsConnectEvent({ token: `${h}.${p}.c2lnbmF0dXJl` }), context).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('Unauthorized');
  });
});

describe('http-authorizer handler (HTTP API, simple responses)', () => {
  it('answers isAuthorized:true with the context for a valid token', async () => {
    const result = await httpHandler(httpEvent({ authorization: `Bearer ${validToken()}` }), context);
    expect(result).toEqual({ isAuthorized: true, context: ALICE_CONTEXT });
  });

  it('answers isAuthorized:false (no throw) for a bad or missing token', async () => {
    await expect(httpHandler(httpEvent({ authorization: 'Bearer foo' }), context)).resolves.toEqual({
      isAuthorized: false,
    });
    await expect(httpHandler(httpEvent({}), context)).resolves.toEqual({ isAuthorized: false });
  });

  it('accepts the query-string token too', async () => {
    const result = await httpHandler(httpEvent({}, { token: validToken() }), context);
    expect(result.isAuthorized).toBe(true);
  });
});

describe('container-wide state', () => {
  it('fetched the JWKS once for all the invocations above', async () => {
    for (let i = 0; i < 5; i++) {
      await tokenHandler(
        { ...(tokenFixture as APIGatewayTokenAuthorizerEvent), authorizationToken: `Bearer ${validToken()}` },
        context,
      );
    }
    expect(idp.requestCount(`/${POOL}/.well-known/jwks.json`)).toBe(1);
  });

  it('denies (Unauthorized) rather than crashing when the configuration is unusable, then recovers', async () => {
    resetAuthorizerRuntime();
    const issuer = process.env.JWT_ISSUER;
    delete process.env.JWT_ISSUER;
    try {
      takeOutput();
      const error = await tokenHandler(
        { ...(tokenFixture as APIGatewayTokenAuthorizerEvent), authorizationToken: `Bearer ${validToken()}` },
        context,
      ).catch((e: unknown) => e);
      expect((error as Error).message).toBe('Unauthorized');
      expect(takeOutput()).toMatch(/"level":"ERROR".*"reason":"invalid_config"/);
    } finally {
      process.env.JWT_ISSUER = issuer;
    }
    const result = await tokenHandler(
      { ...(tokenFixture as APIGatewayTokenAuthorizerEvent), authorizationToken: `Bearer ${validToken()}` },
      context,
    );
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });
});

describe('logs', () => {
  it('never contain a token issued in these tests (nor its payload or signature)', () => {
    const all = allOutput;
    expect(issuedTokens.length).toBeGreaterThan(10);
    for (const token of issuedTokens) {
      for (const part of token.split('.')) expect(all).not.toContain(part.slice(0, 24));
    }
  });
});
