import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type IdentityProvider, startIdentityProvider } from '../../src/identity/index.js';
import type { RunningService } from '../../src/service.js';
import {
  failure,
  NOTES_POOL,
  notesPool,
  OTHER_CLIENT,
  OTHER_POOL,
  otherPool,
  passwordSignIn,
  sdkClient,
  verifier,
  WEB_CLIENT,
} from './fixture.js';

const MINUTE = 60_000;

let idp: IdentityProvider & RunningService;
let cognito: CognitoIdentityProviderClient;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  idp = await startIdentityProvider({
    pools: [notesPool, otherPool],
    seedUsers: [
      { poolId: NOTES_POOL, username: 'alice@example.com', password: 'Alice-Passw0rd' },
      { poolId: OTHER_POOL, username: 'bob', password: 'Bob-Passw0rd!', email: 'bob@example.com' },
    ],
    clock,
  });
  cognito = sdkClient(idp.url);
});

afterAll(async () => {
  cognito?.destroy();
  await idp?.close();
});

const signIn = (username: string, password: string, clientId = WEB_CLIENT) =>
  passwordSignIn(cognito, username, password, clientId);

describe('discovery and keys', () => {
  it('serves an OpenID discovery document shaped like Cognito’s', async () => {
    const issuer = idp.issuerFor(NOTES_POOL);
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toEqual({
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      end_session_endpoint: `${issuer}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: idp.jwksUriFor(NOTES_POOL),
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: idp.tokenEndpointFor(NOTES_POOL),
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${issuer}/oauth2/userInfo`,
    });
    expect(idp.jwksUriFor(NOTES_POOL)).toBe(`${issuer}/.well-known/jwks.json`);
  });

  it('serves a JWKS with two RS256 keys (id and access tokens are signed with different keys)', async () => {
    const jwks = (await (await fetch(idp.jwksUriFor(NOTES_POOL))).json()) as {
      keys: Record<string, string>[];
    };
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(key).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig', e: 'AQAB' });
      expect(Buffer.from(key.n as string, 'base64url').length).toBe(256); // RSA-2048
    }
    const auth = await signIn('alice@example.com', 'Alice-Passw0rd');
    const accessKid = decodeProtectedHeader(auth.AuthenticationResult?.AccessToken as string).kid;
    const idKid = decodeProtectedHeader(auth.AuthenticationResult?.IdToken as string).kid;
    expect(accessKid).not.toBe(idKid);
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([accessKid, idKid].sort());
    expect(decodeProtectedHeader(auth.AuthenticationResult?.AccessToken as string)).toEqual({
      kid: accessKid,
      alg: 'RS256',
    });
  });

  it('gives every pool its own keys: a token of pool A does not verify against pool B’s JWKS', async () => {
    const a = await signIn('alice@example.com', 'Alice-Passw0rd');
    const b = await signIn('bob', 'Bob-Passw0rd!', OTHER_CLIENT);
    const accessA = a.AuthenticationResult?.AccessToken as string;
    const accessB = b.AuthenticationResult?.AccessToken as string;
    // Same issuer string on purpose: only the keys differ.
    const issuerA = idp.issuerFor(NOTES_POOL);
    await expect(
      verifier(issuerA, idp.jwksUriFor(NOTES_POOL), 'access', null).verify(accessA),
    ).resolves.toBeTruthy();
    await expect(
      verifier(issuerA, idp.jwksUriFor(OTHER_POOL), 'access', null).verify(accessA),
    ).rejects.toThrow();
    // And the issuer differs too.
    await expect(
      verifier(idp.issuerFor(NOTES_POOL), idp.jwksUriFor(NOTES_POOL), 'access', null).verify(accessB),
    ).rejects.toThrow();
    const jwksB = (await (await fetch(idp.jwksUriFor(OTHER_POOL))).json()) as { keys: { kid: string }[] };
    const jwksA = (await (await fetch(idp.jwksUriFor(NOTES_POOL))).json()) as { keys: { kid: string }[] };
    expect(jwksA.keys.some((k) => jwksB.keys.some((other) => other.kid === k.kid))).toBe(false);
  });

  it('keeps tokens valid across a restart when the exported keys are passed back', async () => {
    const token = (await signIn('alice@example.com', 'Alice-Passw0rd')).AuthenticationResult
      ?.AccessToken as string;
    const again = await startIdentityProvider({
      pools: [notesPool],
      signingKeys: idp.exportSigningKeys(),
      clock,
    });
    try {
      const jwks = await (await fetch(again.jwksUriFor(NOTES_POOL))).json();
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
        currentDate: new Date(clock.now()),
      });
      expect(payload.token_use).toBe('access');
      expect(again.demoUsers()).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('refuses configurations Cognito would refuse', async () => {
    await expect(startIdentityProvider({ pools: [{ id: 'local_pool!' }] })).rejects.toThrow(
      /not of Cognito's form/,
    );
    await expect(
      startIdentityProvider({
        pools: [
          {
            id: 'us-east-1_X',
            clients: [{ clientId: 'c', accessTokenValidity: 2, tokenValidityUnits: { accessToken: 'days' } }],
          },
        ],
      }),
    ).rejects.toThrow(/outside Cognito's range/);
    await expect(
      startIdentityProvider({
        pools: [notesPool],
        seedUsers: [{ username: 'x@example.com', password: 'weak' }],
        signingKeys: idp.exportSigningKeys(),
      }),
    ).rejects.toThrow(/Password not long enough/);
  });
});

// These tests move the shared clock forward; they run last in this file.
describe('expiry (ManualClock)', () => {
  it('expires access tokens after the client’s validity; refresh works until the refresh token expires', async () => {
    const auth = await signIn('alice@example.com', 'Alice-Passw0rd');
    const accessToken = auth.AuthenticationResult?.AccessToken as string;
    const refreshToken = auth.AuthenticationResult?.RefreshToken as string;
    await cognito.send(new GetUserCommand({ AccessToken: accessToken }));

    clock.advance(61 * MINUTE);
    const expired = await failure(cognito.send(new GetUserCommand({ AccessToken: accessToken })));
    expect(expired.name).toBe('NotAuthorizedException');
    expect(expired.message).toBe('Access Token has expired');
    const jwks = createLocalJWKSet((await (await fetch(idp.jwksUriFor(NOTES_POOL))).json()) as never);
    await expect(jwtVerify(accessToken, jwks, { currentDate: new Date(clock.now()) })).rejects.toThrow(/exp/);

    const refresh = () =>
      cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: WEB_CLIENT,
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
    const renewed = await refresh();
    const payload = decodeJwt(renewed.AuthenticationResult?.AccessToken as string);
    expect(payload.iat).toBe(Math.floor(clock.now() / 1000));
    expect(payload.auth_time).toBe(decodeJwt(accessToken).auth_time);
    await cognito.send(new GetUserCommand({ AccessToken: renewed.AuthenticationResult?.AccessToken }));

    clock.advance(30 * 24 * 60 * MINUTE);
    const gone = await failure(refresh());
    expect(gone.name).toBe('NotAuthorizedException');
    expect(gone.message).toBe('Refresh Token has expired');
  });

  it('expires confirmation codes after 24 hours', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'late@example.com', Password: 'Str0ngPassword' }),
    );
    const code = idp.lastCodeFor(NOTES_POOL, 'late@example.com')?.code as string;
    clock.advance(25 * 60 * MINUTE);
    const error = await failure(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: WEB_CLIENT,
          Username: 'late@example.com',
          ConfirmationCode: code,
        }),
      ),
    );
    expect(error.name).toBe('ExpiredCodeException');
  });

  it('expires temporary passwords after the policy’s TemporaryPasswordValidityDays', async () => {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: NOTES_POOL,
        Username: 'tmp@example.com',
        TemporaryPassword: 'Temp-Passw0rd',
        MessageAction: 'SUPPRESS',
      }),
    );
    clock.advance(8 * 24 * 60 * MINUTE);
    const error = await failure(signIn('tmp@example.com', 'Temp-Passw0rd'));
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('Temporary password has expired and must be reset by an administrator.');
  });
});
