/**
 * The identity provider's state and the steps shared by the Cognito API and the OAuth2 endpoints: pools,
 * refresh tokens, challenge sessions, authorization codes, confirmation codes, sign-in and token issue.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CognitoError, notAuthorized, poolNotFound } from './errors.js';
import { checkPasswordPolicy, generateCode, hashPassword, safeEqual, secretHash } from './passwords.js';
import { type ClientRuntime, type PendingCode, stableUuid, type UserPool, type UserRecord } from './pool.js';
import {
  type AccessTokenCheck,
  type AuthSession,
  issueUserTokens,
  newSession,
  type UserTokenOptions,
  type UserTokens,
  verifyAccessToken,
} from './tokens.js';
import type { DemoUser, SeedUser } from './types.js';

export interface RefreshRecord {
  poolId: string;
  clientId: string;
  /** Normalized username of the user. */
  username: string;
  session: AuthSession;
  issuedAt: number;
  expiresAt: number;
}

export interface ChallengeSession {
  poolId: string;
  clientId: string;
  username: string;
  challenge: 'NEW_PASSWORD_REQUIRED';
  expiresAt: number;
}

export interface AuthorizationCode {
  poolId: string;
  clientId: string;
  username: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  session: AuthSession;
  expiresAt: number;
}

/** Confirmation codes live 24 hours, challenge sessions 3 minutes, authorization codes 5 minutes. */
export const CODE_TTL_MS = 24 * 3600_000;
export const CHALLENGE_TTL_MS = 3 * 60_000;
export const AUTH_CODE_TTL_MS = 5 * 60_000;

export interface IssuedTokens extends UserTokens {
  refreshToken: string | undefined;
}

export class IdentityCore {
  /** Set once the server listens. */
  baseUrl = '';
  readonly pools = new Map<string, UserPool>();
  readonly refreshTokens = new Map<string, RefreshRecord>();
  readonly challengeSessions = new Map<string, ChallengeSession>();
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  /** `origin_jti`s of revoked refresh tokens: their access tokens stop working with the Cognito API. */
  readonly revokedOrigins = new Set<string>();
  readonly demoUsers: DemoUser[] = [];

  constructor(
    readonly clock: Clock,
    readonly masterCode: string | null,
    readonly log: (line: string) => void,
    readonly accountId: string,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /**
   * Drops expired challenge sessions and authorization codes, and refresh tokens a week after they expired
   * (until then they still answer "Refresh Token has expired"). Runs whenever something is issued.
   */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.challengeSessions)
      if (entry.expiresAt <= now) this.challengeSessions.delete(key);
    for (const [key, entry] of this.authorizationCodes)
      if (entry.expiresAt <= now) this.authorizationCodes.delete(key);
    for (const [key, entry] of this.refreshTokens) {
      if (entry.expiresAt + 7 * 86400_000 <= now) this.refreshTokens.delete(key);
    }
  }

  issuerFor(poolId: string): string {
    return `${this.baseUrl}/${poolId}`;
  }

  /** Checks one of this provider's access tokens: its pool's key and issuer, `token_use`, expiry (now). */
  checkAccessToken(token: string): Promise<AccessTokenCheck & { pool?: UserPool }> {
    return verifyAccessToken(
      token,
      (poolId) => this.pools.get(poolId),
      (poolId) => this.issuerFor(poolId),
      this.now(),
    );
  }

  pool(poolId: string): UserPool {
    const pool = this.pools.get(poolId);
    if (!pool) throw poolNotFound(poolId);
    return pool;
  }

  /** Client ids are unique across pools, as in Cognito. */
  findClient(clientId: string): { pool: UserPool; client: ClientRuntime } | undefined {
    for (const pool of this.pools.values()) {
      const client = pool.clients.get(clientId);
      if (client) return { pool, client };
    }
    return undefined;
  }

  /** SECRET_HASH check for a client with a secret: missing or wrong → NotAuthorizedException. */
  checkSecretHash(client: ClientRuntime, names: string[], given: string | undefined): void {
    if (client.clientSecret === undefined) return;
    const secret = client.clientSecret;
    const ok =
      given !== undefined &&
      names.some((name) => safeEqual(secretHash(name, client.clientId, secret), given));
    if (!ok) throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
  }

  async setPassword(pool: UserPool, user: UserRecord, password: string, permanent: boolean): Promise<void> {
    checkPasswordPolicy(password, pool.passwordPolicy);
    user.passwordHash = await hashPassword(password);
    user.modifiedAt = this.now();
    if (permanent) {
      if (user.status !== 'UNCONFIRMED') user.status = 'CONFIRMED';
      delete user.temporaryPasswordExpiresAt;
    } else {
      user.status = 'FORCE_CHANGE_PASSWORD';
      user.temporaryPasswordExpiresAt =
        this.now() + pool.passwordPolicy.temporaryPasswordValidityDays * 86400_000;
    }
  }

  newCode(user: UserRecord, purpose: PendingCode['purpose']): PendingCode {
    user.code = { code: generateCode(this.masterCode), purpose, expiresAt: this.now() + CODE_TTL_MS };
    return user.code;
  }

  /** Accepts the user's last code for `purpose` or the master code. */
  checkCode(user: UserRecord, purpose: PendingCode['purpose'], code: string): void {
    if (this.masterCode !== null && code === this.masterCode) return;
    const pending = user.code;
    if (!pending || pending.purpose !== purpose || !safeEqual(pending.code, code)) {
      throw new CognitoError(
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
    }
    if (pending.expiresAt <= this.now()) {
      throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    }
  }

  /**
   * Tokens for a user who just proved who they are (a new session, with a refresh token), or for a refresh
   * (pass the refresh token's `session`: same `origin_jti`, `event_id`, `auth_time`; no new refresh token).
   */
  async issue(
    pool: UserPool,
    client: ClientRuntime,
    user: UserRecord,
    options: UserTokenOptions & { session?: AuthSession; refresh?: boolean } = {},
  ): Promise<IssuedTokens> {
    this.sweep();
    const now = this.now();
    const session = options.session ?? newSession(now, options.oauth?.scopes);
    const tokens = await issueUserTokens(pool, client, user, session, now, this.issuerFor(pool.id), options);
    let refreshToken: string | undefined;
    if (options.refresh ?? options.session === undefined) {
      refreshToken = randomBytes(64).toString('base64url');
      this.refreshTokens.set(refreshToken, {
        poolId: pool.id,
        clientId: client.clientId,
        username: pool.key(user.username),
        session,
        issuedAt: now,
        expiresAt: now + client.refreshTokenSeconds * 1000,
      });
    }
    return { ...tokens, refreshToken };
  }

  /** The record and user behind a refresh token, or why it cannot be used. */
  useRefreshToken(
    token: string,
    client: ClientRuntime,
  ): { ok: true; record: RefreshRecord; user: UserRecord; pool: UserPool } | { ok: false; reason: string } {
    const record = this.refreshTokens.get(token);
    if (!record || record.clientId !== client.clientId) return { ok: false, reason: 'Invalid Refresh Token' };
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'Refresh Token has expired' };
    const pool = this.pool(record.poolId);
    const user = pool.users.get(record.username);
    if (!user) return { ok: false, reason: 'Invalid Refresh Token' };
    if (!user.enabled) return { ok: false, reason: 'User is disabled.' };
    return { ok: true, record, user, pool };
  }

  revokeRefreshToken(token: string): void {
    const record = this.refreshTokens.get(token);
    if (!record) return;
    this.refreshTokens.delete(token);
    this.revokedOrigins.add(record.session.originJti);
  }

  /** GlobalSignOut: revokes every session (refresh token and the tokens issued from it) of the user. */
  signOutEverywhere(pool: UserPool, user: UserRecord): void {
    const key = pool.key(user.username);
    for (const [token, record] of this.refreshTokens) {
      if (record.poolId === pool.id && record.username === key) this.revokeRefreshToken(token);
    }
  }

  newChallengeSession(pool: UserPool, client: ClientRuntime, user: UserRecord): string {
    this.sweep();
    const session = randomBytes(96).toString('base64url');
    this.challengeSessions.set(session, {
      poolId: pool.id,
      clientId: client.clientId,
      username: pool.key(user.username),
      challenge: 'NEW_PASSWORD_REQUIRED',
      expiresAt: this.now() + CHALLENGE_TTL_MS,
    });
    return session;
  }

  /** Users declared in the template, not yet given a password by a seed user. */
  readonly templateUsers = new Set<UserRecord>();

  /**
   * `AWS::Cognito::UserPoolUser`s: like AdminCreateUser with an undelivered temporary password, so they
   * cannot sign in until a seed user or AdminSetUserPassword gives them a password.
   */
  addTemplateUsers(pool: UserPool): void {
    for (const declared of pool.config.users ?? []) {
      if (pool.emailIsUsername && !declared.username.includes('@')) {
        throw new Error(
          `identity: pool ${pool.id} signs in with email; user "${declared.username}" is not an email`,
        );
      }
      pool.assertNameFree(declared.username);
      const user = pool.newUser(declared.username, this.now(), stableUuid(pool.id, declared.username));
      for (const [name, value] of Object.entries(declared.attributes ?? {})) user.attributes.set(name, value);
      for (const group of declared.groups ?? []) {
        if (!pool.groups.has(group)) {
          throw new Error(`identity: user "${declared.username}": pool ${pool.id} has no group "${group}"`);
        }
        user.groups.add(group);
      }
      user.status = 'FORCE_CHANGE_PASSWORD';
      user.temporaryPasswordExpiresAt =
        this.now() + pool.passwordPolicy.temporaryPasswordValidityDays * 86400_000;
      pool.add(user);
      this.templateUsers.add(user);
    }
  }

  async seed(users: SeedUser[]): Promise<void> {
    for (const seed of users) {
      const poolId = seed.poolId ?? (this.pools.size === 1 ? [...this.pools.keys()][0] : undefined);
      if (poolId === undefined) {
        throw new Error(
          `identity: seed user "${seed.username}" needs a poolId (there are ${this.pools.size} pools)`,
        );
      }
      const pool = this.pools.get(poolId);
      if (!pool) throw new Error(`identity: seed user "${seed.username}" names unknown pool ${poolId}`);
      if (pool.emailIsUsername && !seed.username.includes('@')) {
        throw new Error(
          `identity: pool ${poolId} signs in with email; seed user "${seed.username}" is not an email`,
        );
      }
      // A seed user may give the password of a user the template declares (AWS::Cognito::UserPoolUser).
      const declared = pool.resolve(seed.username);
      if (!declared || !this.templateUsers.has(declared)) pool.assertNameFree(seed.username);
      const sub = declared?.sub ?? seed.sub ?? stableUuid(poolId, seed.username);
      const user = declared ?? pool.newUser(seed.username, this.now(), sub);
      this.templateUsers.delete(user);
      for (const [name, value] of Object.entries(seed.attributes ?? {})) user.attributes.set(name, value);
      const email = seed.email ?? (pool.emailIsUsername ? seed.username : undefined);
      if (email !== undefined) {
        user.attributes.set('email', email);
        user.attributes.set('email_verified', 'true');
      }
      for (const group of seed.groups ?? []) {
        if (!pool.groups.has(group)) {
          throw new Error(`identity: seed user "${seed.username}": pool ${poolId} has no group "${group}"`);
        }
        user.groups.add(group);
      }
      try {
        await this.setPassword(pool, user, seed.password, true);
      } catch (error) {
        throw new Error(`identity: seed user "${seed.username}": ${(error as Error).message}`);
      }
      user.status = 'CONFIRMED';
      pool.add(user);
      this.demoUsers.push({
        poolId,
        username: user.username,
        signInName: seed.username,
        password: seed.password,
        sub,
        groups: [...user.groups],
      });
    }
  }
}
