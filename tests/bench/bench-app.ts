/**
 * The benchmark's own CDK app: one HTTP API route in front of the notes service's real `health` bundle.
 *
 * Why not the dev stage: it throttles at 100 req/s (as configured for API Gateway), so a load test
 * against it measures 429s, not the Lambda path. This app has no stage throttle, and because it is an
 * ordinary CDK app it also shows the local cloud running an assembly that is not this repository's.
 */
import path from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { repoRoot } from '../support/local-cloud-process';

export function synthBenchApp(outdir: string): void {
  const bundle = path.join(repoRoot, 'apps', 'http-api', 'dist', 'health');
  const app = new App({ outdir });
  const stack = new Stack(app, 'bench');
  const health = new lambda.Function(stack, 'Health', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(bundle),
    memorySize: 256,
    environment: { POWERTOOLS_SERVICE_NAME: 'notes', POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  const api = new apigwv2.HttpApi(stack, 'Api'); // `$default` stage, auto-deployed, no throttle
  api.addRoutes({
    path: '/health',
    methods: [apigwv2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('HealthIntegration', health),
  });
  // Read back the way the e2e suite reads the notes API: a stack output, rewritten to its local URL.
  new CfnOutput(stack, 'ApiUrl', { value: api.apiEndpoint });
  app.synth();
}
