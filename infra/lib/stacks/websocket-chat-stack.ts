import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import { apiServerErrorsAlarm } from '../alarms';
import { bundle } from '../bundles';
import { JwtAuthorizerFunction } from '../constructs/jwt-authorizer-function/jwt-authorizer-function';
import { ServiceFunction } from '../constructs/service-function/service-function';
import type { ServiceStackProps } from './service-stack';

/** Powertools service name of the chat functions. */
export const CHAT_SERVICE = 'chat';

/**
 * Browsers cannot set headers on a WebSocket handshake, so `$connect` takes the access token from this
 * query-string parameter: `wss://…/<stage>?token=<access token>`.
 */
export const CONNECT_TOKEN_PARAMETER = 'token';

/**
 * Chat rooms: a WebSocket API whose `$connect` is guarded by the shared REQUEST authorizer (Cognito access
 * token of the web client, from the query string). Today `$connect` and `$default` both go to the health
 * handler, and `$default` answers the caller (route response). Later: join/leave/send/history routes,
 * connections and messages tables, `@connections` fan-out.
 */
export class WebSocketChatStack extends Stack {
  readonly api: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;
  readonly healthFunction: ServiceFunction;
  readonly connectAuthorizer: JwtAuthorizerFunction;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, auth } = props;

    this.connectAuthorizer = new JwtAuthorizerFunction(this, 'ConnectAuthorizer', {
      kind: 'request-authorizer',
      config,
      serviceName: CHAT_SERVICE,
      userPool: auth.userPool,
      clients: [auth.webClient],
      tokenUse: 'access',
      queryParameter: CONNECT_TOKEN_PARAMETER,
    });

    this.healthFunction = new ServiceFunction(this, 'HealthFunction', {
      config,
      bundle: bundle('apps/websocket-chat', 'health'),
      serviceName: CHAT_SERVICE,
      description: `chat: $connect and $default (${config.stageName})`,
    });

    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      apiName: `${config.stageName}-chat`,
      description: `Chat rooms (${config.stageName})`,
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration('ConnectIntegration', this.healthFunction.function),
        authorizer: new WebSocketLambdaAuthorizer('ConnectAuthorizer', this.connectAuthorizer.function, {
          // A missing parameter is rejected (401) by API Gateway before the authorizer runs.
          identitySource: [`route.request.querystring.${CONNECT_TOKEN_PARAMETER}`],
        }),
      },
      defaultRouteOptions: {
        integration: new WebSocketLambdaIntegration('DefaultIntegration', this.healthFunction.function),
        returnResponse: true,
      },
    });

    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: config.stageName,
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.rateLimit, burstLimit: config.throttle.burstLimit },
    });

    apiServerErrorsAlarm(
      this,
      'ExecutionErrorsAlarm',
      config,
      this.stage.metric('ExecutionError'),
      'chat WebSocket API failed to run integrations',
    );

    new CfnOutput(this, 'WebSocketUrl', { value: this.stage.url });
    new CfnOutput(this, 'CallbackUrl', { value: this.stage.callbackUrl });
  }
}
