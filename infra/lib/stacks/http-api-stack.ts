import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import { apiServerErrorsAlarm } from '../alarms';
import { bundle } from '../bundles';
import { ApiAccessLog } from '../constructs/api-access-log/api-access-log';
import { ServiceFunction } from '../constructs/service-function/service-function';
import type { ServiceStackProps } from './service-stack';

/** Powertools service name of the notes functions. */
export const NOTES_SERVICE = 'notes';

/**
 * Personal notes: an HTTP API (v2) on the `$default` stage with JSON access logs and gateway-managed
 * CORS. Today: `GET /health`.
 * Later: the Cognito JWT authorizer (user pool + clients from `props.auth`), notes routes, a DynamoDB
 * table partitioned by `sub`, and an export route that requires the `notes/export` scope.
 */
export class HttpApiStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly healthFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.healthFunction = new ServiceFunction(this, 'HealthFunction', {
      config,
      bundle: bundle('apps/http-api', 'health'),
      serviceName: NOTES_SERVICE,
      description: `notes: GET /health (${config.stageName})`,
    });

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `${config.stageName}-notes`,
      description: `Personal notes (${config.stageName})`,
      createDefaultStage: false,
      // HTTP APIs answer CORS (preflight and response headers) at the gateway; functions send none.
      corsPreflight: {
        allowOrigins: [...config.corsAllowedOrigins],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.POST,
          apigwv2.CorsHttpMethod.PUT,
          apigwv2.CorsHttpMethod.PATCH,
          apigwv2.CorsHttpMethod.DELETE,
        ],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLog = new ApiAccessLog(this, 'AccessLog', { config });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.rateLimit, burstLimit: config.throttle.burstLimit },
      accessLogSettings: accessLog.forHttpApi(),
    });

    this.api.addRoutes({
      path: '/health',
      methods: [apigwv2.HttpMethod.GET],
      integration: new HttpLambdaIntegration('HealthIntegration', this.healthFunction.function),
    });

    apiServerErrorsAlarm(
      this,
      'ServerErrorsAlarm',
      config,
      this.stage.metricServerError(),
      'notes HTTP API answered with 5xx',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
  }
}
