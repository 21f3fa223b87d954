import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import { api, FakeInvoker, ok, route, send, startIssuer, type TestIssuer } from './helpers.js';

const clock = new ManualClock(Date.UTC(2026, 2, 1));
const now = () => Math.floor(clock.now() / 1000);
const invoker = new FakeInvoker().on('notes', () => ok({ statusCode: 200, body: 'ok' }));
let issuer: TestIssuer;
let fallbackIssuer: TestIssuer;
let gateway: HttpApiGateway;
let base: string;

const jwtRoute = (routeKey: string, authorizerId: string, scopes?: string[]) =>
  route(routeKey, 'notes', { authorization: { type: 'JWT', authorizerId, ...(scopes ? { scopes } : {}) } });

beforeAll(async () => {
  issuer = await startIssuer({ discovery: true });
  fallbackIssuer = await startIssuer({ discovery: false });
  gateway = await startHttpApiGateway({
    invoker,
    clock,
    apis: [
      api({
        routes: [
          jwtRoute('GET /notes', 'cognito'),
          jwtRoute('GET /export', 'cognito', ['notes/export', 'notes/admin']),
          jwtRoute('GET /other-issuer', 'plain'),
          {
            routeKey: 'GET /v1',
            integration: { type: 'AWS_PROXY', functionName: 'notes', payloadFormatVersion: '1.0' },
            authorization: { type: 'JWT', authorizerId: 'cognito' },
          },
        ],
        authorizers: [
          {
            id: 'cognito',
            type: 'JWT',
            issuer: issuer.issuer,
            audience: ['client-a', 'client-b'],
            identitySource: ['$request.header.Authorization'],
          },
          {
            id: 'plain',
            type: 'JWT',
            issuer: fallbackIssuer.issuer,
            audience: ['client-a'],
            identitySource: ['$request.header.X-Token'],
          },
        ],
      }),
    ],
  });
  base = gateway.endpoint('abc123def4').url;
});
afterAll(async () => {
  await gateway.close();
  await issuer.close();
  await fallbackIssuer.close();
});

const idToken = (extra: Record<string, unknown> = {}) =>
  issuer.sign({
    sub: 'user-1',
    iss: issuer.issuer,
    aud: 'client-a',
    token_use: 'id',
    iat: now(),
    auth_time: now(),
    exp: now() + 3600,
    email_verified: true,
    'cognito:groups': ['admin', 'editors'],
    ...extra,
  });

const get = (path: string, token?: string, header = 'Authorization') =>
  send(`${base}${path}`, { headers: token === undefined ? [] : [[header, token]] });

const challenge = (description: string, scope = '') =>
  `Bearer scope="${scope}" error="invalid_token" error_description="${description}"`;

describe('JWT authorizer', () => {
  it('passes a valid token and gives the integration stringified claims (scopes null without route scopes)', async () => {
    const token = await idToken({ nothing: null, address: { country: 'NL' } });
    const response = await get('/notes', `Bearer ${token}`);
    expect(response.status).toBe(200);
    const event = invoker.lastEvent('notes') as { requestContext: { authorizer: unknown } };
    expect(event.requestContext.authorizer).toEqual({
      jwt: {
        claims: {
          sub: 'user-1',
          iss: issuer.issuer,
          aud: 'client-a',
          token_use: 'id',
          iat: String(now()),
          auth_time: String(now()),
          exp: String(now() + 3600),
          email_verified: 'true',
          'cognito:groups': '[admin editors]',
          address: '{"country":"NL"}',
        },
        scopes: null,
      },
    });
    expect(APIGatewayProxyEventV2Schema.safeParse(event).success).toBe(true);
    // Bare tokens work too, and the key set was found through OIDC discovery.
    expect((await get('/notes', token)).status).toBe(200);
    expect(issuer.hits).toContain('/pool/.well-known/openid-configuration');
    expect(issuer.hits.filter((h) => h === '/pool/keys')).toHaveLength(1); // cached
  });

  it('rejects a wrong audience with the documented www-authenticate text', async () => {
    const response = await get('/notes', `Bearer ${await idToken({ aud: 'someone-else' })}`);
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"message":"Unauthorized"}');
    expect(response.headers['www-authenticate']).toBe(challenge('the token does not have a valid audience'));
  });

  it('checks client_id only when aud is absent', async () => {
    const accessToken = (claims: Record<string, unknown>) =>
      issuer.sign({
        sub: 'user-1',
        iss: issuer.issuer,
        token_use: 'access',
        iat: now(),
        exp: now() + 60,
        ...claims,
      });
    expect((await get('/notes', await accessToken({ client_id: 'client-b' }))).status).toBe(200);
    expect((await get('/notes', await accessToken({ client_id: 'nope' }))).status).toBe(401);
    // aud present and wrong: a matching client_id does not rescue it.
    expect((await get('/notes', await accessToken({ aud: 'nope', client_id: 'client-a' }))).status).toBe(401);
  });

  it('rejects HS256, unknown keys, bad signatures, foreign issuers and malformed tokens', async () => {
    const hs256 = await new SignJWT({ iss: issuer.issuer, aud: 'client-a', exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    const valid = await idToken();
    const [header, payload] = valid.split('.');
    const otherSignature = (await idToken({ sub: 'someone-else' })).split('.')[2];
    const cases: Array<[string, string]> = [
      [hs256, 'the token is signed with an unsupported algorithm'],
      [
        await issuer.sign({ iss: issuer.issuer, aud: 'client-a', exp: now() + 60 }, { kid: 'unknown' }),
        "the token's key id is not in the issuer's JWKS",
      ],
      [`${header}.${payload}.${otherSignature}`, 'the token has an invalid signature'],
      [await idToken({ iss: 'https://elsewhere.example.com' }), 'the token does not have a valid issuer'],
      ['not-a-jwt', 'token contains an invalid number of segments'],
    ];
    for (const [token, description] of cases) {
      const response = await get('/notes', `Bearer ${token}`);
      expect(response.status, description).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge(description));
    }
  });

  it('rejects expired and not-yet-valid tokens by the gateway clock', async () => {
    const token = await idToken({ exp: now() + 10 });
    expect((await get('/notes', token)).status).toBe(200);
    clock.advance(10_000);
    const expired = await get('/notes', token);
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toBe(challenge('the token has expired'));
    const early = await get('/notes', await idToken({ nbf: now() + 60 }));
    expect(early.headers['www-authenticate']).toBe(challenge('the token is not valid yet'));
  });

  it('answers 401 without a token, without a www-authenticate challenge', async () => {
    const response = await get('/notes');
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"message":"Unauthorized"}');
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('needs any one of the route scopes, from scope or scp, and reports the matched ones', async () => {
    const withScope = await idToken({ scope: 'openid notes/export' });
    expect((await get('/export', withScope)).status).toBe(200);
    const event = invoker.lastEvent('notes') as {
      requestContext: { authorizer: { jwt: { scopes: unknown } } };
    };
    expect(event.requestContext.authorizer.jwt.scopes).toEqual(['notes/export']);
    expect((await get('/export', await idToken({ scp: ['notes/admin'] }))).status).toBe(200);

    const without = await get('/export', await idToken({ scope: 'openid profile' }));
    expect(without.status).toBe(403);
    expect(without.text).toBe('{"message":"Forbidden"}');
    const invalid = await get('/export', await idToken({ aud: 'nope', scope: 'notes/export' }));
    expect(invalid.headers['www-authenticate']).toBe(
      challenge('the token does not have a valid audience', 'notes/export notes/admin'),
    );
  });

  it('falls back to {issuer}/.well-known/jwks.json without discovery, and reads other headers', async () => {
    const token = await fallbackIssuer.sign({ iss: fallbackIssuer.issuer, aud: 'client-a', exp: now() + 60 });
    expect((await get('/other-issuer', token, 'X-Token')).status).toBe(200);
    expect(fallbackIssuer.hits).toEqual([
      '/pool/.well-known/openid-configuration',
      '/pool/.well-known/jwks.json',
    ]);
    expect((await get('/other-issuer', token)).status).toBe(401);
  });

  it('puts claims under requestContext.authorizer.claims in payload 1.0', async () => {
    expect((await get('/v1', await idToken())).status).toBe(200);
    const event = invoker.lastEvent('notes') as {
      version: string;
      requestContext: { authorizer: { claims: Record<string, string>; scopes: unknown } };
    };
    expect(event.version).toBe('1.0');
    expect(event.requestContext.authorizer.claims.sub).toBe('user-1');
    expect(event.requestContext.authorizer.claims['cognito:groups']).toBe('[admin editors]');
    expect(event.requestContext.authorizer.scopes).toBeNull();
  });
});
