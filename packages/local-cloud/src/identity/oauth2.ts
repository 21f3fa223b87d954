/**
 * The user pool's OAuth 2.0 endpoints (Cognito serves them on the pool's domain; here under
 * `/{poolId}/oauth2/...`, or `/oauth2/...` where the client id identifies the pool):
 * token (client_credentials, refresh_token, authorization_code + PKCE), authorize + a minimal login page,
 * userInfo.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IdentityCore } from './core.js';
import { AUTH_CODE_TTL_MS } from './core.js';
import { OAuthError } from './errors.js';
import { safeEqual, verifyPassword } from './passwords.js';
import type { ClientRuntime, UserPool, UserRecord } from './pool.js';
import { ADMIN_SCOPE, issueClientToken, newSession } from './tokens.js';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' };

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): HttpReply => ({
  status,
  headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  body: JSON.stringify(value),
});

export function oauthErrorReply(error: OAuthError): HttpReply {
  const headers: Record<string, string> = { ...NO_STORE };
  if (error.status === 401) headers['www-authenticate'] = 'Basic realm="oauth2"';
  return json(error.status, { error: error.code }, headers);
}

/** Scopes a user-facing OAuth client may ask for: standard OIDC ones plus resource-server scopes. */
const USER_SCOPES = new Set(['openid', 'email', 'phone', 'profile', ADMIN_SCOPE]);

/** Client authentication: HTTP Basic (client_secret_basic) or body fields (client_secret_post). */
function authenticateClient(
  core: IdentityCore,
  poolId: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  params: URLSearchParams,
): { pool: UserPool; client: ClientRuntime } {
  let clientId = params.get('client_id') ?? undefined;
  let secret = params.get('client_secret') ?? undefined;
  const authorization = typeof headers.authorization === 'string' ? headers.authorization : undefined;
  if (authorization !== undefined) {
    const match = /^Basic\s+(\S+)$/i.exec(authorization);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 401);
    clientId = decoded.slice(0, colon);
    secret = decoded.slice(colon + 1);
  }
  if (!clientId) throw new OAuthError('invalid_client', 401);
  const found = core.findClient(clientId);
  if (!found || (poolId !== undefined && found.pool.id !== poolId))
    throw new OAuthError('invalid_client', 401);
  const expected = found.client.clientSecret;
  if (expected !== undefined && (secret === undefined || !safeEqual(secret, expected))) {
    throw new OAuthError('invalid_client', 401);
  }
  return found;
}

function oauthEnabled(client: ClientRuntime, flow: string): boolean {
  return client.allowedOAuthFlowsUserPoolClient && client.allowedOAuthFlows.includes(flow);
}

async function clientCredentials(
  core: IdentityCore,
  pool: UserPool,
  client: ClientRuntime,
  params: URLSearchParams,
) {
  if (client.clientSecret === undefined || !oauthEnabled(client, 'client_credentials')) {
    throw new OAuthError('unauthorized_client');
  }
  const allowed = client.allowedOAuthScopes.filter((scope) => pool.resourceServerScopes.has(scope));
  const requested = params.get('scope')?.split(/\s+/).filter(Boolean);
  const scopes = requested?.length ? [...new Set(requested)] : allowed;
  if (scopes.length === 0 || scopes.some((scope) => !allowed.includes(scope)))
    throw new OAuthError('invalid_scope');
  const { accessToken, expiresIn } = await issueClientToken(
    pool,
    client,
    scopes,
    core.now(),
    core.issuerFor(pool.id),
  );
  core.log(`identity: ${pool.id} client_credentials ${client.clientId} scope=${scopes.join(' ')}`);
  return json(200, { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' }, NO_STORE);
}

async function refreshGrant(core: IdentityCore, client: ClientRuntime, params: URLSearchParams) {
  const token = params.get('refresh_token');
  if (!token) throw new OAuthError('invalid_request');
  const used = core.useRefreshToken(token, client);
  if (!used.ok) throw new OAuthError('invalid_grant');
  const scopes = used.record.session.oauthScopes;
  const tokens = await core.issue(used.pool, client, used.user, {
    session: used.record.session,
    ...(scopes ? { oauth: { scopes }, idToken: scopes.includes('openid') } : {}),
  });
  return json(
    200,
    {
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      access_token: tokens.accessToken,
      expires_in: tokens.expiresIn,
      token_type: 'Bearer',
    },
    NO_STORE,
  );
}

function pkceMatches(verifier: string, challenge: string): boolean {
  return safeEqual(createHash('sha256').update(verifier).digest('base64url'), challenge);
}

async function authorizationCodeGrant(
  core: IdentityCore,
  pool: UserPool,
  client: ClientRuntime,
  params: URLSearchParams,
) {
  const code = params.get('code');
  const redirectUri = params.get('redirect_uri');
  if (!code || !redirectUri) throw new OAuthError('invalid_request');
  if (!oauthEnabled(client, 'code')) throw new OAuthError('unauthorized_client');
  const grant = core.authorizationCodes.get(code);
  core.authorizationCodes.delete(code); // single use, whatever happens next
  if (!grant || grant.clientId !== client.clientId || grant.expiresAt <= core.now()) {
    throw new OAuthError('invalid_grant');
  }
  if (grant.redirectUri !== redirectUri) throw new OAuthError('invalid_grant');
  if (grant.codeChallenge !== undefined) {
    const verifier = params.get('code_verifier');
    if (!verifier || !pkceMatches(verifier, grant.codeChallenge)) {
      throw new OAuthError('invalid_grant');
    }
  }
  const user = pool.users.get(grant.username);
  if (!user?.enabled) throw new OAuthError('invalid_grant');
  const tokens = await core.issue(pool, client, user, {
    session: grant.session,
    refresh: true,
    oauth: { scopes: grant.scopes, ...(grant.nonce ? { nonce: grant.nonce } : {}) },
    idToken: grant.scopes.includes('openid'),
  });
  return json(
    200,
    {
      ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_in: tokens.expiresIn,
      token_type: 'Bearer',
    },
    NO_STORE,
  );
}

/** `POST /oauth2/token`. */
export async function tokenEndpoint(
  core: IdentityCore,
  poolId: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): Promise<HttpReply> {
  try {
    const contentType = String(headers['content-type'] ?? '');
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request');
    }
    const params = new URLSearchParams(body);
    const { pool, client } = authenticateClient(core, poolId, headers, params);
    const grantType = params.get('grant_type');
    switch (grantType) {
      case 'client_credentials':
        return await clientCredentials(core, pool, client, params);
      case 'refresh_token':
        return await refreshGrant(core, client, params);
      case 'authorization_code':
        return await authorizationCodeGrant(core, pool, client, params);
      case null:
      case '':
        throw new OAuthError('invalid_request');
      default:
        throw new OAuthError('unsupported_grant_type');
    }
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorReply(error);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// userInfo

const PROFILE_ATTRIBUTES = new Set([
  'name',
  'family_name',
  'given_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'updated_at',
  'address',
]);

function bearerError(description: string): HttpReply {
  return json(
    401,
    { error: 'invalid_token', error_description: description },
    { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  );
}

/** `GET|POST /oauth2/userInfo` with `Authorization: Bearer <access token>`. Values are strings, as Cognito's. */
export async function userInfoEndpoint(
  core: IdentityCore,
  authorization: string | undefined,
  poolId?: string,
): Promise<HttpReply> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return bearerError('Access token is missing');
  const checked = await core.checkAccessToken(token);
  if (!checked.ok || !checked.pool || (poolId !== undefined && checked.pool.id !== poolId)) {
    return bearerError(
      !checked.ok && checked.reason === 'expired' ? 'Access token is expired' : 'Invalid access token',
    );
  }
  const scopes = (checked.claims.scope ?? '').split(' ');
  const admin = scopes.includes(ADMIN_SCOPE);
  if (!admin && !scopes.includes('openid')) return bearerError('Access token does not contain openid scope');
  const pool = checked.pool;
  const username = checked.claims.username;
  const user = typeof username === 'string' ? pool.users.get(pool.key(username)) : undefined;
  if (!user) return bearerError('User does not exist');
  const info: Record<string, string> = {};
  for (const [name, value] of user.attributes) {
    const visible =
      admin ||
      name === 'sub' ||
      name.startsWith('custom:') ||
      (scopes.includes('email') && (name === 'email' || name === 'email_verified')) ||
      (scopes.includes('phone') && (name === 'phone_number' || name === 'phone_number_verified')) ||
      (scopes.includes('profile') && PROFILE_ATTRIBUTES.has(name));
    if (visible) info[name] = value;
  }
  info.username = user.username;
  return json(200, info);
}

// ---------------------------------------------------------------------------------------------------------
// authorize + login page (authorization code grant with PKCE)

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function errorPage(status: number, message: string): HttpReply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><meta charset="utf-8"><title>Error</title><p>${escapeHtml(message)}</p>`,
  };
}

function redirect(location: string): HttpReply {
  return { status: 302, headers: { location, ...NO_STORE }, body: '' };
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** Validates an authorize request; returns an error reply or the parsed request. */
function parseAuthorize(
  core: IdentityCore,
  poolId: string | undefined,
  params: URLSearchParams,
): { pool: UserPool; client: ClientRuntime; request: AuthorizeRequest } | HttpReply {
  const clientId = params.get('client_id') ?? '';
  const found = core.findClient(clientId);
  if (!found || (poolId !== undefined && found.pool.id !== poolId))
    return errorPage(400, 'An error was encountered with the requested page: invalid client_id');
  const { pool, client } = found;
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client.callbackUrls.includes(redirectUri)) return errorPage(400, 'redirect_mismatch');
  const state = params.get('state') ?? undefined;
  const fail = (error: string) => redirect(withQuery(redirectUri, { error, state }));
  if (params.get('response_type') !== 'code') return fail('unsupported_response_type');
  if (!oauthEnabled(client, 'code')) return fail('unauthorized_client');
  const requested = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const scopes = requested.length ? requested : [...client.allowedOAuthScopes];
  const allowed = (scope: string) =>
    client.allowedOAuthScopes.includes(scope) &&
    (USER_SCOPES.has(scope) || pool.resourceServerScopes.has(scope));
  if (scopes.some((scope) => !allowed(scope))) return fail('invalid_scope');
  // Cognito supports only S256 (no `plain`).
  const codeChallengeMethod = params.get('code_challenge_method') ?? undefined;
  const codeChallenge = params.get('code_challenge') ?? undefined;
  if ((codeChallenge !== undefined || codeChallengeMethod !== undefined) && codeChallengeMethod !== 'S256') {
    return fail('invalid_request');
  }
  return {
    pool,
    client,
    request: {
      clientId,
      redirectUri,
      state,
      scopes,
      nonce: params.get('nonce') ?? undefined,
      codeChallenge,
      codeChallengeMethod,
    },
  };
}

function loginPage(pool: UserPool, request: AuthorizeRequest, action: string, message?: string): HttpReply {
  const hidden = Object.entries({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    state: request.state,
    scope: request.scopes.join(' '),
    nonce: request.nonce,
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
    response_type: 'code',
  })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(String(value))}">`)
    .join('');
  const label = pool.emailIsUsername ? 'Email' : 'Username';
  return {
    status: message ? 400 : 200,
    headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE },
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sign in · ${escapeHtml(pool.name)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.3rem 0}.error{color:#b00}</style>
<h1>Sign in</h1><p>Local identity provider · pool ${escapeHtml(pool.id)}</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">${hidden}
<label for="username">${label}</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></html>`,
  };
}

/** `GET /oauth2/authorize`: shows the login form. */
export function authorizeEndpoint(
  core: IdentityCore,
  poolId: string | undefined,
  query: URLSearchParams,
): HttpReply {
  const parsed = parseAuthorize(core, poolId, query);
  if ('status' in parsed) return parsed;
  return loginPage(parsed.pool, parsed.request, `${core.baseUrl}/${parsed.pool.id}/login`);
}

/** `POST /{poolId}/login`: checks the password and redirects back with `code` (and `state`). */
export async function loginEndpoint(core: IdentityCore, poolId: string, body: string): Promise<HttpReply> {
  const form = new URLSearchParams(body);
  const parsed = parseAuthorize(core, poolId, form);
  if ('status' in parsed) return parsed;
  const { pool, client, request } = parsed;
  const action = `${core.baseUrl}/${pool.id}/login`;
  const name = form.get('username') ?? '';
  const user: UserRecord | undefined = pool.resolve(name);
  const ok = await verifyPassword(form.get('password') ?? '', user?.passwordHash);
  const bySub = user !== undefined && user.sub === name && user.username !== name;
  if (!user || !ok || bySub) return loginPage(pool, request, action, 'Incorrect username or password.');
  if (!user.enabled) return loginPage(pool, request, action, 'User is disabled.');
  if (user.status === 'UNCONFIRMED') return loginPage(pool, request, action, 'User is not confirmed.');
  if (user.status !== 'CONFIRMED') {
    return loginPage(
      pool,
      request,
      action,
      `This local login page cannot handle ${user.status}; use the Cognito API.`,
    );
  }
  core.sweep();
  const code = randomUUID();
  core.authorizationCodes.set(code, {
    poolId: pool.id,
    clientId: client.clientId,
    username: pool.key(user.username),
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    session: newSession(core.now(), request.scopes),
    expiresAt: core.now() + AUTH_CODE_TTL_MS,
  });
  core.log(`identity: ${pool.id} hosted sign-in ${user.username} via ${client.clientId}`);
  return redirect(withQuery(request.redirectUri, { code, state: request.state }));
}

// ---------------------------------------------------------------------------------------------------------
// revoke + logout

/** `POST /oauth2/revoke`: revokes a refresh token (and the access tokens issued from it, for the Cognito API). */
export async function revokeEndpoint(
  core: IdentityCore,
  poolId: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): Promise<HttpReply> {
  try {
    const params = new URLSearchParams(body);
    const { client } = authenticateClient(core, poolId, headers, params);
    const token = params.get('token');
    if (!token) throw new OAuthError('invalid_request');
    const record = core.refreshTokens.get(token);
    if (record && record.clientId !== client.clientId) throw new OAuthError('unauthorized_client');
    core.revokeRefreshToken(token);
    return { status: 200, headers: NO_STORE, body: '' };
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorReply(error);
    throw error;
  }
}

/** `GET /logout?client_id=...&logout_uri=...`: nothing to clear locally (no session cookie); redirects back. */
export function logoutEndpoint(
  core: IdentityCore,
  poolId: string | undefined,
  query: URLSearchParams,
): HttpReply {
  const found = core.findClient(query.get('client_id') ?? '');
  if (!found || (poolId !== undefined && found.pool.id !== poolId))
    return errorPage(400, 'invalid client_id');
  const logoutUri = query.get('logout_uri');
  if (logoutUri !== null) {
    if (!found.client.logoutUrls.includes(logoutUri))
      return errorPage(400, 'logout_uri is not registered for this client');
    return redirect(logoutUri);
  }
  // As in Cognito: without logout_uri, redirect_uri + response_type lead back to the login page.
  return authorizeEndpoint(core, found.pool.id, query);
}
