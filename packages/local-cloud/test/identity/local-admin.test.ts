import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentityProvider, startIdentityProvider } from '../../src/identity/index.js';
import type { RunningService } from '../../src/service.js';
import { NOTES_POOL, notesPool, passwordSignIn, sdkClient } from './fixture.js';

let idp: IdentityProvider & RunningService;

beforeAll(async () => {
  idp = await startIdentityProvider({
    pools: [notesPool],
    seedUsers: [{ poolId: NOTES_POOL, username: 'alice@example.com', password: 'Alice-Passw0rd' }],
  });
});

afterAll(async () => {
  await idp?.close();
});

async function accessToken(): Promise<string> {
  const cognito = sdkClient(idp.url);
  try {
    const auth = await passwordSignIn(cognito, 'alice@example.com', 'Alice-Passw0rd');
    return auth.AuthenticationResult?.AccessToken as string;
  } finally {
    cognito.destroy();
  }
}

const age = (body: unknown) =>
  fetch(`${idp.url}/_local/aged-token`, { method: 'POST', body: JSON.stringify(body) });

describe('POST /_local/aged-token', () => {
  it('re-signs an access token as if issued earlier: same claims, times shifted, signature valid, expired now', async () => {
    const token = await accessToken();
    const response = await age({ token, ageSeconds: 7200 });
    expect(response.status).toBe(200);
    const { token: aged } = (await response.json()) as { token: string };

    const before = decodeJwt(token);
    const after = decodeJwt(aged);
    const { iat, exp, auth_time, jti, ...rest } = after;
    const { iat: iat0, exp: exp0, auth_time: auth0, jti: jti0, ...rest0 } = before;
    expect(rest).toEqual(rest0);
    expect([iat, exp, auth_time]).toEqual([Number(iat0) - 7200, Number(exp0) - 7200, Number(auth0) - 7200]);
    expect(jti).not.toBe(jti0);

    const jwks = createLocalJWKSet((await (await fetch(idp.jwksUriFor(NOTES_POOL))).json()) as never);
    // Signed with the pool's real key: valid as of its own lifetime, expired as of now.
    await jwtVerify(aged, jwks, { currentDate: new Date((Number(iat) + 60) * 1000) });
    await expect(jwtVerify(aged, jwks)).rejects.toThrow(/exp/);
  });

  it('refuses bodies that are not a valid access token of this provider', async () => {
    expect((await age({ token: 'not-a-jwt', ageSeconds: 60 })).status).toBe(400);
    expect((await age({ token: await accessToken(), ageSeconds: 0 })).status).toBe(400);
    expect((await age({ ageSeconds: 60 })).status).toBe(400);
    const notJson = await fetch(`${idp.url}/_local/aged-token`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});
