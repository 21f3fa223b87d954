import { arn } from '../environment';
import type {
  PasswordPolicy,
  ResourceServerModel,
  UserPoolAttribute,
  UserPoolClientModel,
  UserPoolDomainModel,
  UserPoolGroupModel,
  UserPoolModel,
  UserPoolTrigger,
  UserPoolUserModel,
} from '../model';
import { generatedName, userPoolClientSecret } from '../physical-ids';
import { isPlainObject, type Json } from '../resolve/value';
import {
  type BuildContext,
  bool,
  definedOnly,
  identity,
  num,
  obj,
  objects,
  type ResourceRecord,
  recordsOfType,
  str,
  strings,
  valueGap,
} from './context';
import type { FunctionIndex } from './lambda-target';

/** Standard OIDC attributes of a user pool; any other `Schema` entry is a custom attribute. */
const STANDARD_ATTRIBUTES = new Set([
  'address',
  'birthdate',
  'email',
  'email_verified',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'phone_number_verified',
  'picture',
  'preferred_username',
  'profile',
  'sub',
  'updated_at',
  'website',
  'zoneinfo',
]);

interface MutablePool extends UserPoolModel {
  clients: UserPoolClientModel[];
  resourceServers: ResourceServerModel[];
  groups: UserPoolGroupModel[];
  domains: UserPoolDomainModel[];
  users: UserPoolUserModel[];
  groupMemberships: { groupName: string; username: string }[];
}

export function buildUserPools(ctx: BuildContext, functions: FunctionIndex): UserPoolModel[] {
  const pools: MutablePool[] = recordsOfType(ctx, 'AWS::Cognito::UserPool').map((record) =>
    buildPool(record, functions),
  );
  const byId = new Map(pools.map((pool) => [pool.id, pool]));
  const attach = <T>(
    type: string,
    build: (record: ResourceRecord, pool: MutablePool) => T,
    add: (pool: MutablePool, item: T) => void,
  ) => {
    for (const record of recordsOfType(ctx, type)) {
      const poolId = str(record.properties.UserPoolId) ?? '';
      const pool = byId.get(poolId);
      if (!pool) {
        valueGap(ctx, record, 'UserPoolId', `user pool ${poolId || '(none)'} is not part of this assembly`);
        continue;
      }
      add(pool, build(record, pool));
    }
  };
  attach('AWS::Cognito::UserPoolClient', buildClient, (pool, item) => pool.clients.push(item));
  attach('AWS::Cognito::UserPoolResourceServer', buildResourceServer, (pool, item) =>
    pool.resourceServers.push(item),
  );
  attach('AWS::Cognito::UserPoolGroup', buildGroup, (pool, item) => pool.groups.push(item));
  attach('AWS::Cognito::UserPoolDomain', buildDomain, (pool, item) => pool.domains.push(item));
  attach('AWS::Cognito::UserPoolUser', buildUser, (pool, item) => pool.users.push(item));
  attach(
    'AWS::Cognito::UserPoolUserToGroupAttachment',
    (record) => ({
      groupName: str(record.properties.GroupName) ?? '',
      username: str(record.properties.Username) ?? '',
    }),
    (pool, item) => pool.groupMemberships.push(item),
  );
  return pools;
}

function buildPool(record: ResourceRecord, functions: FunctionIndex): MutablePool {
  const p = record.properties;
  const { env } = record.stack;
  const id = record.ref;
  const providerName = `cognito-idp.${env.region}.${env.urlSuffix}/${id}`;
  return {
    ...identity(record),
    id,
    name:
      str(p.UserPoolName) ??
      generatedName(record.stack.handle(record.logicalId).seed, env.stackName, record.logicalId, {
        maxLength: 128,
      }),
    arn: arn(env, 'cognito-idp', `userpool/${id}`),
    region: env.region,
    providerName,
    providerUrl: `https://${providerName}`,
    usernameAttributes: strings(p.UsernameAttributes).filter(
      (a): a is 'email' | 'phone_number' => a === 'email' || a === 'phone_number',
    ),
    aliasAttributes: strings(p.AliasAttributes).filter(
      (a): a is 'email' | 'phone_number' | 'preferred_username' =>
        a === 'email' || a === 'phone_number' || a === 'preferred_username',
    ),
    usernameCaseSensitive: bool(obj(p.UsernameConfiguration).CaseSensitive) ?? true,
    autoVerifiedAttributes: strings(p.AutoVerifiedAttributes).filter(
      (a): a is 'email' | 'phone_number' => a === 'email' || a === 'phone_number',
    ),
    selfSignUpEnabled: bool(obj(p.AdminCreateUserConfig).AllowAdminCreateUserOnly) !== true,
    passwordPolicy: passwordPolicy(obj(p.Policies).PasswordPolicy),
    mfa: ((m) => (m === 'ON' || m === 'OPTIONAL' ? m : 'OFF'))(str(p.MfaConfiguration)),
    enabledMfas: strings(p.EnabledMfas),
    schema: objects(p.Schema).map(schemaAttribute),
    accountRecovery: objects(obj(p.AccountRecoverySetting).RecoveryMechanisms)
      .sort((a, b) => (num(a.Priority) ?? 0) - (num(b.Priority) ?? 0))
      .flatMap((m) => strings(m.Name)),
    deletionProtection: str(p.DeletionProtection) === 'ACTIVE',
    lambdaTriggers: triggers(p.LambdaConfig, functions),
    clients: [],
    resourceServers: [],
    groups: [],
    domains: [],
    users: [],
    groupMemberships: [],
  };
}

/**
 * `Policies.PasswordPolicy`; every absent field takes Cognito's default (8 characters, all four
 * character classes, 7 days), also when the policy is only partly declared (as CDK writes it).
 */
function passwordPolicy(value: Json | undefined): PasswordPolicy {
  const p = obj(value);
  return {
    minimumLength: num(p.MinimumLength) ?? 8,
    requireLowercase: bool(p.RequireLowercase) ?? true,
    requireUppercase: bool(p.RequireUppercase) ?? true,
    requireNumbers: bool(p.RequireNumbers) ?? true,
    requireSymbols: bool(p.RequireSymbols) ?? true,
    temporaryPasswordValidityDays: num(p.TemporaryPasswordValidityDays) ?? 7,
  };
}

function schemaAttribute(item: Record<string, Json>): UserPoolAttribute {
  const name = str(item.Name) ?? '';
  const type = str(item.AttributeDataType);
  const strings = obj(item.StringAttributeConstraints);
  const numbers = obj(item.NumberAttributeConstraints);
  const constraints = {
    minLength: num(strings.MinLength),
    maxLength: num(strings.MaxLength),
    minValue: num(numbers.MinValue),
    maxValue: num(numbers.MaxValue),
  };
  return {
    name,
    custom: !STANDARD_ATTRIBUTES.has(name),
    dataType: type === 'Number' || type === 'DateTime' || type === 'Boolean' ? type : 'String',
    mutable: bool(item.Mutable) ?? true,
    required: bool(item.Required) ?? false,
    developerOnly: bool(item.DeveloperOnlyAttribute) ?? false,
    ...definedOnly(constraints),
  };
}

function triggers(value: Json | undefined, functions: FunctionIndex): UserPoolTrigger[] {
  return Object.entries(obj(value))
    .filter(([trigger]) => trigger !== 'KMSKeyID')
    .map(([trigger, config]) => {
      const uri = isPlainObject(config) ? str(obj(config).LambdaArn) : str(config);
      return { trigger, target: uri === undefined ? undefined : functions.target(uri), value: config };
    });
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

function validity(
  value: Json | undefined,
  unit: string | undefined,
  defaultUnit: string,
  fallbackSeconds: number,
): number {
  const amount = num(value);
  if (amount === undefined) return fallbackSeconds;
  return amount * (UNIT_SECONDS[unit ?? defaultUnit] ?? UNIT_SECONDS[defaultUnit] ?? 1);
}

function buildClient(record: ResourceRecord): UserPoolClientModel {
  const p = record.properties;
  const units = obj(p.TokenValidityUnits);
  const readAttributes = p.ReadAttributes === undefined ? undefined : strings(p.ReadAttributes);
  const writeAttributes = p.WriteAttributes === undefined ? undefined : strings(p.WriteAttributes);
  return {
    ...identity(record),
    id: record.ref,
    name: str(p.ClientName) ?? record.logicalId,
    secret: bool(p.GenerateSecret)
      ? userPoolClientSecret(record.stack.handle(record.logicalId).seed)
      : undefined,
    explicitAuthFlows: strings(p.ExplicitAuthFlows),
    oauthFlows: strings(p.AllowedOAuthFlows),
    oauthFlowsEnabled: bool(p.AllowedOAuthFlowsUserPoolClient) ?? false,
    oauthScopes: strings(p.AllowedOAuthScopes),
    callbackUrls: strings(p.CallbackURLs),
    logoutUrls: strings(p.LogoutURLs),
    defaultRedirectUri: str(p.DefaultRedirectURI),
    supportedIdentityProviders: strings(p.SupportedIdentityProviders),
    accessTokenValiditySeconds: validity(p.AccessTokenValidity, str(units.AccessToken), 'hours', 3600),
    idTokenValiditySeconds: validity(p.IdTokenValidity, str(units.IdToken), 'hours', 3600),
    refreshTokenValiditySeconds: validity(
      p.RefreshTokenValidity,
      str(units.RefreshToken),
      'days',
      30 * 86400,
    ),
    authSessionValidityMinutes: num(p.AuthSessionValidity) ?? 3,
    preventUserExistenceErrors: str(p.PreventUserExistenceErrors) === 'ENABLED',
    enableTokenRevocation: bool(p.EnableTokenRevocation) ?? true,
    readAttributes,
    writeAttributes,
  };
}

function buildResourceServer(record: ResourceRecord): ResourceServerModel {
  const p = record.properties;
  return {
    ...identity(record),
    identifier: record.ref,
    name: str(p.Name) ?? record.ref,
    scopes: objects(p.Scopes).map((scope) => ({
      name: str(scope.ScopeName) ?? '',
      description: str(scope.ScopeDescription) ?? '',
    })),
  };
}

function buildGroup(record: ResourceRecord): UserPoolGroupModel {
  const p = record.properties;
  return {
    ...identity(record),
    name: record.ref,
    description: str(p.Description),
    precedence: num(p.Precedence),
    roleArn: str(p.RoleArn),
  };
}

function buildDomain(record: ResourceRecord, pool: MutablePool): UserPoolDomainModel {
  const domain = record.ref;
  const custom = record.properties.CustomDomainConfig !== undefined || domain.includes('.');
  return {
    ...identity(record),
    domain,
    custom,
    url: custom ? `https://${domain}` : `https://${domain}.auth.${pool.region}.amazoncognito.com`,
  };
}

function buildUser(record: ResourceRecord): UserPoolUserModel {
  const attributes: Record<string, string> = {};
  for (const item of objects(record.properties.UserAttributes)) {
    const name = str(item.Name);
    if (name !== undefined) attributes[name] = str(item.Value) ?? '';
  }
  return {
    ...identity(record),
    username: record.ref,
    attributes,
    messageAction: str(record.properties.MessageAction),
  };
}
