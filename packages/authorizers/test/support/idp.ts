/**
 * A tiny Cognito-shaped identity provider for tests: RSA keys made with jose, a JWKS (and OpenID
 * discovery) served from node:http on 127.0.0.1 (port 0), request counts per path, and token builders that
 * produce Cognito-shaped access and id tokens — or any hostile variant of them.
 */
import { createHmac, constants as cryptoConstants, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';

export const REGION = 'eu-west-1';
export const POOL_ID = `${REGION}_TestPool1`;
export const WEB_CLIENT = '5f3kq1example0webclient0id';
export const MOBILE_CLIENT = '7m2nq9example0mobileclient';
export const FOREIGN_CLIENT = '1a1aexample0someoneelse00';
/** The `sub` of the user every default token is about (alice). */
export const USER_SUB = '2a5e4c3b-6f1d-4e8a-9b7c-0d1e2f3a4b5c';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The same private key as a WebCrypto key, for jose. */
  cryptoPrivateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKey: KeyObject.from(privateKey),
    cryptoPrivateKey: privateKey,
    publicJwk,
    publicPem: await exportSPKI(publicKey),
  };
}

export interface TestIdp {
  readonly origin: string;
  /** `http://127.0.0.1:<port>/<poolId>` */
  issuer(poolId?: string): string;
  jwksUri(poolId?: string): string;
  /** Requests served for a path (e.g. `/eu-west-1_TestPool1/.well-known/jwks.json`). */
  requestCount(path: string): number;
  /** Replace the keys served for a pool (key rotation). */
  setKeys(poolId: string, keys: SigningKey[]): void;
  /** Make every request to a path answer with this status and body. */
  overrideResponse(path: string, status: number, body: string): void;
  close(): Promise<void>;
}

export async function startIdp(defaultKeys: SigningKey[]): Promise<TestIdp> {
  const counts = new Map<string, number>();
  const keysByPool = new Map<string, SigningKey[]>();
  const overrides = new Map<string, { status: number; body: string }>();
  let origin = '';

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const override = overrides.get(path);
    if (override) {
      response.writeHead(override.status, { 'content-type': 'application/json' }).end(override.body);
      return;
    }
    const match = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(path);
    if (!match?.[1]) {
      response.writeHead(404).end();
      return;
    }
    const pool = match[1];
    const body =
      match[2] === 'jwks.json'
        ? { keys: (keysByPool.get(pool) ?? defaultKeys).map((key) => key.publicJwk) }
        : {
            issuer: `${origin}/${pool}`,
            jwks_uri: `${origin}/${pool}/.well-known/jwks.json`,
            id_token_signing_alg_values_supported: ['RS256'],
          };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    issuer: (poolId = POOL_ID) => `${origin}/${poolId}`,
    jwksUri: (poolId = POOL_ID) => `${origin}/${poolId}/.well-known/jwks.json`,
    requestCount: (path) => counts.get(path) ?? 0,
    setKeys: (poolId, keys) => keysByPool.set(poolId, keys),
    overrideResponse: (path, status, body) => overrides.set(path, { status, body }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Claims as Cognito issues them

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export type Claims = Record<string, unknown>;

/** Removes keys whose override is `undefined`, so a test can drop a claim with `{ exp: undefined }`. */
function merge(base: Claims, overrides: Claims): Claims {
  const merged: Claims = { ...base, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete merged[key];
  return merged;
}

export function accessClaims(issuer: string, overrides: Claims = {}): Claims {
  const now = nowSeconds();
  return merge(
    {
      sub: USER_SUB,
      iss: issuer,
      client_id: WEB_CLIENT,
      origin_jti: 'b0c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e',
      event_id: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now - 10,
      exp: now + 3600,
      iat: now - 10,
      jti: 'a9b8c7d6-e5f4-4a3b-2c1d-0e9f8a7b6c5d',
      username: 'alice',
    },
    overrides,
  );
}

export function idClaims(issuer: string, overrides: Claims = {}): Claims {
  const now = nowSeconds();
  return merge(
    {
      sub: USER_SUB,
      aud: WEB_CLIENT,
      email_verified: true,
      iss: issuer,
      'cognito:username': 'alice',
      origin_jti: 'b0c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e',
      event_id: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
      token_use: 'id',
      auth_time: now - 10,
      exp: now + 3600,
      iat: now - 10,
      jti: 'c3d4e5f6-a7b8-4c9d-0e1f-2a3b4c5d6e7f',
      email: 'alice@example.com',
    },
    overrides,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Signing: jose for well-formed tokens, node:crypto by hand for everything hostile

/** A well-formed RS256 token, signed by jose (an independent implementation from the one under test). */
export function signWithJose(key: SigningKey, claims: Claims): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.cryptoPrivateKey);
}

export const b64url = (value: string | Buffer | object): string =>
  Buffer.from(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value)).toString(
    'base64url',
  );

export type Alg = 'RS256' | 'RS384' | 'PS256' | 'ES256' | 'HS256' | 'none';

/** Signs `header.payload` with whatever algorithm the test wants; the header is taken as given. */
export function signRaw(
  header: Claims | string,
  payload: Claims | string,
  alg: Alg,
  key?: KeyObject | string | Buffer,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  let signature: Buffer;
  switch (alg) {
    case 'RS256':
      signature = sign('sha256', Buffer.from(input), key as KeyObject);
      break;
    case 'RS384':
      signature = sign('sha384', Buffer.from(input), key as KeyObject);
      break;
    case 'PS256':
      signature = sign('sha256', Buffer.from(input), {
        key: key as KeyObject,
        padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
      break;
    case 'ES256':
      signature = sign('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
      break;
    case 'HS256':
      signature = createHmac('sha256', key as string | Buffer)
        .update(input)
        .digest();
      break;
    case 'none':
      signature = Buffer.alloc(0);
      break;
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** An RS256 token signed with `key`, its kid in the header unless the header says otherwise. */
export function signRs256(key: SigningKey, payload: Claims, header: Claims = {}): string {
  return signRaw({ alg: 'RS256', kid: key.kid, ...header }, payload, 'RS256', key.privateKey);
}

export function ecPrivateKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/** Replaces one character in the middle of a segment (not the last one: it may only hold padding bits). */
export function flipMiddle(segment: string): string {
  const i = Math.floor(segment.length / 2);
  const replacement = segment[i] === 'A' ? 'B' : 'A';
  return `${segment.slice(0, i)}${replacement}${segment.slice(i + 1)}`;
}
