/**
 * Seed users: demo accounts the identity provider creates at start (confirmed, permanent password,
 * verified email). They come from a JSON file kept with the CDK app:
 *
 * ```json
 * {
 *   "users": [
 *     { "userPool": "shared/UserPool", "username": "alice@example.com", "password": "…", "groups": ["admins"] }
 *   ]
 * }
 * ```
 *
 * `userPool` picks the pool by its id, name, `stack/logicalId`, logical id, or construct path — whole or
 * a trailing part of it, without the `/Resource` suffix (`shared/UserPool` matches `dev/shared/UserPool`
 * in every stage). It may be left out when the assembly has one pool.
 */
import { readFile } from 'node:fs/promises';
import type { UserPoolModel } from '../assembly';
import type { SeedUser } from '../identity';
import { LocalCloudError, messageOf } from './errors';

export interface SeedFileUser {
  readonly userPool?: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  readonly groups?: readonly string[];
  readonly attributes?: Readonly<Record<string, string>>;
}

const USER_KEYS = new Set(['userPool', 'username', 'password', 'email', 'groups', 'attributes']);

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

/** Validates a seed file's text; `source` names it in error messages. */
export function parseSeedFile(text: string, source: string): SeedFileUser[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LocalCloudError(`seed file ${source} is not valid JSON: ${messageOf(error)}`);
  }
  const users = (data as { users?: unknown } | null)?.users;
  if (typeof data !== 'object' || data === null || !Array.isArray(users)) {
    throw new LocalCloudError(`seed file ${source} must be an object with a "users" array`);
  }
  return users.map((user: unknown, i): SeedFileUser => {
    const fail = (problem: string): never => {
      throw new LocalCloudError(`seed file ${source}: users[${i}] ${problem}`);
    };
    if (typeof user !== 'object' || user === null || Array.isArray(user)) return fail('is not an object');
    const u = user as Record<string, unknown>;
    const unknown = Object.keys(u).filter((key) => !USER_KEYS.has(key));
    if (unknown.length > 0) fail(`has unknown fields: ${unknown.join(', ')}`);
    for (const key of ['username', 'password'] as const) {
      if (typeof u[key] !== 'string' || u[key] === '') fail(`needs a non-empty "${key}" string`);
    }
    for (const key of ['userPool', 'email'] as const) {
      if (u[key] !== undefined && typeof u[key] !== 'string') fail(`"${key}" must be a string`);
    }
    if (
      u.groups !== undefined &&
      !(Array.isArray(u.groups) && u.groups.every((g) => typeof g === 'string'))
    ) {
      fail('"groups" must be an array of strings');
    }
    if (u.attributes !== undefined && !isStringRecord(u.attributes)) {
      fail('"attributes" must be an object of strings');
    }
    return u as unknown as SeedFileUser;
  });
}

export async function readSeedFile(file: string): Promise<SeedFileUser[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LocalCloudError(`cannot read seed file ${file}: ${messageOf(error)}`);
  }
  return parseSeedFile(text, file);
}

/** `dev/shared/UserPool/Resource` → `dev/shared/UserPool`. */
function constructPath(pool: UserPoolModel): string | undefined {
  return pool.path?.replace(/\/Resource$/, '');
}

function describePool(pool: UserPoolModel): string {
  const path = constructPath(pool);
  return `${pool.stack}/${pool.logicalId} (${pool.id}${path === undefined ? '' : `, path ${path}`})`;
}

/** The pool a selector names (see the module comment); throws a LocalCloudError listing the pools otherwise. */
export function findUserPool(
  selector: string | undefined,
  pools: readonly UserPoolModel[],
  context: string,
): UserPoolModel {
  const available = () =>
    pools.length === 0
      ? 'the assembly has no user pool'
      : `the user pools are: ${pools.map(describePool).join('; ')}`;
  if (selector === undefined) {
    const [only] = pools;
    if (pools.length === 1 && only !== undefined) return only;
    throw new LocalCloudError(`${context} names no "userPool", so it needs exactly one; ${available()}`);
  }
  const wanted = selector.replace(/^\/+|\/+$/g, '');
  const matches = pools.filter((pool) => {
    const path = constructPath(pool);
    return (
      pool.id === wanted ||
      pool.name === wanted ||
      pool.logicalId === wanted ||
      `${pool.stack}/${pool.logicalId}` === wanted ||
      (path !== undefined && (path === wanted || path.endsWith(`/${wanted}`)))
    );
  });
  const [match] = matches;
  if (matches.length === 1 && match !== undefined) return match;
  if (matches.length === 0) {
    throw new LocalCloudError(`${context}: no user pool matches "${selector}"; ${available()}`);
  }
  throw new LocalCloudError(
    `${context}: "${selector}" matches several user pools: ${matches.map(describePool).join('; ')}`,
  );
}

/** Seed file users → the identity provider's seed users, each with its pool id. */
export function resolveSeedUsers(
  users: readonly SeedFileUser[],
  pools: readonly UserPoolModel[],
  source: string,
): SeedUser[] {
  return users.map((user) => {
    const pool = findUserPool(user.userPool, pools, `seed file ${source}: user "${user.username}"`);
    const email = user.email ?? (pool.usernameAttributes.includes('email') ? user.username : undefined);
    return {
      poolId: pool.id,
      username: user.username,
      password: user.password,
      ...(email === undefined ? {} : { email }),
      groups: [...(user.groups ?? [])],
      ...(user.attributes === undefined ? {} : { attributes: { ...user.attributes } }),
    };
  });
}
