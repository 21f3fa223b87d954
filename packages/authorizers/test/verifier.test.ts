import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFetchJwksFetcher,
  createTokenVerifier,
  InvalidTokenError,
  JwksUnavailableError,
  type JwtConfig,
} from '../src/index';
import {
  accessClaims,
  createSigningKey,
  idClaims,
  MOBILE_CLIENT,
  nowSeconds,
  type SigningKey,
  signRs256,
  signWithJose,
  startIdp,
  type TestIdp,
  USER_SUB,
  WEB_CLIENT,
} from './support/idp';

let idp: TestIdp;
let key: SigningKey;
let rotatedKey: SigningKey;

function configFor(pool: string, overrides: Partial<JwtConfig> = {}): JwtConfig {
  return {
    issuer: idp.issuer(pool),
    jwksUri: idp.jwksUri(pool),
    audience: [WEB_CLIENT, MOBILE_CLIENT],
    tokenUse: 'access',
    requiredScopes: [],
    requiredGroups: [],
    clockToleranceSeconds: 5,
    ...overrides,
  };
}

const jwksPath = (pool: string) => `/${pool}/.well-known/jwks.json`;

beforeAll(async () => {
  [key, rotatedKey] = await Promise.all([createSigningKey('key-a'), createSigningKey('key-b')]);
  idp = await startIdp([key]);
});

afterAll(async () => {
  await idp?.close();
});

describe('createTokenVerifier: accepted tokens', () => {
  it('accepts a Cognito access token and reports its caller', async () => {
    const verifier = createTokenVerifier(configFor('eu-west-1_Accepts'));
    const token = await signWithJose(
      key,
      accessClaims(idp.issuer('eu-west-1_Accepts'), {
        scope: 'aws.cognito.signin.user.admin notes/read',
        'cognito:groups': ['admins', 'readers'],
      }),
    );
    const verified = await verifier.verify(token);
    expect(verified).toMatchObject({
      sub: USER_SUB,
      username: 'alice',
      tokenUse: 'access',
      clientId: WEB_CLIENT,
      scopes: ['aws.cognito.signin.user.admin', 'notes/read'],
      groups: ['admins', 'readers'],
      issuer: idp.issuer('eu-west-1_Accepts'),
    });
    expect(verified.claims.jti).toBe('a9b8c7d6-e5f4-4a3b-2c1d-0e9f8a7b6c5d');
  });

  it('accepts any of the configured app clients', async () => {
    const verifier = createTokenVerifier(configFor('eu-west-1_Accepts'));
    const token = signRs256(key, accessClaims(idp.issuer('eu-west-1_Accepts'), { client_id: MOBILE_CLIENT }));
    expect((await verifier.verify(token)).clientId).toBe(MOBILE_CLIENT);
  });

  it('accepts a client-credentials access token (no username)', async () => {
    const verifier = createTokenVerifier(
      configFor('eu-west-1_Accepts', { requiredScopes: ['notes/export'] }),
    );
    const claims = accessClaims(idp.issuer('eu-west-1_Accepts'), {
      sub: WEB_CLIENT,
      username: undefined,
      origin_jti: undefined,
      event_id: undefined,
      scope: 'notes/export',
    });
    const verified = await verifier.verify(signRs256(key, claims));
    expect(verified).toMatchObject({ sub: WEB_CLIENT, username: '', scopes: ['notes/export'] });
  });

  it('accepts id tokens when configured for id or any, with aud as the client', async () => {
    const pool = 'eu-west-1_Accepts';
    const idToken = signRs256(key, idClaims(idp.issuer(pool)));
    const accessToken = signRs256(key, accessClaims(idp.issuer(pool)));
    const idOnly = createTokenVerifier(configFor(pool, { tokenUse: 'id' }));
    const either = createTokenVerifier(configFor(pool, { tokenUse: 'any' }));
    expect(await idOnly.verify(idToken)).toMatchObject({
      tokenUse: 'id',
      clientId: WEB_CLIENT,
      username: 'alice',
    });
    expect((await either.verify(idToken)).tokenUse).toBe('id');
    expect((await either.verify(accessToken)).tokenUse).toBe('access');
  });

  it('accepts an id token whose aud is an array containing our client', async () => {
    const pool = 'eu-west-1_Accepts';
    const verifier = createTokenVerifier(configFor(pool, { tokenUse: 'id' }));
    const token = signRs256(key, idClaims(idp.issuer(pool), { aud: ['someone-else', MOBILE_CLIENT] }));
    expect((await verifier.verify(token)).clientId).toBe(MOBILE_CLIENT);
  });

  it('allows a few seconds of clock skew on exp and iat, not more', async () => {
    const pool = 'eu-west-1_Accepts';
    const verifier = createTokenVerifier(configFor(pool));
    const now = nowSeconds();
    await expect(
      verifier.verify(signRs256(key, accessClaims(idp.issuer(pool), { exp: now - 2 }))),
    ).resolves.toBeTruthy();
    await expect(
      verifier.verify(signRs256(key, accessClaims(idp.issuer(pool), { iat: now + 2 }))),
    ).resolves.toBeTruthy();
    await expect(
      verifier.verify(signRs256(key, accessClaims(idp.issuer(pool), { exp: now - 30 }))),
    ).rejects.toMatchObject({
      reason: 'expired',
    });
  });
});

describe('createTokenVerifier: JWKS cache', () => {
  it('fetches the JWKS once across many verifications, sequential and concurrent', async () => {
    const pool = 'eu-west-1_CountOnce';
    const verifier = createTokenVerifier(configFor(pool));
    const token = () => signRs256(key, accessClaims(idp.issuer(pool), { jti: crypto.randomUUID() }));

    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token())));
    for (let i = 0; i < 20; i++) await verifier.verify(token());

    expect(idp.requestCount(jwksPath(pool))).toBe(1);
  });

  it('refetches once when a token names a new kid (key rotation), then serves it from cache', async () => {
    const pool = 'eu-west-1_Rotates';
    const verifier = createTokenVerifier(configFor(pool));
    await verifier.verify(signRs256(key, accessClaims(idp.issuer(pool))));
    expect(idp.requestCount(jwksPath(pool))).toBe(1);

    idp.setKeys(pool, [key, rotatedKey]);
    await verifier.verify(signRs256(rotatedKey, accessClaims(idp.issuer(pool))));
    await verifier.verify(signRs256(rotatedKey, accessClaims(idp.issuer(pool))));
    await verifier.verify(signRs256(key, accessClaims(idp.issuer(pool))));
    expect(idp.requestCount(jwksPath(pool))).toBe(2);
  });

  it('reports an unreachable JWKS endpoint as JwksUnavailableError (not as a bad token)', async () => {
    const pool = 'eu-west-1_Broken';
    idp.overrideResponse(jwksPath(pool), 500, '{"message":"boom"}');
    const verifier = createTokenVerifier(configFor(pool));
    const error = await verifier
      .verify(signRs256(key, accessClaims(idp.issuer(pool))))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwksUnavailableError);
    expect(error).toMatchObject({ reason: 'jwks_unavailable', serverFault: true });
  });

  it('reports a JWKS that is not a key set as JwksUnavailableError', async () => {
    const pool = 'eu-west-1_NotJwks';
    idp.overrideResponse(jwksPath(pool), 200, '{"keys":"nope"}');
    const verifier = createTokenVerifier(configFor(pool));
    await expect(verifier.verify(signRs256(key, accessClaims(idp.issuer(pool))))).rejects.toMatchObject({
      reason: 'jwks_invalid',
    });
  });

  it('reports a closed port as JwksUnavailableError', async () => {
    const verifier = createTokenVerifier({
      ...configFor('eu-west-1_Closed'),
      jwksUri: 'http://127.0.0.1:1/eu-west-1_Closed/.well-known/jwks.json',
    });
    await expect(
      verifier.verify(signRs256(key, accessClaims(idp.issuer('eu-west-1_Closed')))),
    ).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('never fetches keys for a token that fails the prechecks', async () => {
    const pool = 'eu-west-1_NoFetch';
    const verifier = createTokenVerifier(configFor(pool));
    await expect(verifier.verify('a.b')).rejects.toBeInstanceOf(InvalidTokenError);
    const none = `${Buffer.from('{"alg":"none","kid":"key-a"}').toString('base64url')}.e30.c2ln`;
    await expect(verifier.verify(none)).rejects.toMatchObject({ reason: 'unsupported_algorithm' });
    expect(idp.requestCount(jwksPath(pool))).toBe(0);
  });
});

describe('createFetchJwksFetcher', () => {
  it('refuses plain http to a non-loopback host', async () => {
    const fetcher = createFetchJwksFetcher();
    await expect(fetcher.fetch('http://example.com/.well-known/jwks.json')).rejects.toMatchObject({
      reason: 'jwks_unavailable',
    });
  });

  it('refuses bodies larger than the limit', async () => {
    const pool = 'eu-west-1_Huge';
    idp.overrideResponse(jwksPath(pool), 200, JSON.stringify({ keys: [], pad: 'x'.repeat(200_000) }));
    await expect(createFetchJwksFetcher().fetch(idp.jwksUri(pool))).rejects.toThrow(
      /larger than 150000 bytes/,
    );
  });

  it('does not follow redirects', async () => {
    const fakeFetch: typeof fetch = async (_input, init) => {
      expect(init?.redirect).toBe('error');
      throw new TypeError('fetch failed');
    };
    await expect(
      createFetchJwksFetcher({ fetch: fakeFetch }).fetch(
        'https://cognito-idp.eu-west-1.amazonaws.com/x/.well-known/jwks.json',
      ),
    ).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('caps a streamed body without content-length as well', async () => {
    const chunk = new Uint8Array(64 * 1024);
    const fakeFetch: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(chunk);
          },
        }),
        { status: 200 },
      );
    await expect(
      createFetchJwksFetcher({ fetch: fakeFetch }).fetch('https://idp.example.com/.well-known/jwks.json'),
    ).rejects.toThrow(/larger than 150000 bytes/);
  });

  it('gives up after the timeout (and one retry)', async () => {
    let calls = 0;
    const hangingFetch: typeof fetch = (_input, init) => {
      calls++;
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    const started = Date.now();
    await expect(
      createFetchJwksFetcher({ fetch: hangingFetch, timeoutMs: 50 }).fetch(
        'https://idp.example.com/jwks.json',
      ),
    ).rejects.toMatchObject({ reason: 'jwks_unavailable' });
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('returns the body of a 200 answer', async () => {
    const body = await createFetchJwksFetcher().fetch(idp.jwksUri('eu-west-1_Body'));
    const jwks = JSON.parse(new TextDecoder().decode(body)) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['key-a']);
  });
});
