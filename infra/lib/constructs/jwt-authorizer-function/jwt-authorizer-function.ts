import { Duration, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { bundle, type HandlerName } from '../../bundles';
import { ServiceFunction, type ServiceFunctionProps } from '../service-function/service-function';

/** The Lambda authorizers of `packages/authorizers`, one bundle each. */
export type JwtAuthorizerKind = HandlerName<'packages/authorizers'>;

/** Which Cognito token the authorizer accepts. */
export type JwtTokenUse = 'access' | 'id' | 'any';

/**
 * The issuer (`iss` claim) of a Cognito user pool's tokens, as API Gateway's own Cognito JWT authorizer
 * builds it: `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
 */
export function cognitoIssuer(scope: Construct, userPool: cognito.IUserPool): string {
  return `https://cognito-idp.${Stack.of(scope).region}.amazonaws.com/${userPool.userPoolId}`;
}

export interface JwtAuthorizerFunctionProps
  extends Pick<ServiceFunctionProps, 'config' | 'serviceName' | 'description' | 'memorySize' | 'timeout'> {
  /** Which authorizer bundle: TOKEN (REST) or REQUEST (REST/WebSocket). */
  readonly kind: JwtAuthorizerKind;
  /** The user pool that issues the tokens (sets `JWT_ISSUER`). */
  readonly userPool: cognito.IUserPool;
  /** App clients whose tokens are accepted (`JWT_AUDIENCE`, checked against `client_id`/`aud`). */
  readonly clients: readonly cognito.IUserPoolClient[];
  /**
   * Which token type is accepted (`JWT_TOKEN_USE`).
   * @default 'access'
   */
  readonly tokenUse?: JwtTokenUse;
  /**
   * Scopes of which the token must carry at least one (`JWT_REQUIRED_SCOPES`). User-pool access tokens
   * from InitiateAuth carry only `aws.cognito.signin.user.admin`; resource-server scopes come from OAuth
   * flows (client_credentials, authorization code).
   * @default - no scope required
   */
  readonly requiredScopes?: readonly string[];
  /**
   * Cognito groups of which the user must belong to at least one (`JWT_REQUIRED_GROUPS`).
   * @default - no group required
   */
  readonly requiredGroups?: readonly string[];
  /**
   * Query-string parameter that carries the token when there is no `Authorization` header
   * (`JWT_QUERY_PARAMETER`); for WebSocket `$connect`, where browsers cannot set headers. Not for the
   * TOKEN authorizer, which only ever sees the header.
   * @default - the authorizers' own default (`token`)
   */
  readonly queryParameter?: string;
}

function authorizerEnvironment(
  scope: Construct,
  id: string,
  props: JwtAuthorizerFunctionProps,
): Record<string, string> {
  const problems: string[] = [];
  if (props.clients.length === 0) problems.push('clients must name at least one app client');
  if (props.queryParameter !== undefined) {
    if (props.kind === 'token-authorizer') problems.push('a TOKEN authorizer cannot read a query parameter');
    if (!/^[A-Za-z0-9_.-]+$/.test(props.queryParameter)) problems.push('queryParameter is not a plain name');
  }
  for (const value of [...(props.requiredScopes ?? []), ...(props.requiredGroups ?? [])]) {
    if (value === '' || /[\s,]/.test(value)) problems.push(`"${value}" is not a valid scope or group name`);
  }
  if (problems.length > 0) {
    throw new Error(`${scope.node.path}/${id}: invalid JwtAuthorizerFunction props: ${problems.join('; ')}`);
  }

  const environment: Record<string, string> = {
    JWT_ISSUER: cognitoIssuer(scope, props.userPool),
    JWT_AUDIENCE: props.clients.map((client) => client.userPoolClientId).join(','),
    JWT_TOKEN_USE: props.tokenUse ?? 'access',
  };
  if (props.requiredScopes?.length) environment.JWT_REQUIRED_SCOPES = props.requiredScopes.join(',');
  if (props.requiredGroups?.length) environment.JWT_REQUIRED_GROUPS = props.requiredGroups.join(',');
  if (props.queryParameter !== undefined) environment.JWT_QUERY_PARAMETER = props.queryParameter;
  return environment;
}

/**
 * A {@link ServiceFunction} running one of the shared JWT authorizers of `packages/authorizers`,
 * configured for one user pool. It is the one place that knows the authorizers' environment contract
 * (`JWT_ISSUER`, `JWT_AUDIENCE`, `JWT_TOKEN_USE`, `JWT_REQUIRED_SCOPES`, `JWT_REQUIRED_GROUPS`,
 * `JWT_QUERY_PARAMETER`); lists are comma-separated. The issuer is derived from the pool, never typed in.
 * Defaults differ from {@link ServiceFunction} in one place: the timeout is 5 s (fail fast in front of
 * every request).
 *
 * Each service creates its own authorizer function, so each can require its own scopes or groups.
 *
 * @example
 * const authorizer = new JwtAuthorizerFunction(this, 'ConnectAuthorizer', {
 *   kind: 'request-authorizer',
 *   config,
 *   serviceName: 'chat',
 *   userPool: auth.userPool,
 *   clients: [auth.webClient],
 *   queryParameter: 'token',
 * });
 * new WebSocketLambdaAuthorizer('Connect', authorizer.function, {
 *   identitySource: ['route.request.querystring.token'],
 * });
 */
export class JwtAuthorizerFunction extends ServiceFunction {
  /** The token issuer this authorizer trusts. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: JwtAuthorizerFunctionProps) {
    const environment = authorizerEnvironment(scope, id, props);
    super(scope, id, {
      config: props.config,
      serviceName: props.serviceName,
      bundle: bundle('packages/authorizers', props.kind),
      description: props.description ?? `${props.kind} for ${props.serviceName} (${props.config.stageName})`,
      memorySize: props.memorySize ?? 256,
      // Authorizers sit in front of every request: fail fast rather than hold the caller.
      timeout: props.timeout ?? Duration.seconds(5),
      environment,
    });
    this.issuer = environment.JWT_ISSUER as string;
  }
}
