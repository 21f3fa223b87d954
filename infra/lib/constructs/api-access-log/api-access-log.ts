import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config';

/** Fields every access-log line carries, whatever the protocol (`$context` variables of API Gateway). */
const commonFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  status: '$context.status',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integration.error',
  authorizerError: '$context.authorizer.error',
  errorMessage: '$context.error.message',
} as const;

/** JSON access-log formats, one per API kind. Each value is one line of JSON per request. */
export const ACCESS_LOG_FORMATS = {
  http: {
    ...commonFields,
    routeKey: '$context.routeKey',
    httpMethod: '$context.httpMethod',
    path: '$context.path',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    userAgent: '$context.identity.userAgent',
  },
  rest: {
    ...commonFields,
    httpMethod: '$context.httpMethod',
    resourcePath: '$context.resourcePath',
    path: '$context.path',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    userAgent: '$context.identity.userAgent',
    apiKeyId: '$context.identity.apiKeyId',
    // Whether the authorizer and the function ran (`-` when not: a cached authorizer result, a cache hit).
    authorizerLatency: '$context.authorizer.latency',
    integrationStatus: '$context.integration.status',
  },
  websocket: {
    ...commonFields,
    routeKey: '$context.routeKey',
    eventType: '$context.eventType',
    connectionId: '$context.connectionId',
    messageId: '$context.messageId',
  },
} as const;

export interface ApiAccessLogProps {
  /** The stage's config: log retention and removal policy. */
  readonly config: StageConfig;
}

/**
 * An API Gateway access log: a log group with the stage's retention and removal policy (no physical name)
 * plus a JSON line format per API kind, so access logs look the same across REST, HTTP and WebSocket APIs
 * and the local cloud can print the very format the template declares.
 *
 * Note: REST and WebSocket APIs can only write logs once the account's API Gateway CloudWatch role is set
 * (`AWS::ApiGateway::Account`); HTTP APIs need no role.
 *
 * @example
 * const accessLog = new ApiAccessLog(this, 'AccessLog', { config });
 * api.addStage('DefaultStage', { stageName: '$default', autoDeploy: true, accessLogSettings: accessLog.forHttpApi() });
 */
export class ApiAccessLog extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiAccessLogProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.config.logging.retention,
      removalPolicy: props.config.removalPolicy,
    });
  }

  /** `accessLogSettings` for an HTTP API stage. */
  forHttpApi(): apigwv2.IAccessLogSettings {
    return this.v2Settings(ACCESS_LOG_FORMATS.http);
  }

  /** `accessLogSettings` for a WebSocket API stage (needs the account's CloudWatch role). */
  forWebSocketApi(): apigwv2.IAccessLogSettings {
    return this.v2Settings(ACCESS_LOG_FORMATS.websocket);
  }

  /** `accessLogDestination` + `accessLogFormat` for a REST API's `deployOptions` (needs the account's CloudWatch role). */
  forRestApi(): Pick<apigateway.StageOptions, 'accessLogDestination' | 'accessLogFormat'> {
    return {
      accessLogDestination: new apigateway.LogGroupLogDestination(this.logGroup),
      accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMATS.rest)),
    };
  }

  private v2Settings(fields: Readonly<Record<string, string>>): apigwv2.IAccessLogSettings {
    return {
      destination: new apigwv2.LogGroupLogDestination(this.logGroup),
      format: apigateway.AccessLogFormat.custom(JSON.stringify(fields)),
    };
  }
}
