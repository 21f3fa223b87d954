/**
 * The benchmark's own CDK app: one HTTP API with two routes, each in front of its own function.
 *
 * - `GET /trivial` → a one-line handler written at bench time (`writeTrivialHandler`), returning exactly what
 *   the health function returns. It measures the local cloud's own cost per request — gateway, routing,
 *   event building, a Lambda worker, response mapping — which is what the ≥ 0.5× bare target is about.
 * - `GET /health` → the notes service's real `health` bundle (middy + Powertools logger, tracer, metrics):
 *   the same path plus what that middleware costs per call. Informational.
 *
 * Why not the dev stage: it throttles at 100 req/s (as configured for API Gateway), so a load test against
 * it measures 429s, not the Lambda path. This app has no stage throttle, and because it is an ordinary CDK
 * app it also shows the local cloud running an assembly that is not this repository's.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { repoRoot } from '../support/local-cloud-process';

/** What GET /health answers (the health handler's `json(200, { status: 'ok', service }, …)`). */
export const HEALTH_BODY = JSON.stringify({ status: 'ok', service: 'notes' });

/** The trivial handler's result: what the health function's middleware produces, built once. */
export const TRIVIAL_RESPONSE = {
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: HEALTH_BODY,
};

/** Writes the trivial handler (`index.mjs`, `index.handler`) into `dir`: the same response as /health, no middleware. */
export async function writeTrivialHandler(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'index.mjs'),
    `const response = ${JSON.stringify(TRIVIAL_RESPONSE)};\nexport const handler = async () => response;\n`,
  );
}

export function synthBenchApp(outdir: string, trivialCodeDir: string): void {
  const bundle = path.join(repoRoot, 'apps', 'http-api', 'dist', 'health');
  const app = new App({ outdir });
  const stack = new Stack(app, 'bench');
  const health = new lambda.Function(stack, 'Health', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(bundle),
    memorySize: 256,
    environment: {
      POWERTOOLS_SERVICE_NAME: 'notes',
      // Without a namespace Powertools metrics logs a WARN line on every call (the notes stack sets one).
      POWERTOOLS_METRICS_NAMESPACE: 'bench',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
  });
  const trivial = new lambda.Function(stack, 'Trivial', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(trivialCodeDir),
    memorySize: 128,
  });
  const api = new apigwv2.HttpApi(stack, 'Api'); // `$default` stage, auto-deployed, no throttle
  api.addRoutes({
    path: '/health',
    methods: [apigwv2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('HealthIntegration', health),
  });
  api.addRoutes({
    path: '/trivial',
    methods: [apigwv2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('TrivialIntegration', trivial),
  });
  // Read back the way the e2e suite reads the notes API: a stack output, rewritten to its local URL.
  new CfnOutput(stack, 'ApiUrl', { value: api.apiEndpoint });
  app.synth();
}
