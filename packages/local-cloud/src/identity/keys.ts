/**
 * Signing keys. Like Cognito, every pool has two RSA-2048 key pairs: one signs id tokens, the other access
 * tokens, and both public halves are in the pool's JWKS. Key ids look like Cognito's: base64 of a SHA-256
 * (here the RFC 7638 thumbprint of the public key).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import type { PoolSigningKeys } from './types.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public JWK as served in the JWKS: `{ alg, e, kid, kty, n, use }`. */
  readonly publicJwk: PublicJwk;
}

export interface PublicJwk {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

export interface PoolKeys {
  readonly id: SigningKey;
  readonly access: SigningKey;
}

function generateRsa(): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicExponent: 0x10001 },
      (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)),
    );
  });
}

function toSigningKey(privateKey: KeyObject, kid?: string): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error('identity: signing keys must be RSA keys');
  }
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n }))
    .digest('base64');
  const keyId = kid ?? thumbprint;
  return {
    kid: keyId,
    privateKey,
    publicKey,
    publicJwk: { alg: 'RS256', e: jwk.e, kid: keyId, kty: 'RSA', n: jwk.n, use: 'sig' },
  };
}

export async function generatePoolKeys(): Promise<PoolKeys> {
  const [id, access] = await Promise.all([generateRsa(), generateRsa()]);
  return { id: toSigningKey(id), access: toSigningKey(access) };
}

export function importPoolKeys(saved: PoolSigningKeys): PoolKeys {
  const load = (jwk: PoolSigningKeys['id']) =>
    toSigningKey(createPrivateKey({ key: jwk, format: 'jwk' }), jwk.kid);
  return { id: load(saved.id), access: load(saved.access) };
}

export function exportPoolKeys(keys: PoolKeys): PoolSigningKeys {
  const save = (key: SigningKey) => ({
    ...key.privateKey.export({ format: 'jwk' }),
    kid: key.kid,
    alg: 'RS256',
  });
  return { id: save(keys.id), access: save(keys.access) };
}

export function jwksOf(keys: PoolKeys): { keys: PublicJwk[] } {
  return { keys: [keys.id.publicJwk, keys.access.publicJwk] };
}
