import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type IdentityProvider, startIdentityProvider } from '../../src/identity/index.js';
import type { RunningService } from '../../src/service.js';
import {
  CALLBACK,
  claimKeys,
  HOSTED_CLIENT,
  LOGOUT,
  NOTES_POOL,
  notesPool,
  OTHER_POOL,
  otherPool,
  SERVER_CLIENT,
  SERVER_SECRET,
  verifier,
  WEB_CLIENT,
} from './fixture.js';

let idp: IdentityProvider & RunningService;

beforeAll(async () => {
  idp = await startIdentityProvider({
    pools: [notesPool, otherPool],
    seedUsers: [
      {
        poolId: NOTES_POOL,
        username: 'alice@example.com',
        password: 'Alice-Passw0rd',
        groups: ['admins'],
        attributes: { name: 'Alice' },
      },
    ],
    clock: new ManualClock(Date.now()),
  });
});

afterAll(async () => {
  await idp?.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(
  params: Record<string, string>,
  headers: Record<string, string> = {},
  url = idp.tokenEndpointFor(NOTES_POOL),
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('client_credentials', () => {
  it('issues a scoped machine token with Basic auth, shaped like Cognito’s', async () => {
    const reply = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(SERVER_CLIENT, SERVER_SECRET) },
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toContain('no-store');
    expect(Object.keys(reply.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(reply.body.token_type).toBe('Bearer');
    expect(reply.body.expires_in).toBe(900);
    const accessToken = reply.body.access_token as string;
    expect(claimKeys(accessToken)).toEqual(
      ['auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub', 'token_use', 'version'].sort(),
    );
    const claims = await verifier(
      idp.issuerFor(NOTES_POOL),
      idp.jwksUriFor(NOTES_POOL),
      'access',
      null,
    ).verify(accessToken);
    expect(claims).toMatchObject({
      sub: SERVER_CLIENT,
      client_id: SERVER_CLIENT,
      token_use: 'access',
      scope: 'notes/export notes/stats',
      version: 2,
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
  });

  it('accepts client_secret_post, a requested subset of scopes, and the pool-less /oauth2/token', async () => {
    const reply = await token(
      {
        grant_type: 'client_credentials',
        client_id: SERVER_CLIENT,
        client_secret: SERVER_SECRET,
        scope: 'notes/stats',
      },
      {},
      `${idp.url}/oauth2/token`,
    );
    expect(reply.status).toBe(200);
    const claims = decodeJwt(reply.body.access_token as string);
    expect(claims.scope).toBe('notes/stats');
    expect(claims.iss).toBe(idp.issuerFor(NOTES_POOL));
  });

  it('answers 401 invalid_client for a bad secret, an unknown client or the wrong pool', async () => {
    const bad = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(SERVER_CLIENT, 'wrong') },
    );
    expect(bad).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const unknown = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic('nobody', 'x') },
    );
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const missing = await token({ grant_type: 'client_credentials', client_id: SERVER_CLIENT });
    expect(missing).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const otherPool = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(SERVER_CLIENT, SERVER_SECRET) },
      idp.tokenEndpointFor(OTHER_POOL),
    );
    expect(otherPool).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('answers invalid_scope for a scope the client is not allowed (or that does not exist)', async () => {
    for (const scope of ['notes/admin', 'notes/export notes/admin', 'openid', 'other/thing']) {
      const reply = await token(
        { grant_type: 'client_credentials', scope },
        { authorization: basic(SERVER_CLIENT, SERVER_SECRET) },
      );
      expect(reply, scope).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    }
  });

  it('answers unauthorized_client for a client without client_credentials, and grant-type errors', async () => {
    const publicClient = await token({ grant_type: 'client_credentials', client_id: WEB_CLIENT });
    expect(publicClient).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    const auth = { authorization: basic(SERVER_CLIENT, SERVER_SECRET) };
    expect(await token({ grant_type: 'password' }, auth)).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await token({}, auth)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const json = await fetch(idp.tokenEndpointFor(NOTES_POOL), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: 'invalid_request' });
  });
});

describe('authorization code with PKCE (login page)', () => {
  const verifierString = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifierString).digest('base64url');

  async function login(state = 'xyz') {
    const authorize = new URL(`${idp.oauthBaseUrlFor(NOTES_POOL)}/oauth2/authorize`);
    for (const [key, value] of Object.entries({
      response_type: 'code',
      client_id: HOSTED_CLIENT,
      redirect_uri: CALLBACK,
      scope: 'openid email profile',
      state,
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(key, value);
    }
    const page = await fetch(authorize);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    const action = /action="([^"]+)"/.exec(html)?.[1] as string;
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields.set(name as string, value as string);
    }
    fields.set('username', 'alice@example.com');
    fields.set('password', 'Alice-Passw0rd');
    const redirect = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe(state);
    return location.searchParams.get('code') as string;
  }

  it('logs in through the form and exchanges the code for id, access and refresh tokens', async () => {
    const exchange = {
      grant_type: 'authorization_code',
      client_id: HOSTED_CLIENT,
      code: await login(),
      redirect_uri: CALLBACK,
      code_verifier: verifierString,
    };
    const reply = await token(exchange);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'token_type',
    ]);
    const issuer = idp.issuerFor(NOTES_POOL);
    const access = await verifier(issuer, idp.jwksUriFor(NOTES_POOL), 'access', null).verify(
      reply.body.access_token as string,
    );
    expect(access.scope).toBe('openid email profile');
    expect(access.version).toBe(2);
    expect(access['cognito:groups']).toEqual(['admins']);
    const id = await verifier(issuer, idp.jwksUriFor(NOTES_POOL), 'id', HOSTED_CLIENT).verify(
      reply.body.id_token as string,
    );
    expect(id).toMatchObject({ nonce: 'n-1', email: 'alice@example.com', name: 'Alice', aud: HOSTED_CLIENT });
    expect(id.at_hash).toEqual(expect.any(String));

    // Single use.
    const again = await token(exchange);
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // userInfo with the access token.
    const info = await fetch(`${idp.oauthBaseUrlFor(NOTES_POOL)}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${reply.body.access_token as string}` },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      sub: access.sub,
      email: 'alice@example.com',
      email_verified: 'true',
      name: 'Alice',
      username: access.username,
    });

    // refresh_token grant on the token endpoint.
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: HOSTED_CLIENT,
      refresh_token: reply.body.refresh_token as string,
    });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'token_type',
    ]);
    expect(decodeJwt(refreshed.body.access_token as string).origin_jti).toBe(access.origin_jti);
  });

  it('rejects a wrong PKCE verifier or redirect_uri with invalid_grant', async () => {
    const wrongVerifier = await token({
      grant_type: 'authorization_code',
      client_id: HOSTED_CLIENT,
      code: await login(),
      redirect_uri: CALLBACK,
      code_verifier: 'not-the-verifier',
    });
    expect(wrongVerifier).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const wrongRedirect = await token({
      grant_type: 'authorization_code',
      client_id: HOSTED_CLIENT,
      code: await login(),
      redirect_uri: 'http://localhost:5173/other',
      code_verifier: verifierString,
    });
    expect(wrongRedirect).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses an unregistered redirect_uri and shows wrong passwords on the form', async () => {
    const bad = await fetch(
      `${idp.oauthBaseUrlFor(NOTES_POOL)}/oauth2/authorize?response_type=code&client_id=${HOSTED_CLIENT}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
    );
    expect(bad.status).toBe(400);
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: HOSTED_CLIENT,
      redirect_uri: CALLBACK,
      username: 'alice@example.com',
      password: 'wrong',
    });
    const page = await fetch(`${idp.oauthBaseUrlFor(NOTES_POOL)}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Incorrect username or password.');
  });

  it('revokes a refresh token at /oauth2/revoke and redirects /logout to a registered logout_uri', async () => {
    const reply = await token({
      grant_type: 'authorization_code',
      client_id: HOSTED_CLIENT,
      code: await login(),
      redirect_uri: CALLBACK,
      code_verifier: verifierString,
    });
    const refreshToken = reply.body.refresh_token as string;
    const revoke = await fetch(`${idp.oauthBaseUrlFor(NOTES_POOL)}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: HOSTED_CLIENT }).toString(),
    });
    expect(revoke.status).toBe(200);
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: HOSTED_CLIENT,
      refresh_token: refreshToken,
    });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const logout = await fetch(
      `${idp.oauthBaseUrlFor(NOTES_POOL)}/logout?client_id=${HOSTED_CLIENT}&logout_uri=${encodeURIComponent(LOGOUT)}`,
      { redirect: 'manual' },
    );
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe(LOGOUT);
    const unregistered = await fetch(
      `${idp.url}/logout?client_id=${HOSTED_CLIENT}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(unregistered.status).toBe(400);
  });

  it('accepts only S256 PKCE, like Cognito', async () => {
    const authorize = new URL(`${idp.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: HOSTED_CLIENT,
      redirect_uri: CALLBACK,
      code_challenge: 'abc',
      code_challenge_method: 'plain',
      state: 's1',
    }).toString();
    const reply = await fetch(authorize, { redirect: 'manual' });
    expect(reply.status).toBe(302);
    const location = new URL(reply.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('userInfo rejects a missing or foreign token with 401 invalid_token', async () => {
    const none = await fetch(`${idp.url}/oauth2/userInfo`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('invalid_token');
    const garbage = await fetch(`${idp.url}/oauth2/userInfo`, {
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(garbage.status).toBe(401);
  });
});

describe('server', () => {
  it('answers unknown routes with 404 and unknown operations with UnknownOperationException', async () => {
    expect((await fetch(`${idp.url}/nope`)).status).toBe(404);
    const response = await fetch(idp.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.CreateUserPool',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers CORS preflights, closes idempotently and frees its port', async () => {
    const other = await startIdentityProvider({ pools: [otherPool], signingKeys: idp.exportSigningKeys() });
    const preflight = await fetch(other.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    await Promise.all([other.close(), other.close()]);
    await other.close();
    await expect(fetch(other.url)).rejects.toThrow();
  });
});
