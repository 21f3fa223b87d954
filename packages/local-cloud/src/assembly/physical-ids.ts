import { createHash } from 'node:crypto';

/**
 * Deterministic stand-ins for the random parts of physical names and ids that AWS generates.
 *
 * Every value is derived from a seed (see {@link resourceSeed}): the same assembly loaded again —
 * even after a re-synth — gives the same table names, pool ids and client ids, so data kept on
 * disk (DynamoDB, users) still matches. The assembly directory is deliberately not part of the
 * seed; pass `idSeed` to `loadAssembly` to get a different, equally stable, set of ids.
 */

export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The seed for one resource: same stack, logical id and environment → same ids. */
export function resourceSeed(parts: {
  seed?: string | undefined;
  accountId: string;
  region: string;
  stackName: string;
  logicalId: string;
}): string {
  return [parts.seed ?? '', parts.accountId, parts.region, parts.stackName, parts.logicalId].join('|');
}

/** `length` characters of `alphabet`, derived from `seed` (and `purpose`, to get independent values). */
export function deterministicString(seed: string, purpose: string, alphabet: string, length: number): string {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    const bytes = createHash('sha256').update(`${purpose}\0${block}\0${seed}`).digest();
    for (const byte of bytes) {
      // Rejection sampling keeps the distribution uniform.
      if (byte >= 256 - (256 % alphabet.length)) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A CloudFormation-style generated name, `<stackName>-<logicalId>-<SUFFIX>`. When that exceeds
 * `maxLength`, the stack name and logical id are shortened (as CloudFormation does) so the suffix
 * always stays whole.
 */
export function generatedName(
  seed: string,
  stackName: string,
  logicalId: string,
  options: { maxLength: number; suffixLength?: number; alphabet?: string; lowercase?: boolean },
): string {
  const suffixLength = options.suffixLength ?? 12;
  const suffix = deterministicString(seed, 'name', options.alphabet ?? UPPER_ALNUM, suffixLength);
  const budget = options.maxLength - suffixLength - 2;
  let stackPart = stackName;
  let logicalPart = logicalId;
  if (stackPart.length + logicalPart.length > budget) {
    const half = Math.floor(budget / 2);
    if (logicalPart.length <= half) {
      stackPart = stackPart.slice(0, budget - logicalPart.length);
    } else if (stackPart.length <= half) {
      logicalPart = logicalPart.slice(0, budget - stackPart.length);
    } else {
      stackPart = stackPart.slice(0, half);
      logicalPart = logicalPart.slice(0, budget - half);
    }
  }
  const name = `${stackPart}-${logicalPart}-${suffix}`;
  return options.lowercase ? name.toLowerCase() : name;
}

/** Cognito user pool id: `<region>_<9 alphanumerics>`. */
export function userPoolId(seed: string, region: string): string {
  return `${region}_${deterministicString(seed, 'user-pool-id', MIXED_ALNUM, 9)}`;
}

/** Cognito app client id: 26 lowercase alphanumerics. */
export function userPoolClientId(seed: string): string {
  return deterministicString(seed, 'client-id', LOWER_ALNUM, 26);
}

/** Cognito app client secret: 51 lowercase alphanumerics. */
export function userPoolClientSecret(seed: string): string {
  return deterministicString(seed, 'client-secret', LOWER_ALNUM, 51);
}

/** API Gateway ids: 10 lowercase alphanumerics for APIs and API keys, shorter for sub-resources. */
export function apiGatewayId(seed: string, length = 10): string {
  return deterministicString(seed, `apigw-id-${length}`, LOWER_ALNUM, length);
}

/** A UUID-shaped (version 4 layout) deterministic id. */
export function deterministicUuid(seed: string, purpose = 'uuid'): string {
  const hex = createHash('sha256').update(`${purpose}\0${seed}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
