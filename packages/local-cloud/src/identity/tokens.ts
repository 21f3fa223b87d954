/**
 * JWTs with the claims Cognito puts in them, per flow (see README.md, "Claims per flow"), signed RS256 with
 * the pool's id-token key or access-token key.
 */
import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from './keys.js';
import type { ClientRuntime, UserPool, UserRecord } from './pool.js';

/** The scope of every access token that InitiateAuth / RespondToAuthChallenge issue. */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** One sign-in: what stays the same when its refresh token is used. */
export interface AuthSession {
  originJti: string;
  eventId: string;
  /** Seconds since the epoch. */
  authTime: number;
  /** Only for hosted-UI / authorization-code sessions: the granted OAuth scopes. */
  oauthScopes?: string[];
}

export function newSession(nowMs: number, oauthScopes?: string[]): AuthSession {
  return {
    originJti: randomUUID(),
    eventId: randomUUID(),
    authTime: Math.floor(nowMs / 1000),
    ...(oauthScopes ? { oauthScopes } : {}),
  };
}

export function sign(payload: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

/** Attribute values as the id token carries them: `*_verified` as booleans, `updated_at` as a number. */
function idTokenAttributes(user: UserRecord): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of user.attributes) {
    if (name === 'sub') continue;
    if (name === 'email_verified' || name === 'phone_number_verified') claims[name] = value === 'true';
    else if (name === 'updated_at' && /^\d+$/.test(value)) claims[name] = Number(value);
    else claims[name] = value;
  }
  return claims;
}

function groupClaims(pool: UserPool, user: UserRecord, withRoles: boolean): Record<string, unknown> {
  const groups = pool.groupsOf(user);
  if (groups.length === 0) return {};
  const claims: Record<string, unknown> = { 'cognito:groups': groups.map((g) => g.name) };
  const roles = groups.flatMap((g) => (g.roleArn ? [g.roleArn] : []));
  if (withRoles && roles.length > 0) {
    claims['cognito:preferred_role'] = roles[0];
    claims['cognito:roles'] = roles;
  }
  return claims;
}

export interface UserTokens {
  accessToken: string;
  /** Absent only for authorization-code sessions without the `openid` scope. */
  idToken: string | undefined;
  expiresIn: number;
}

export interface UserTokenOptions {
  /** Authorization-code flow: OAuth scopes (access token gets `version: 2`, no `event_id`). */
  oauth?: { scopes: string[]; nonce?: string };
  /** Whether to issue an id token at all (authorization code without `openid` → none). */
  idToken?: boolean;
}

/** Access + id token for a signed-in user. */
export async function issueUserTokens(
  pool: UserPool,
  client: ClientRuntime,
  user: UserRecord,
  session: AuthSession,
  nowMs: number,
  issuer: string,
  options: UserTokenOptions = {},
): Promise<UserTokens> {
  const iat = Math.floor(nowMs / 1000);
  const access: JWTPayload = {
    sub: user.sub,
    ...groupClaims(pool, user, false),
    iss: issuer,
    ...(options.oauth ? { version: 2 } : {}),
    client_id: client.clientId,
    origin_jti: session.originJti,
    ...(options.oauth ? {} : { event_id: session.eventId }),
    token_use: 'access',
    scope: options.oauth ? options.oauth.scopes.join(' ') : ADMIN_SCOPE,
    auth_time: session.authTime,
    exp: iat + client.accessTokenSeconds,
    iat,
    jti: randomUUID(),
    username: user.username,
  };
  const accessToken = await sign(access, pool.keys.access);
  let idToken: string | undefined;
  if (options.idToken !== false) {
    const id: JWTPayload = {
      ...(options.oauth ? { at_hash: atHash(accessToken) } : {}),
      sub: user.sub,
      ...groupClaims(pool, user, true),
      ...idTokenAttributes(user),
      iss: issuer,
      'cognito:username': user.username,
      ...(options.oauth?.nonce ? { nonce: options.oauth.nonce } : {}),
      origin_jti: session.originJti,
      aud: client.clientId,
      ...(options.oauth ? {} : { event_id: session.eventId }),
      token_use: 'id',
      auth_time: session.authTime,
      exp: iat + client.idTokenSeconds,
      iat,
      jti: randomUUID(),
    };
    idToken = await sign(id, pool.keys.id);
  }
  return { accessToken, idToken, expiresIn: client.accessTokenSeconds };
}

/** client_credentials: an access token whose subject is the client. */
export async function issueClientToken(
  pool: UserPool,
  client: ClientRuntime,
  scopes: string[],
  nowMs: number,
  issuer: string,
): Promise<{ accessToken: string; expiresIn: number }> {
  const iat = Math.floor(nowMs / 1000);
  const payload: JWTPayload = {
    sub: client.clientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: iat,
    iss: issuer,
    exp: iat + client.accessTokenSeconds,
    iat,
    version: 2,
    jti: randomUUID(),
    client_id: client.clientId,
  };
  return { accessToken: await sign(payload, pool.keys.access), expiresIn: client.accessTokenSeconds };
}

/** OIDC `at_hash`: base64url of the left half of SHA-256(access token). */
function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

export type AccessTokenCheck =
  | { ok: true; claims: JWTPayload & { username?: string; scope?: string; client_id?: string } }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Verifies one of our access tokens (signature with the pool's access key, issuer, `token_use`, expiry). */
export async function verifyAccessToken(
  token: string,
  findPool: (poolId: string) => UserPool | undefined,
  issuerFor: (poolId: string) => string,
  nowMs: number,
): Promise<AccessTokenCheck & { pool?: UserPool }> {
  let iss: unknown;
  let kid: string | undefined;
  try {
    iss = decodeJwt(token).iss;
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof iss !== 'string') return { ok: false, reason: 'invalid' };
  const pool = findPool(iss.slice(iss.lastIndexOf('/') + 1));
  if (!pool || issuerFor(pool.id) !== iss || kid !== pool.keys.access.kid)
    return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, pool.keys.access.publicKey, {
      algorithms: ['RS256'],
      issuer: iss,
      currentDate: new Date(nowMs),
    });
    if (payload.token_use !== 'access') return { ok: false, reason: 'invalid' };
    return { ok: true, claims: payload, pool };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
}
