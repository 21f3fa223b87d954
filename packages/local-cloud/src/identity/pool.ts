/** One user pool at run time: its settings with Cognito's defaults applied, its clients, keys and users. */
import { createHash, randomUUID } from 'node:crypto';
import { CognitoError, clientNotFound } from './errors.js';
import type { PoolKeys } from './keys.js';
import { DEFAULT_PASSWORD_POLICY, generateClientSecret } from './passwords.js';
import type {
  GroupConfig,
  PasswordPolicy,
  SignInAttribute,
  TimeUnit,
  UserPoolClientConfig,
  UserPoolConfig,
} from './types.js';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface PendingCode {
  code: string;
  purpose: 'SIGN_UP' | 'FORGOT_PASSWORD';
  expiresAt: number;
}

export interface UserRecord {
  /** The immutable username; a UUID (= sub) in email-as-username pools. */
  username: string;
  sub: string;
  /** Every attribute as Cognito stores it: strings, including `sub` and `email_verified`. */
  attributes: Map<string, string>;
  passwordHash: string | undefined;
  status: UserStatus;
  enabled: boolean;
  createdAt: number;
  modifiedAt: number;
  groups: Set<string>;
  /** FORCE_CHANGE_PASSWORD users: when the temporary password stops working. */
  temporaryPasswordExpiresAt?: number;
  code?: PendingCode;
}

export interface ClientRuntime {
  readonly poolId: string;
  readonly clientId: string;
  readonly clientName: string;
  readonly clientSecret: string | undefined;
  readonly explicitAuthFlows: readonly string[];
  readonly allowedOAuthFlows: readonly string[];
  readonly allowedOAuthScopes: readonly string[];
  readonly allowedOAuthFlowsUserPoolClient: boolean;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly supportedIdentityProviders: readonly string[];
  readonly accessTokenSeconds: number;
  readonly idTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly validity: {
    accessToken: number;
    idToken: number;
    refreshToken: number;
    units: { AccessToken: TimeUnit; IdToken: TimeUnit; RefreshToken: TimeUnit };
  };
  readonly preventUserExistenceErrors: 'ENABLED' | 'LEGACY';
}

const SECONDS: Record<TimeUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Cognito's default when ExplicitAuthFlows is absent or empty. */
const DEFAULT_AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/** `ALLOW_` flow names with the legacy names that also enable them. */
const FLOW_ALIASES: Record<string, string[]> = {
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  USER_SRP_AUTH: ['ALLOW_USER_SRP_AUTH'],
  CUSTOM_AUTH: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'],
  REFRESH_TOKEN_AUTH: ['ALLOW_REFRESH_TOKEN_AUTH'],
};

export function clientAllowsFlow(client: ClientRuntime, flow: string): boolean {
  const names = FLOW_ALIASES[flow] ?? [`ALLOW_${flow}`];
  if (flow === 'REFRESH_TOKEN_AUTH' && !client.explicitAuthFlows.some((f) => f.startsWith('ALLOW_'))) {
    return true; // legacy flow names never needed a flag for refresh
  }
  return names.some((name) => client.explicitAuthFlows.includes(name));
}

function validity(
  clientId: string,
  what: string,
  amount: number | undefined,
  unit: TimeUnit,
  fallbackSeconds: number,
  [min, max]: [number, number],
): number {
  const seconds = amount === undefined ? fallbackSeconds : amount * SECONDS[unit];
  if (!Number.isFinite(seconds) || seconds < min || seconds > max) {
    throw new Error(
      `identity: client ${clientId}: ${what} validity ${amount} ${unit} is outside Cognito's range (${min}s–${max}s)`,
    );
  }
  return seconds;
}

function buildClient(poolId: string, config: UserPoolClientConfig): ClientRuntime {
  const units = {
    AccessToken: config.tokenValidityUnits?.accessToken ?? 'hours',
    IdToken: config.tokenValidityUnits?.idToken ?? 'hours',
    RefreshToken: config.tokenValidityUnits?.refreshToken ?? 'days',
  } satisfies ClientRuntime['validity']['units'];
  const accessTokenSeconds = validity(
    config.clientId,
    'access token',
    config.accessTokenValidity,
    units.AccessToken,
    3600,
    [300, 86400],
  );
  const idTokenSeconds = validity(
    config.clientId,
    'id token',
    config.idTokenValidity,
    units.IdToken,
    3600,
    [300, 86400],
  );
  const refreshTokenSeconds = validity(
    config.clientId,
    'refresh token',
    config.refreshTokenValidity,
    units.RefreshToken,
    30 * 86400,
    [3600, 3650 * 86400],
  );
  return {
    poolId,
    clientId: config.clientId,
    clientName: config.clientName ?? config.clientId,
    clientSecret: config.clientSecret ?? (config.generateSecret ? generateClientSecret() : undefined),
    explicitAuthFlows: config.explicitAuthFlows?.length ? [...config.explicitAuthFlows] : DEFAULT_AUTH_FLOWS,
    allowedOAuthFlows: config.allowedOAuthFlows ?? [],
    allowedOAuthScopes: config.allowedOAuthScopes ?? [],
    allowedOAuthFlowsUserPoolClient: config.allowedOAuthFlowsUserPoolClient ?? false,
    callbackUrls: config.callbackUrls ?? [],
    logoutUrls: config.logoutUrls ?? [],
    supportedIdentityProviders: config.supportedIdentityProviders ?? ['COGNITO'],
    accessTokenSeconds,
    idTokenSeconds,
    refreshTokenSeconds,
    validity: {
      accessToken: config.accessTokenValidity ?? accessTokenSeconds / SECONDS[units.AccessToken],
      idToken: config.idTokenValidity ?? idTokenSeconds / SECONDS[units.IdToken],
      refreshToken: config.refreshTokenValidity ?? refreshTokenSeconds / SECONDS[units.RefreshToken],
      units,
    },
    preventUserExistenceErrors: config.preventUserExistenceErrors ?? 'LEGACY',
  };
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** A deterministic UUID (v4 layout) so seeded users keep their `sub` across restarts. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Throws on what Cognito itself would refuse; cheap, so it runs before keys are generated. */
export function validatePoolConfig(config: UserPoolConfig): void {
  if (!POOL_ID.test(config.id)) {
    throw new Error(`identity: user pool id "${config.id}" is not of Cognito's form {region}_{id}`);
  }
  for (const client of config.clients ?? []) buildClient(config.id, client);
}

export class UserPool {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly config: UserPoolConfig;
  readonly keys: PoolKeys;
  readonly passwordPolicy: Required<PasswordPolicy>;
  readonly usernameAttributes: readonly SignInAttribute[];
  readonly aliasAttributes: readonly string[];
  readonly autoVerifiedAttributes: readonly SignInAttribute[];
  readonly selfSignUpEnabled: boolean;
  readonly caseSensitive: boolean;
  readonly clients = new Map<string, ClientRuntime>();
  readonly groups = new Map<string, GroupConfig>();
  /** Every `identifier/scope` defined by the pool's resource servers. */
  readonly resourceServerScopes = new Set<string>();
  /** Users by normalized username. */
  readonly users = new Map<string, UserRecord>();
  readonly createdAt: number;

  constructor(config: UserPoolConfig, keys: PoolKeys, now: number) {
    validatePoolConfig(config);
    this.id = config.id;
    this.name = config.name ?? config.id;
    this.region = config.region ?? config.id.slice(0, config.id.indexOf('_'));
    this.config = config;
    this.keys = keys;
    this.passwordPolicy = { ...DEFAULT_PASSWORD_POLICY, ...definedOnly(config.passwordPolicy ?? {}) };
    this.usernameAttributes = config.usernameAttributes ?? [];
    this.aliasAttributes = config.aliasAttributes ?? [];
    this.autoVerifiedAttributes = config.autoVerifiedAttributes ?? [];
    this.selfSignUpEnabled = config.selfSignUpEnabled ?? true;
    this.caseSensitive = config.usernameCaseSensitive ?? true;
    this.createdAt = now;
    for (const client of config.clients ?? [])
      this.clients.set(client.clientId, buildClient(config.id, client));
    for (const group of config.groups ?? []) this.groups.set(group.name, group);
    for (const server of config.resourceServers ?? []) {
      for (const scope of server.scopes ?? [])
        this.resourceServerScopes.add(`${server.identifier}/${scope.name}`);
    }
  }

  get emailIsUsername(): boolean {
    return this.usernameAttributes.includes('email');
  }

  key(name: string): string {
    return this.caseSensitive ? name : name.toLowerCase();
  }

  client(clientId: string): ClientRuntime {
    const client = this.clients.get(clientId);
    if (!client) throw clientNotFound(clientId);
    return client;
  }

  /**
   * The user a sign-in name or an admin call's `Username` refers to: the username, the email in an
   * email-as-username pool, a verified email alias, or the `sub`.
   */
  resolve(name: string): UserRecord | undefined {
    const direct = this.users.get(this.key(name));
    if (direct) return direct;
    const wanted = name.toLowerCase();
    for (const user of this.users.values()) {
      const email = user.attributes.get('email')?.toLowerCase();
      if (email === wanted && this.emailIsUsername) return user;
      if (
        email === wanted &&
        this.aliasAttributes.includes('email') &&
        user.attributes.get('email_verified') === 'true'
      ) {
        return user;
      }
      if (
        this.aliasAttributes.includes('preferred_username') &&
        user.attributes.get('preferred_username')?.toLowerCase() === wanted
      ) {
        return user;
      }
      if (user.sub === name) return user;
    }
    return undefined;
  }

  /** A new user record; the caller stores it. */
  newUser(signInName: string, now: number, sub: string = randomUUID()): UserRecord {
    const username = this.emailIsUsername ? sub : signInName;
    const attributes = new Map<string, string>([['sub', sub]]);
    if (this.emailIsUsername) attributes.set('email', signInName);
    return {
      username,
      sub,
      attributes,
      passwordHash: undefined,
      status: 'UNCONFIRMED',
      enabled: true,
      createdAt: now,
      modifiedAt: now,
      groups: new Set(),
    };
  }

  add(user: UserRecord): void {
    this.users.set(this.key(user.username), user);
  }

  /** Throws UsernameExistsException when the name (or the email of an email-as-username pool) is taken. */
  assertNameFree(signInName: string, message?: string): void {
    if (this.emailIsUsername) {
      const wanted = signInName.toLowerCase();
      for (const user of this.users.values()) {
        if (user.attributes.get('email')?.toLowerCase() === wanted) {
          throw new CognitoError(
            'UsernameExistsException',
            'An account with the given email already exists.',
          );
        }
      }
      return;
    }
    if (this.users.has(this.key(signInName))) {
      throw new CognitoError('UsernameExistsException', message ?? 'User already exists');
    }
  }

  /** Groups of a user in token order (by precedence, then name) with their settings. */
  groupsOf(user: UserRecord): GroupConfig[] {
    return [...user.groups]
      .map((name) => this.groups.get(name) ?? { name })
      .sort(
        (a, b) =>
          (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER) ||
          a.name.localeCompare(b.name),
      );
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const isEmail = (value: string) => /^[^\s@]+@[^\s@]+$/.test(value);

/** Attributes as the API returns them: `[{ Name, Value }]`, `sub` first as Cognito does. */
export function attributeList(user: UserRecord): { Name: string; Value: string }[] {
  return [...user.attributes].map(([Name, Value]) => ({ Name, Value }));
}

/** `e***@e***` like Cognito's CodeDeliveryDetails.Destination. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}
