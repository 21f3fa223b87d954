/**
 * Table-driven: every hostile or broken credential is refused, for the reason we expect — while a
 * well-formed token passes the very same path (so the table cannot pass by rejecting everything).
 *
 * Each row is an `Authorization` header value run through the TOKEN authorizer (header parsing, prechecks,
 * aws-jwt-verify, Cognito claim checks, policy).
 */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorizerError,
  authorizeToken,
  createTokenVerifier,
  type DenyReason,
  type JwtConfig,
  type TokenVerifier,
} from '../src/index';
import {
  accessClaims,
  b64url,
  type Claims,
  createSigningKey,
  ecPrivateKey,
  FOREIGN_CLIENT,
  flipMiddle,
  idClaims,
  MOBILE_CLIENT,
  nowSeconds,
  POOL_ID,
  REGION,
  type SigningKey,
  signRaw,
  signRs256,
  signWithJose,
  startIdp,
  type TestIdp,
  USER_SUB,
  WEB_CLIENT,
} from './support/idp';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/POST/lambda-token';

type VerifierName = 'access' | 'id' | 'scoped' | 'grouped';

interface World {
  idp: TestIdp;
  issuer: string;
  key: SigningKey;
  /** Not in the JWKS. */
  otherKey: SigningKey;
  /** A correctly signed access token with default claims. */
  good: string;
  access(overrides?: Claims, header?: Claims): string;
  id(overrides?: Claims, header?: Claims): string;
}

interface BadCase {
  name: string;
  authorization: (w: World) => string;
  reason: DenyReason;
  verifier?: VerifierName;
}

const now = nowSeconds;

const BAD: BadCase[] = [
  // --- time
  {
    name: 'expired an hour ago',
    authorization: (w) => `Bearer ${w.access({ exp: now() - 3600 })}`,
    reason: 'expired',
  },
  {
    name: 'expired 60 s ago (beyond the clock tolerance)',
    authorization: (w) => `Bearer ${w.access({ exp: now() - 60 })}`,
    reason: 'expired',
  },
  {
    name: 'not yet valid (nbf in an hour)',
    authorization: (w) => `Bearer ${w.access({ nbf: now() + 3600 })}`,
    reason: 'not_yet_valid',
  },
  {
    name: 'issued in the future (iat in an hour)',
    authorization: (w) => `Bearer ${w.access({ iat: now() + 3600 })}`,
    reason: 'issued_in_future',
  },
  {
    name: 'missing exp',
    authorization: (w) => `Bearer ${w.access({ exp: undefined })}`,
    reason: 'missing_claim',
  },
  {
    name: 'missing iat',
    authorization: (w) => `Bearer ${w.access({ iat: undefined })}`,
    reason: 'missing_claim',
  },
  {
    name: 'exp is a string',
    authorization: (w) => `Bearer ${w.access({ exp: String(now() + 3600) })}`,
    reason: 'malformed_token',
  },
  // --- issuer
  {
    name: 'issuer of another user pool',
    authorization: (w) => `Bearer ${w.access({ iss: w.idp.issuer(`${REGION}_OtherPool`) })}`,
    reason: 'invalid_issuer',
  },
  {
    name: 'issuer with a trailing slash',
    authorization: (w) => `Bearer ${w.access({ iss: `${w.issuer}/` })}`,
    reason: 'invalid_issuer',
  },
  {
    name: 'real Cognito issuer, not ours',
    authorization: (w) =>
      `Bearer ${w.access({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}` })}`,
    reason: 'invalid_issuer',
  },
  {
    name: 'missing iss',
    authorization: (w) => `Bearer ${w.access({ iss: undefined })}`,
    reason: 'invalid_issuer',
  },
  // --- audience / client
  {
    name: 'client_id of another app client',
    authorization: (w) => `Bearer ${w.access({ client_id: FOREIGN_CLIENT })}`,
    reason: 'invalid_audience',
  },
  {
    name: 'client_id in another case',
    authorization: (w) => `Bearer ${w.access({ client_id: WEB_CLIENT.toUpperCase() })}`,
    reason: 'invalid_audience',
  },
  {
    name: 'access token without client_id (aud instead)',
    authorization: (w) => `Bearer ${w.access({ client_id: undefined, aud: WEB_CLIENT })}`,
    reason: 'missing_claim',
  },
  {
    name: 'id token for another app client',
    authorization: (w) => `Bearer ${w.id({ aud: FOREIGN_CLIENT })}`,
    reason: 'invalid_audience',
    verifier: 'id',
  },
  {
    name: 'id token without aud',
    authorization: (w) => `Bearer ${w.id({ aud: undefined, client_id: WEB_CLIENT })}`,
    reason: 'missing_claim',
    verifier: 'id',
  },
  // --- token_use
  {
    name: 'id token where an access token is required',
    authorization: (w) => `Bearer ${w.id()}`,
    reason: 'invalid_token_use',
  },
  {
    name: 'access token where an id token is required',
    authorization: (w) => `Bearer ${w.access()}`,
    reason: 'invalid_token_use',
    verifier: 'id',
  },
  {
    name: 'token_use refresh',
    authorization: (w) => `Bearer ${w.access({ token_use: 'refresh' })}`,
    reason: 'invalid_token_use',
  },
  {
    name: 'no token_use',
    authorization: (w) => `Bearer ${w.access({ token_use: undefined })}`,
    reason: 'invalid_token_use',
  },
  // --- subject
  {
    name: 'missing sub',
    authorization: (w) => `Bearer ${w.access({ sub: undefined })}`,
    reason: 'missing_claim',
  },
  { name: 'empty sub', authorization: (w) => `Bearer ${w.access({ sub: '' })}`, reason: 'missing_claim' },
  // --- algorithm
  {
    name: 'alg none, empty signature',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'none', kid: w.key.kid }, accessClaims(w.issuer), 'none')}`,
    reason: 'malformed_token',
  },
  {
    name: 'alg none with a signature part',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'none', kid: w.key.kid }, accessClaims(w.issuer), 'none')}c2ln`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'alg None (case variant)',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'None', kid: w.key.kid }, accessClaims(w.issuer), 'none')}c2ln`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'no alg at all',
    authorization: (w) =>
      `Bearer ${signRaw({ kid: w.key.kid }, accessClaims(w.issuer), 'RS256', w.key.privateKey)}`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'HS256 keyed with the public key PEM',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'HS256', kid: w.key.kid }, accessClaims(w.issuer), 'HS256', w.key.publicPem)}`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'HS256 keyed with the public JWK JSON',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'HS256', kid: w.key.kid }, accessClaims(w.issuer), 'HS256', JSON.stringify(w.key.publicJwk))}`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'RS384 with the genuine key',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'RS384', kid: w.key.kid }, accessClaims(w.issuer), 'RS384', w.key.privateKey)}`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'PS256 with the genuine key',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'PS256', kid: w.key.kid }, accessClaims(w.issuer), 'PS256', w.key.privateKey)}`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'ES256 with an EC key under our kid',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'ES256', kid: w.key.kid }, accessClaims(w.issuer), 'ES256', ecPrivateKey())}`,
    reason: 'unsupported_algorithm',
  },
  {
    name: 'RS256 header, signature of an RS384 hash',
    authorization: (w) => {
      const [h, p] = w.good.split('.');
      const rs384 = signRaw(
        { alg: 'RS384', kid: w.key.kid },
        accessClaims(w.issuer),
        'RS384',
        w.key.privateKey,
      );
      return `Bearer ${h}.${p}.${rs384.split('.')[2]}`;
    },
    reason: 'invalid_signature',
  },
  // --- keys
  {
    name: 'unknown kid',
    authorization: (w) => `Bearer ${signRs256(w.key, accessClaims(w.issuer), { kid: 'no-such-key' })}`,
    reason: 'unknown_kid',
  },
  {
    name: 'no kid',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'RS256' }, accessClaims(w.issuer), 'RS256', w.key.privateKey)}`,
    reason: 'missing_kid',
  },
  {
    name: 'empty kid',
    authorization: (w) => `Bearer ${signRs256(w.key, accessClaims(w.issuer), { kid: '' })}`,
    reason: 'missing_kid',
  },
  {
    name: 'kid is a number',
    authorization: (w) => `Bearer ${signRs256(w.key, accessClaims(w.issuer), { kid: 1 })}`,
    reason: 'missing_kid',
  },
  {
    name: 'key from another JWKS under our kid',
    authorization: (w) => `Bearer ${signRs256(w.otherKey, accessClaims(w.issuer), { kid: w.key.kid })}`,
    reason: 'invalid_signature',
  },
  {
    name: 'key from another JWKS under its own kid',
    authorization: (w) => `Bearer ${signRs256(w.otherKey, accessClaims(w.issuer))}`,
    reason: 'unknown_kid',
  },
  {
    name: 'jku header pointing at the attacker JWKS',
    authorization: (w) =>
      `Bearer ${signRs256(w.otherKey, accessClaims(w.issuer), { kid: w.key.kid, jku: 'https://attacker.example/jwks.json' })}`,
    reason: 'invalid_signature',
  },
  {
    name: 'attacker key embedded as jwk header',
    authorization: (w) =>
      `Bearer ${signRs256(w.otherKey, accessClaims(w.issuer), { kid: w.key.kid, jwk: w.otherKey.publicJwk })}`,
    reason: 'invalid_signature',
  },
  {
    name: 'crit header',
    authorization: (w) => `Bearer ${signRs256(w.key, accessClaims(w.issuer), { crit: ['exp'] })}`,
    reason: 'unsupported_header',
  },
  // --- integrity
  {
    name: 'tampered payload (another sub)',
    authorization: (w) => {
      const [h, , s] = w.good.split('.');
      return `Bearer ${h}.${b64url(accessClaims(w.issuer, { sub: 'someone-else' }))}.${s}`;
    },
    reason: 'invalid_signature',
  },
  {
    name: 'tampered payload (scope escalated)',
    authorization: (w) => {
      const [h, , s] = w.access({ scope: 'notes/read' }).split('.');
      return `Bearer ${h}.${b64url(accessClaims(w.issuer, { scope: 'notes/export' }))}.${s}`;
    },
    reason: 'invalid_signature',
    verifier: 'scoped',
  },
  {
    name: 'tampered header (typ added)',
    authorization: (w) => {
      const [, p, s] = w.good.split('.');
      return `Bearer ${b64url({ alg: 'RS256', kid: w.key.kid, typ: 'JWT' })}.${p}.${s}`;
    },
    reason: 'invalid_signature',
  },
  {
    name: 'tampered signature',
    authorization: (w) => {
      const [h, p, s = ''] = w.good.split('.');
      return `Bearer ${h}.${p}.${flipMiddle(s)}`;
    },
    reason: 'invalid_signature',
  },
  {
    name: 'signature of another valid token',
    authorization: (w) => {
      const [h, p] = w.good.split('.');
      const other = w.access({ jti: 'another-token' });
      return `Bearer ${h}.${p}.${other.split('.')[2]}`;
    },
    reason: 'invalid_signature',
  },
  {
    name: 'truncated signature',
    authorization: (w) => `Bearer ${w.good.slice(0, -12)}`,
    reason: 'invalid_signature',
  },
  {
    name: 'signature removed',
    authorization: (w) => {
      const [h, p] = w.good.split('.');
      return `Bearer ${h}.${p}.`;
    },
    reason: 'malformed_token',
  },
  {
    name: 'truncated to header and half the payload',
    authorization: (w) => `Bearer ${w.good.slice(0, w.good.indexOf('.') + 20)}`,
    reason: 'malformed_token',
  },
  // --- shape
  {
    name: 'two parts',
    authorization: (w) => {
      const [h, p] = w.good.split('.');
      return `Bearer ${h}.${p}`;
    },
    reason: 'malformed_token',
  },
  { name: 'four parts', authorization: (w) => `Bearer ${w.good}.${b64url('x')}`, reason: 'malformed_token' },
  {
    name: 'JWE-looking five-part token',
    authorization: () =>
      `Bearer ${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.${b64url('key')}.${b64url('iv')}.${b64url('ciphertext')}.${b64url('tag')}`,
    reason: 'malformed_token',
  },
  {
    name: 'standard base64 instead of base64url',
    authorization: (w) => `Bearer ${w.good.replaceAll('-', '+').replaceAll('_', '/')}/+`,
    reason: 'malformed_token',
  },
  {
    name: 'base64 padding',
    authorization: (w) => {
      const [h, p, s] = w.good.split('.');
      return `Bearer ${h}=.${p}.${s}`;
    },
    reason: 'malformed_token',
  },
  {
    name: 'characters outside base64url',
    authorization: (w) => `Bearer ${w.good.slice(0, 30)}!${w.good.slice(31)}`,
    reason: 'malformed_token',
  },
  {
    name: 'header not JSON',
    authorization: (w) => {
      const [, p, s] = w.good.split('.');
      return `Bearer ${b64url('{"alg":"RS256",')}.${p}.${s}`;
    },
    reason: 'malformed_token',
  },
  {
    name: 'header a JSON array',
    authorization: (w) => {
      const [, p, s] = w.good.split('.');
      return `Bearer ${b64url('["RS256"]')}.${p}.${s}`;
    },
    reason: 'malformed_token',
  },
  {
    name: 'payload not JSON (signed)',
    authorization: (w) => `Bearer ${signRs256(w.key, 'not json' as unknown as Claims)}`,
    reason: 'malformed_token',
  },
  {
    name: 'payload a JSON array (signed)',
    authorization: (w) =>
      `Bearer ${signRaw({ alg: 'RS256', kid: w.key.kid }, '[1,2]', 'RS256', w.key.privateKey)}`,
    reason: 'malformed_token',
  },
  {
    name: 'oversized (> 16 KB, validly signed)',
    authorization: (w) => `Bearer ${w.access({ padding: 'x'.repeat(16 * 1024) })}`,
    reason: 'token_too_large',
  },
  // --- Authorization header
  { name: 'empty string', authorization: () => '', reason: 'missing_token' },
  { name: 'whitespace only', authorization: () => ' \t ', reason: 'missing_token' },
  {
    name: 'Basic credentials',
    authorization: () => 'Basic YWxpY2U6cGFzc3dvcmQ=',
    reason: 'unsupported_scheme',
  },
  { name: 'Token scheme', authorization: (w) => `Token ${w.good}`, reason: 'unsupported_scheme' },
  { name: 'bare token without scheme', authorization: (w) => w.good, reason: 'unsupported_scheme' },
  { name: 'Bearer with no token', authorization: () => 'Bearer', reason: 'malformed_authorization' },
  { name: 'Bearer and a space, no token', authorization: () => 'Bearer ', reason: 'malformed_authorization' },
  {
    name: 'two tokens',
    authorization: (w) => `Bearer ${w.good} ${w.good}`,
    reason: 'malformed_authorization',
  },
  {
    name: 'two Bearer credentials comma-joined',
    authorization: (w) => `Bearer ${w.good}, Bearer ${w.good}`,
    reason: 'malformed_authorization',
  },
  {
    name: 'tab instead of space',
    authorization: (w) => `Bearer\t${w.good}`,
    reason: 'malformed_authorization',
  },
  { name: 'trailing newline', authorization: (w) => `Bearer ${w.good}\n`, reason: 'malformed_authorization' },
  // --- scopes and groups (verifiers that require them)
  {
    name: 'scope required, token has no scope',
    authorization: (w) => `Bearer ${w.access({ scope: undefined })}`,
    reason: 'insufficient_scope',
    verifier: 'scoped',
  },
  {
    name: 'scope required, token has another scope',
    authorization: (w) => `Bearer ${w.access({ scope: 'aws.cognito.signin.user.admin notes/read' })}`,
    reason: 'insufficient_scope',
    verifier: 'scoped',
  },
  {
    name: 'scope required, token has a prefix of it',
    authorization: (w) => `Bearer ${w.access({ scope: 'notes/exp notes/export2' })}`,
    reason: 'insufficient_scope',
    verifier: 'scoped',
  },
  {
    name: 'scope required, scopes comma-joined in the token',
    authorization: (w) => `Bearer ${w.access({ scope: 'notes/read,notes/export' })}`,
    reason: 'insufficient_scope',
    verifier: 'scoped',
  },
  {
    name: 'group required, token has no groups',
    authorization: (w) => `Bearer ${w.access()}`,
    reason: 'missing_group',
    verifier: 'grouped',
  },
  {
    name: 'group required, token in other groups',
    authorization: (w) => `Bearer ${w.access({ 'cognito:groups': ['readers', 'Admins'] })}`,
    reason: 'missing_group',
    verifier: 'grouped',
  },
  {
    name: 'group required, groups claim a string',
    authorization: (w) => `Bearer ${w.access({ 'cognito:groups': 'admins' })}`,
    reason: 'invalid_claim',
    verifier: 'grouped',
  },
];

describe('bad tokens are refused', () => {
  let world: World;
  const verifiers = {} as Record<VerifierName, TokenVerifier>;

  beforeAll(async () => {
    const key = await createSigningKey('key-2026-01');
    const otherKey = await createSigningKey('attacker-key');
    const idp = await startIdp([key]);
    const issuer = idp.issuer();
    const access = (overrides: Claims = {}, header: Claims = {}) =>
      signRs256(key, accessClaims(issuer, overrides), header);
    const id = (overrides: Claims = {}, header: Claims = {}) =>
      signRs256(key, idClaims(issuer, overrides), header);
    world = { idp, issuer, key, otherKey, good: access(), access, id };

    const base: JwtConfig = {
      issuer,
      jwksUri: idp.jwksUri(),
      audience: [WEB_CLIENT, MOBILE_CLIENT],
      tokenUse: 'access',
      requiredScopes: [],
      requiredGroups: [],
      clockToleranceSeconds: 5,
    };
    verifiers.access = createTokenVerifier(base);
    verifiers.id = createTokenVerifier({ ...base, tokenUse: 'id' });
    verifiers.scoped = createTokenVerifier({ ...base, requiredScopes: ['notes/export', 'notes/admin'] });
    verifiers.grouped = createTokenVerifier({ ...base, requiredGroups: ['admins', 'editors'] });
  });

  afterAll(async () => {
    await world?.idp.close();
  });

  it('has at least 30 cases with distinct names', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BAD.map((c) => c.name)).size).toBe(BAD.length);
  });

  const control: Record<VerifierName, (w: World) => string> = {
    access: (w) => `Bearer ${w.good}`,
    id: (w) => `Bearer ${w.id()}`,
    scoped: (w) => `Bearer ${w.access({ scope: 'aws.cognito.signin.user.admin notes/export' })}`,
    grouped: (w) => `Bearer ${w.access({ 'cognito:groups': ['readers', 'editors'] })}`,
  };

  it.each(Object.keys(control) as VerifierName[])(
    'control: a valid token passes the %s verifier',
    async (name) => {
      const result = await authorizeToken(
        { type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken: control[name](world) },
        verifiers[name],
      );
      expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    },
  );

  it('control: a jose-signed token passes', async () => {
    const token = await signWithJose(world.key, accessClaims(world.issuer));
    const result = await authorizeToken(
      { type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken: `Bearer ${token}` },
      verifiers.access,
    );
    expect(result.principalId).toBe(USER_SUB);
  });

  it.each(BAD)('$name → $reason', async ({ authorization, reason, verifier = 'access' }) => {
    const header = authorization(world);
    const event: APIGatewayTokenAuthorizerEvent = {
      type: 'TOKEN',
      methodArn: METHOD_ARN,
      authorizationToken: header,
    };
    const error = await authorizeToken(event, verifiers[verifier]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'the token was accepted').toBeInstanceOf(AuthorizerError);
    expect((error as AuthorizerError).reason).toBe(reason);
    // Nothing of the token travels in the error.
    const printed = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    for (const part of header.replace(/^\S+\s+/, '').split('.')) {
      if (part.length >= 16) expect(printed).not.toContain(part.slice(0, 16));
    }
  });
});
