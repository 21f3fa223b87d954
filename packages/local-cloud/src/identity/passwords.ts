/** Password hashing (scrypt), Cognito's password policy, SECRET_HASH and random secrets. */
import { createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { CognitoError } from './errors.js';
import type { PasswordPolicy } from './types.js';

// N = 2^12: ~10 ms a hash, enough for a local tool (tests sign in dozens of times), still a real KDF.
const SCRYPT = { N: 4096, r: 8, p: 1, keylen: 32 } as const;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const [scheme, salt, hash] = (stored ?? '').split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Cognito's default policy, also CDK's default. */
export const DEFAULT_PASSWORD_POLICY: Required<PasswordPolicy> = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

/** The special characters Cognito counts as symbols (plus a non-leading, non-trailing space). */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-');

/** Throws `InvalidPasswordException` with Cognito's texts when `password` breaks `policy`. */
export function checkPasswordPolicy(password: string, policy: Required<PasswordPolicy>): void {
  const fail = (why: string) =>
    new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${why}`);
  if (password.length < policy.minimumLength) throw fail('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password))
    throw fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password))
    throw fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  const hasSymbol = [...password].some(
    (c, i) => SYMBOLS.has(c) || (c === ' ' && i > 0 && i < password.length - 1),
  );
  if (policy.requireSymbols && !hasSymbol) throw fail('Password must have symbol characters');
}

/** A password that satisfies any policy up to 20 characters (AdminCreateUser without TemporaryPassword). */
export function generateTemporaryPassword(policy: Required<PasswordPolicy>): string {
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)] ?? 'x';
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const symbols = '!@#%^&*';
  let password = pick(upper) + pick(lower) + pick(digits) + pick(symbols);
  while (password.length < Math.max(12, policy.minimumLength)) password += pick(lower + upper + digits);
  return password;
}

/** Base64(HMAC-SHA256(key = client secret, message = username + clientId)). */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A client secret shaped like Cognito's: 51 characters of [a-z0-9]. */
export function generateClientSecret(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let secret = '';
  for (let i = 0; i < 51; i++) secret += alphabet[randomInt(alphabet.length)];
  return secret;
}

/** A 6-digit code that is never the master code. */
export function generateCode(masterCode: string | null): string {
  for (;;) {
    const code = String(randomInt(1_000_000)).padStart(6, '0');
    if (code !== masterCode) return code;
  }
}
