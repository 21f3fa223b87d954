/**
 * What the HTTP API gateway runs: plain data, one object per `AWS::ApiGatewayV2::Api` (protocol HTTP).
 * The assembly reader maps the template onto these types; the gateway never reads CloudFormation.
 * Names follow the ApiGatewayV2 resource properties they come from.
 */

/** `AWS::ApiGatewayV2::Api` with its routes, integrations, authorizers and stages. */
export interface HttpApiConfig {
  /** `Ref` of the API, e.g. `a1b2c3d4e5`: in hostnames, ARNs and `requestContext.apiId`. */
  readonly apiId: string;
  readonly name?: string;
  /** For `domainName` and ARNs. Default `us-east-1`. */
  readonly region?: string;
  /** For `requestContext.accountId` and ARNs. Default `123456789012`. */
  readonly accountId?: string;
  readonly routes: readonly HttpRouteConfig[];
  readonly authorizers?: readonly HttpAuthorizerConfig[];
  /** At least one; `$default` is served at the root, others under `/{stageName}`. */
  readonly stages: readonly HttpStageConfig[];
  /** `CorsConfiguration`; when set, the gateway answers preflights and owns the CORS response headers. */
  readonly cors?: CorsConfig;
}

/** `AWS::ApiGatewayV2::Route` joined with its `AWS::ApiGatewayV2::Integration`. */
export interface HttpRouteConfig {
  /** `GET /notes/{id}`, `ANY /{proxy+}`, `$default`. */
  readonly routeKey: string;
  readonly integration: LambdaProxyIntegration;
  /** Default `{ type: 'NONE' }`. */
  readonly authorization?: RouteAuthorization;
}

export interface LambdaProxyIntegration {
  readonly type: 'AWS_PROXY';
  /** Name the Lambda invoker knows the function by. */
  readonly functionName: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  /** `TimeoutInMillis`: 50–30000, default 30000 (HTTP API's maximum). */
  readonly timeoutMs?: number;
}

export type RouteAuthorization =
  | { readonly type: 'NONE' }
  | {
      readonly type: 'JWT';
      readonly authorizerId: string;
      /** `AuthorizationScopes`: the token needs at least one of them. */
      readonly scopes?: readonly string[];
    }
  | { readonly type: 'CUSTOM'; readonly authorizerId: string };

export type HttpAuthorizerConfig = JwtAuthorizerConfig | LambdaAuthorizerConfig;

/** `AuthorizerType: JWT`. */
export interface JwtAuthorizerConfig {
  readonly id: string;
  readonly name?: string;
  readonly type: 'JWT';
  /** `JwtConfiguration.Issuer`, an http(s) URL. */
  readonly issuer: string;
  /** `JwtConfiguration.Audience`. */
  readonly audience: readonly string[];
  /** One selection expression, usually `$request.header.Authorization`. */
  readonly identitySource: readonly string[];
}

/** `AuthorizerType: REQUEST` (a Lambda authorizer). */
export interface LambdaAuthorizerConfig {
  readonly id: string;
  readonly name?: string;
  readonly type: 'REQUEST';
  readonly functionName: string;
  /** `AuthorizerPayloadFormatVersion`. */
  readonly payloadFormatVersion: '1.0' | '2.0';
  /** `EnableSimpleResponses` (2.0 only). Default false: the function returns an IAM policy. */
  readonly enableSimpleResponses?: boolean;
  /** `AuthorizerResultTtlInSeconds`, 0–3600. Default 0 (no caching); CDK's default is 300. */
  readonly resultTtlSeconds?: number;
  /**
   * `$request.header.X`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`. A request missing
   * any of them gets 401 without invoking the authorizer.
   */
  readonly identitySource?: readonly string[];
  /** How long the gateway waits for the authorizer. Default 10000 (unverified for AWS). */
  readonly timeoutMs?: number;
}

/** `AWS::ApiGatewayV2::Stage`. */
export interface HttpStageConfig {
  /** `$default` or a name that becomes the first path segment. */
  readonly name: string;
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** `DefaultRouteSettings` throttling. */
  readonly throttle?: ThrottleSettings;
  /** `RouteSettings`, keyed by route key. Overrides `throttle` per route. */
  readonly routeSettings?: Readonly<Record<string, ThrottleSettings>>;
  /**
   * `AccessLogSettings`: each request's access-log line in `format` (`$context` variables; must name
   * `$context.requestId` or `$context.extendedRequestId`, as AWS requires). Without it the gateway writes
   * its own JSON line. The destination is not used: lines go to the gateway's `accessLog` callback.
   */
  readonly accessLogSettings?: { readonly format: string; readonly destinationArn?: string };
}

/**
 * `ThrottlingRateLimit` / `ThrottlingBurstLimit`. A route with neither set (on the route or the stage) is
 * not throttled locally; when only one is set the other takes the account default (10000 rps / 5000).
 */
export interface ThrottleSettings {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/** `CorsConfiguration`. */
export interface CorsConfig {
  readonly allowOrigins?: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  /** Seconds. */
  readonly maxAge?: number;
  readonly allowCredentials?: boolean;
}
