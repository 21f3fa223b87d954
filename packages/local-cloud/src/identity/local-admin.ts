/**
 * Local-only helpers under `/_local/…`: things a test needs that Cognito offers no API for.
 *
 * `POST /_local/aged-token` re-signs a valid access token of one of our pools as if it had been issued
 * `ageSeconds` ago — same claims and key, with `iat`, `exp` and `auth_time` moved into the past. That is
 * the only honest way to get an *expired* token without waiting out its lifetime: the gateway's real
 * expiry check then rejects it, with the real signature still valid.
 */
import { randomUUID } from 'node:crypto';
import type { IdentityCore } from './core.js';
import { type HttpReply, json } from './oauth2.js';
import { sign } from './tokens.js';

export async function agedTokenEndpoint(core: IdentityCore, body: string): Promise<HttpReply> {
  let input: { token?: unknown; ageSeconds?: unknown };
  try {
    input = JSON.parse(body) as typeof input;
  } catch {
    return json(400, { message: 'Expected a JSON body {"token": "<access token>", "ageSeconds": <n>}' });
  }
  const { token, ageSeconds } = input;
  if (
    typeof token !== 'string' ||
    typeof ageSeconds !== 'number' ||
    !Number.isInteger(ageSeconds) ||
    ageSeconds < 1
  ) {
    return json(400, {
      message: 'Expected {"token": "<access token>", "ageSeconds": <positive whole number>}',
    });
  }
  const check = await core.checkAccessToken(token);
  if (!check.ok || !check.pool) {
    return json(400, {
      message: `Not a valid access token of this identity provider (${check.ok ? 'unknown pool' : check.reason})`,
    });
  }
  const { claims } = check;
  // Our access tokens always carry numeric iat, exp and auth_time (see tokens.ts).
  const aged = {
    ...claims,
    iat: Number(claims.iat) - ageSeconds,
    exp: Number(claims.exp) - ageSeconds,
    auth_time: Number(claims.auth_time) - ageSeconds,
    jti: randomUUID(),
  };
  return json(200, { token: await sign(aged, check.pool.keys.access) });
}
