/**
 * Plain-data configuration of the local identity provider. Another module maps a CDK template
 * (AWS::Cognito::UserPool, UserPoolClient, UserPoolResourceServer, UserPoolGroup, UserPoolDomain) to these
 * shapes; names follow CloudFormation's property names in camelCase so the mapping stays mechanical.
 * Everything optional defaults to what Cognito does when the property is absent.
 */
import type { JsonWebKey } from 'node:crypto';
import type { Clock } from '../clock.js';

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

/** AWS::Cognito::UserPool `Policies.PasswordPolicy`. Absent → Cognito's default (8 chars, all four classes). */
export interface PasswordPolicy {
  minimumLength?: number;
  requireLowercase?: boolean;
  requireUppercase?: boolean;
  requireNumbers?: boolean;
  requireSymbols?: boolean;
  /** Days a temporary password from AdminCreateUser stays usable. Default 7. */
  temporaryPasswordValidityDays?: number;
}

/** AWS::Cognito::UserPoolClient. */
export interface UserPoolClientConfig {
  clientId: string;
  clientName?: string;
  /** The secret, when the caller knows it. */
  clientSecret?: string;
  /** `GenerateSecret: true` without a known secret → a random secret is made at start (read it with DescribeUserPoolClient). */
  generateSecret?: boolean;
  /**
   * `ALLOW_USER_PASSWORD_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, `ALLOW_ADMIN_USER_PASSWORD_AUTH`, … or the legacy
   * `USER_PASSWORD_AUTH`, `ADMIN_NO_SRP_AUTH`, `CUSTOM_AUTH_FLOW_ONLY`. Absent or empty → Cognito's default
   * (`ALLOW_USER_SRP_AUTH`, `ALLOW_CUSTOM_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`).
   */
  explicitAuthFlows?: string[];
  /** `code`, `implicit`, `client_credentials`. */
  allowedOAuthFlows?: string[];
  /** `openid`, `email`, `phone`, `profile`, `aws.cognito.signin.user.admin`, or resource-server scopes `identifier/name`. */
  allowedOAuthScopes?: string[];
  allowedOAuthFlowsUserPoolClient?: boolean;
  callbackUrls?: string[];
  logoutUrls?: string[];
  supportedIdentityProviders?: string[];
  /** Amount in `tokenValidityUnits.accessToken` (default unit hours). Default 60 minutes. */
  accessTokenValidity?: number;
  /** Amount in `tokenValidityUnits.idToken` (default unit hours). Default 60 minutes. */
  idTokenValidity?: number;
  /** Amount in `tokenValidityUnits.refreshToken` (default unit days). Default 30 days. */
  refreshTokenValidity?: number;
  tokenValidityUnits?: { accessToken?: TimeUnit; idToken?: TimeUnit; refreshToken?: TimeUnit };
  /**
   * `ENABLED` hides whether a user exists (unknown user → "Incorrect username or password."). Absent →
   * `LEGACY`, the Cognito API / CloudFormation default (the console picks ENABLED for new clients).
   */
  preventUserExistenceErrors?: 'ENABLED' | 'LEGACY';
}

/** AWS::Cognito::UserPoolResourceServer. */
export interface ResourceServerConfig {
  identifier: string;
  name?: string;
  scopes?: { name: string; description?: string }[];
}

/** AWS::Cognito::UserPoolGroup. */
export interface GroupConfig {
  name: string;
  precedence?: number;
  description?: string;
  /** Adds `cognito:roles` / `cognito:preferred_role` to id tokens, as Cognito does. */
  roleArn?: string;
}

export type SignInAttribute = 'email' | 'phone_number';

/** AWS::Cognito::UserPool plus its clients, resource servers, groups and domain. */
export interface UserPoolConfig {
  /** `{region}_{id}`, e.g. `us-east-1_AbCdEf123`. It is the last path segment of the issuer. */
  id: string;
  name?: string;
  /** Default: the part of `id` before `_`. */
  region?: string;
  /** `UsernameAttributes`: users sign up and sign in with their email; the username becomes a UUID (= `sub`). */
  usernameAttributes?: SignInAttribute[];
  /** `AliasAttributes`: users pick a username and may also sign in with a verified email. */
  aliasAttributes?: (SignInAttribute | 'preferred_username')[];
  /** `AutoVerifiedAttributes`: with `email`, SignUp sends a code and ConfirmSignUp verifies the email. */
  autoVerifiedAttributes?: SignInAttribute[];
  passwordPolicy?: PasswordPolicy;
  /** `!AdminCreateUserConfig.AllowAdminCreateUserOnly`. Default true. */
  selfSignUpEnabled?: boolean;
  /** `UsernameConfiguration.CaseSensitive`. Default true, as in CloudFormation. */
  usernameCaseSensitive?: boolean;
  clients?: UserPoolClientConfig[];
  resourceServers?: ResourceServerConfig[];
  groups?: GroupConfig[];
  /**
   * AWS::Cognito::UserPoolUser resources (with their UserPoolUserToGroupAttachments as `groups`). They start
   * in FORCE_CHANGE_PASSWORD without a usable password; a seed user of the same name gives them one.
   */
  users?: { username: string; attributes?: Record<string, string>; groups?: string[] }[];
  /** AWS::Cognito::UserPoolDomain prefix. Only informative locally (see README: URL scheme). */
  domain?: string;
}

/** A user present from the start: confirmed, permanent password, email verified. */
export interface SeedUser {
  /** Required when there is more than one pool. */
  poolId?: string;
  /** The sign-in name. In an email-as-username pool this is the email (the stored username is a UUID). */
  username: string;
  password: string;
  email?: string;
  groups?: string[];
  /** Extra attributes, e.g. `{ name: 'Ada', 'custom:tier': 'pro' }`. */
  attributes?: Record<string, string>;
  /** Default: a UUID derived from pool id + username, so the same seed gives the same `sub` on every start. */
  sub?: string;
}

/** A pool's two RS256 key pairs as private JWKs (Cognito signs id and access tokens with different keys). */
export interface PoolSigningKeys {
  id: JsonWebKey & { kid: string };
  access: JsonWebKey & { kid: string };
}

export interface IdentityProviderOptions {
  pools: UserPoolConfig[];
  seedUsers?: SeedUser[];
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  clock?: Clock;
  /** One line per API call (operation, pool, outcome). Never passwords, codes or tokens. */
  log?: (line: string) => void;
  /** Keys from a previous run (`exportSigningKeys()`), so issued tokens stay valid across restarts. */
  signingKeys?: Record<string, PoolSigningKeys>;
  /**
   * A confirmation code that every ConfirmSignUp / ConfirmForgotPassword accepts besides the user's own last
   * code. Default `'000000'`; `null` accepts only the real code (read it from `GET /_local/codes/...`).
   */
  masterCode?: string | null;
}

/** What the start-up table shows about a seeded user. */
export interface DemoUser {
  poolId: string;
  username: string;
  signInName: string;
  password: string;
  sub: string;
  groups: string[];
}
