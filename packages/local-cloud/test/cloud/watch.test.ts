/**
 * Watch mode on a synthesized app inside a project folder: a rebuild of a function's bundle (the folder
 * its asset was copied from) reloads it, and so does a new synth that changes its configuration. What
 * the running gateways were built from (here a REST API's usage plan) is not rebuilt: the change is
 * reported as needing a restart.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/cloud';

let project: string;
let bundleDir: string;
let outdir: string;
let cloud: LocalCloud;
const lines: string[] = [];

function handler(version: string): string {
  return `export const handler = async () => ({ code: '${version}', env: process.env.FLAVOUR });\n`;
}

function synth(flavour: string, planRate = 10): void {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'watched');
  const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'watched-api' });
  api.root.addMethod(
    'GET',
    new apigateway.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: [{ statusCode: '200' }],
    }),
    { methodResponses: [{ statusCode: '200' }] },
  );
  api.addUsagePlan('Plan', {
    throttle: { rateLimit: planRate, burstLimit: 2 * planRate },
    apiStages: [{ api, stage: api.deploymentStage }],
  });
  new lambda.Function(stack, 'Fn', {
    functionName: 'watched-fn',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(bundleDir),
    environment: { FLAVOUR: flavour },
  });
  app.synth();
}

async function invokeUntil(expected: unknown, timeoutMs = 8_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const result = await cloud.lambda.invoke('watched-fn', {});
    last = result.ok ? result.result : result;
    if (JSON.stringify(last) === JSON.stringify(expected)) return last;
    await sleep(100);
  }
  return last;
}

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'local-cloud-watch-'));
  await mkdir(path.join(project, '.git'));
  bundleDir = path.join(project, 'app', 'dist', 'fn');
  await mkdir(bundleDir, { recursive: true });
  await writeFile(path.join(bundleDir, 'index.mjs'), handler('v1'));
  outdir = path.join(project, 'infra', 'cdk.out');
  synth('plain');
  cloud = await startLocalCloud({
    assemblyDir: outdir,
    port: 0,
    watch: true,
    log: (line) => lines.push(line),
    functionLogs: () => undefined,
  });
}, 30_000);

afterAll(async () => {
  await cloud?.close();
  await rm(project, { recursive: true, force: true });
});

describe('watch', () => {
  it("runs a function from its asset's source folder, found by content", async () => {
    expect(lines.some((line) => line.startsWith('watch: 1 code asset found in the project'))).toBe(true);
    expect(await invokeUntil({ code: 'v1', env: 'plain' })).toEqual({ code: 'v1', env: 'plain' });
  });

  it('reloads the function when its bundle is rebuilt, without a synth or a restart', async () => {
    await writeFile(path.join(bundleDir, 'index.mjs'), handler('v2'));
    expect(await invokeUntil({ code: 'v2', env: 'plain' })).toEqual({ code: 'v2', env: 'plain' });
  });

  it('reloads a function whose configuration a new synth changed', async () => {
    synth('spicy');
    expect(await invokeUntil({ code: 'v2', env: 'spicy' })).toEqual({ code: 'v2', env: 'spicy' });
    expect(lines.some((line) => line.startsWith('new synth: reloaded watched-fn'))).toBe(true);
  });

  it('asks for a restart when a new synth changes a REST API, here its usage plan', async () => {
    const before = lines.length;
    synth('spicy', 20);
    const restart =
      'new synth: REST APIs, usage plans or API keys changed — restart the local cloud to apply';
    const deadline = Date.now() + 8_000;
    while (!lines.slice(before).includes(restart) && Date.now() < deadline) await sleep(100);
    expect(lines.slice(before)).toContain(restart);
    expect(lines.slice(before).some((line) => line.startsWith('new synth: no function changed'))).toBe(true);
  });
});
