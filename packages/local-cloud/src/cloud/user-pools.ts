/**
 * Cognito user pools of the model → the identity provider's `UserPoolConfig`s (its types are named after
 * the CloudFormation properties, so the mapping is one to one), plus the gaps: what the template asks
 * for that the local identity provider does not do (SRP and custom auth, MFA, federation, implicit grant,
 * per-client attribute permissions, custom domains).
 */
import type { Gap, UserPoolClientModel, UserPoolModel } from '../assembly';
import type { TimeUnit, UserPoolClientConfig, UserPoolConfig } from '../identity';
import { serviceGap } from './gaps';

const POOL = 'AWS::Cognito::UserPool';
const CLIENT = 'AWS::Cognito::UserPoolClient';
const DOMAIN = 'AWS::Cognito::UserPoolDomain';

/** Cognito's flows for a client without `ExplicitAuthFlows`. */
const DEFAULT_AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

const UNSUPPORTED_AUTH_FLOWS: Readonly<Record<string, string>> = {
  ALLOW_USER_SRP_AUTH: 'SRP sign-in',
  ALLOW_CUSTOM_AUTH: 'custom authentication (Lambda challenges)',
  CUSTOM_AUTH_FLOW_ONLY: 'custom authentication (Lambda challenges)',
  ALLOW_USER_AUTH: 'choice-based sign-in (USER_AUTH)',
};

const UNIT_SECONDS: readonly [TimeUnit, number][] = [
  ['days', 86_400],
  ['hours', 3_600],
  ['minutes', 60],
  ['seconds', 1],
];

/** A duration in the largest unit that holds it exactly (what DescribeUserPoolClient then shows). */
export function validityAmount(seconds: number): { amount: number; unit: TimeUnit } {
  for (const [unit, size] of UNIT_SECONDS) {
    if (seconds % size === 0) return { amount: seconds / size, unit };
  }
  return { amount: seconds, unit: 'seconds' };
}

export function mapClient(client: UserPoolClientModel): UserPoolClientConfig {
  const access = validityAmount(client.accessTokenValiditySeconds);
  const id = validityAmount(client.idTokenValiditySeconds);
  const refresh = validityAmount(client.refreshTokenValiditySeconds);
  return {
    clientId: client.id,
    clientName: client.name,
    // The model's secret is deterministic, so DescribeUserPoolClient answers the same on every start.
    ...(client.secret === undefined ? {} : { clientSecret: client.secret, generateSecret: true }),
    explicitAuthFlows: [...client.explicitAuthFlows],
    allowedOAuthFlows: [...client.oauthFlows],
    allowedOAuthScopes: [...client.oauthScopes],
    allowedOAuthFlowsUserPoolClient: client.oauthFlowsEnabled,
    callbackUrls: [...client.callbackUrls],
    logoutUrls: [...client.logoutUrls],
    supportedIdentityProviders: [...client.supportedIdentityProviders],
    accessTokenValidity: access.amount,
    idTokenValidity: id.amount,
    refreshTokenValidity: refresh.amount,
    tokenValidityUnits: { accessToken: access.unit, idToken: id.unit, refreshToken: refresh.unit },
    preventUserExistenceErrors: client.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
  };
}

export function mapUserPool(pool: UserPoolModel): UserPoolConfig {
  const domain = pool.domains.find((d) => !d.custom);
  return {
    id: pool.id,
    name: pool.name,
    region: pool.region,
    usernameAttributes: [...pool.usernameAttributes],
    aliasAttributes: [...pool.aliasAttributes],
    autoVerifiedAttributes: [...pool.autoVerifiedAttributes],
    passwordPolicy: { ...pool.passwordPolicy },
    selfSignUpEnabled: pool.selfSignUpEnabled,
    usernameCaseSensitive: pool.usernameCaseSensitive,
    clients: pool.clients.map(mapClient),
    resourceServers: pool.resourceServers.map((server) => ({
      identifier: server.identifier,
      name: server.name,
      scopes: server.scopes.map((scope) => ({ name: scope.name, description: scope.description })),
    })),
    groups: pool.groups.map((group) => ({
      name: group.name,
      ...(group.precedence === undefined ? {} : { precedence: group.precedence }),
      ...(group.description === undefined ? {} : { description: group.description }),
      ...(group.roleArn === undefined ? {} : { roleArn: group.roleArn }),
    })),
    users: pool.users.map((user) => ({
      username: user.username,
      attributes: { ...user.attributes },
      groups: pool.groupMemberships.filter((m) => m.username === user.username).map((m) => m.groupName),
    })),
    ...(domain === undefined ? {} : { domain: domain.domain }),
  };
}

export function userPoolGaps(pool: UserPoolModel): Gap[] {
  const gaps: Gap[] = [];
  if (pool.mfa !== 'OFF') {
    gaps.push(
      serviceGap(
        pool,
        POOL,
        'MfaConfiguration',
        `MFA ${pool.mfa}: sign-in never asks for a second factor locally`,
      ),
    );
  }
  for (const domain of pool.domains) {
    if (domain.custom) {
      gaps.push(
        serviceGap(
          domain,
          DOMAIN,
          'CustomDomainConfig',
          `custom domain ${domain.domain} is not served; the OAuth endpoints are at the local OAuth base URL`,
        ),
      );
    }
  }
  for (const client of pool.clients) {
    const flows = client.explicitAuthFlows.length > 0 ? client.explicitAuthFlows : DEFAULT_AUTH_FLOWS;
    for (const flow of flows) {
      const what = UNSUPPORTED_AUTH_FLOWS[flow];
      if (what !== undefined) {
        gaps.push(
          serviceGap(
            client,
            CLIENT,
            'ExplicitAuthFlows',
            `${flow}: ${what} is not implemented locally (USER_PASSWORD_AUTH and refresh are)`,
          ),
        );
      }
    }
    if (client.oauthFlows.includes('implicit')) {
      gaps.push(
        serviceGap(client, CLIENT, 'AllowedOAuthFlows', 'the implicit grant is not implemented locally'),
      );
    }
    const federated = client.supportedIdentityProviders.filter((p) => p !== 'COGNITO');
    if (federated.length > 0) {
      gaps.push(
        serviceGap(
          client,
          CLIENT,
          'SupportedIdentityProviders',
          `federated sign-in (${federated.join(', ')}) is not implemented locally`,
        ),
      );
    }
    if (client.readAttributes !== undefined || client.writeAttributes !== undefined) {
      gaps.push(
        serviceGap(
          client,
          CLIENT,
          client.readAttributes !== undefined ? 'ReadAttributes' : 'WriteAttributes',
          'per-client attribute permissions are not enforced locally',
        ),
      );
    }
  }
  return gaps;
}

export function mapUserPools(pools: readonly UserPoolModel[]): { pools: UserPoolConfig[]; gaps: Gap[] } {
  return { pools: pools.map(mapUserPool), gaps: pools.flatMap(userPoolGaps) };
}
