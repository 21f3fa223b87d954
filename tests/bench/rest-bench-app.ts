/**
 * The REST benchmark's own CDK app: one REST API (v1) stage `bench` with a cache cluster and three GET
 * methods in front of the same one-line function (written at bench time, like bench-app.ts's trivial one):
 *
 * - `GET /cached`: caching on (TTL 300 s) — after the first request every answer is a cache hit, so this
 *   measures the gateway alone (routing, stage, cache lookup, response) with no Lambda worker involved;
 * - `GET /uncached`: the same without caching — the gateway plus a worker round trip per request;
 * - `GET /authorized`: `/uncached` behind a TOKEN authorizer whose result is cached (TTL 300 s) — its
 *   difference to `/uncached` is the cost of an authorizer cache hit (key lookup, policy evaluation
 *   against the method ARN, context into the event).
 *
 * No stage or method throttle and no usage plan: a load test against the catalog's dev stage would measure
 * its 100 req/s throttle (429s), not the cache.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';

export const REST_BENCH_STACK = 'restbench';
export const REST_BENCH_STAGE = 'bench';

/** What every route answers (and the bare server too): the catalog health body. */
export const BENCH_BODY = JSON.stringify({ status: 'ok', service: 'catalog' });

/** The authorizer accepts any `Bearer …` token: the benchmark measures its cache, not JWT checks. */
export const BENCH_AUTHORIZATION = 'Bearer bench-token';

const HANDLER_SOURCE = `const response = ${JSON.stringify({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: BENCH_BODY,
})};
export const handler = async () => response;
`;

// Allow on the whole stage, so the one cached result covers every method (as the catalog's authorizer does).
const AUTHORIZER_SOURCE = `export const handler = async (event) => ({
  principalId: 'bench',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }],
  },
  context: { tier: 'bench' },
});
`;

/** Writes the two handlers (`<dir>/handler/index.mjs`, `<dir>/authorizer/index.mjs`). */
export async function writeRestBenchHandlers(dir: string): Promise<void> {
  for (const [name, source] of [
    ['handler', HANDLER_SOURCE],
    ['authorizer', AUTHORIZER_SOURCE],
  ] as const) {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, 'index.mjs'), source);
  }
}

export function synthRestBenchApp(outdir: string, codeDir: string): void {
  const app = new App({ outdir });
  const stack = new Stack(app, REST_BENCH_STACK);
  const fn = (id: string, dir: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(codeDir, dir)),
      memorySize: 128,
    });
  const handler = fn('Handler', 'handler');
  const authorizer = new apigateway.TokenAuthorizer(stack, 'Authorizer', {
    handler: fn('AuthorizerFunction', 'authorizer'),
    resultsCacheTtl: Duration.minutes(5),
  });

  const api = new apigateway.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    deployOptions: {
      stageName: REST_BENCH_STAGE,
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      methodOptions: { '/cached/GET': { cachingEnabled: true, cacheTtl: Duration.minutes(5) } },
    },
  });
  const integration = new apigateway.LambdaIntegration(handler, { allowTestInvoke: false });
  api.root.addResource('cached').addMethod('GET', integration);
  api.root.addResource('uncached').addMethod('GET', integration);
  api.root.addResource('authorized').addMethod('GET', integration, {
    authorizer,
    authorizationType: apigateway.AuthorizationType.CUSTOM,
  });
  new CfnOutput(stack, 'ApiUrl', { value: api.url });
  app.synth();
}
