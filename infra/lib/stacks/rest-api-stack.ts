import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import { apiServerErrorsAlarm } from '../alarms';
import { bundle } from '../bundles';
import { ServiceFunction } from '../constructs/service-function/service-function';
import { corsEnvironment, type ServiceStackProps } from './service-stack';

/** Powertools service name of the catalog functions. */
export const CATALOG_SERVICE = 'catalog';

/**
 * The product catalog: a regional REST API (v1) whose stage is named after the deployment stage
 * (`/<stage>/health`). Today: `GET /health`. Later: catalog routes, TOKEN authorizer on writes,
 * caching, usage plans and API keys, request models.
 */
export class RestApiStack extends Stack {
  readonly api: apigateway.RestApi;
  readonly healthFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.healthFunction = new ServiceFunction(this, 'HealthFunction', {
      config,
      bundle: bundle('apps/rest-api', 'health'),
      serviceName: CATALOG_SERVICE,
      description: `catalog: GET /health (${config.stageName})`,
      environment: corsEnvironment(config),
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${config.stageName}-catalog`,
      description: `Product catalog (${config.stageName})`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: config.stageName,
        throttlingRateLimit: config.throttle.rateLimit,
        throttlingBurstLimit: config.throttle.burstLimit,
        tracingEnabled: true,
      },
    });

    this.api.root
      .addResource('health')
      .addMethod(
        'GET',
        new apigateway.LambdaIntegration(this.healthFunction.function, { allowTestInvoke: false }),
      );

    apiServerErrorsAlarm(
      this,
      'ServerErrorsAlarm',
      config,
      this.api.deploymentStage.metricServerError(),
      'catalog REST API answered with 5xx',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
  }
}
