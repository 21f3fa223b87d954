/**
 * Starts the local cloud ONCE for the whole e2e run (free ports, its own endpoints file), or reads a
 * deployed stage's outputs when E2E_TARGET=aws. The target is handed to test files with vitest's
 * provide/inject, so no test starts a server of its own.
 *
 *   E2E_TARGET=aws E2E_OUTPUTS_FILE=cdk-outputs.json AWS_REGION=eu-west-1 npm test -w @serverless-reference/tests
 */
import { readFile } from 'node:fs/promises';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { type LocalCloudProcess, startLocalCloudProcess } from './local-cloud-process';
import type { Target } from './target';

declare module 'vitest' {
  export interface ProvidedContext {
    target: Target;
  }
}

let localCloud: LocalCloudProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('target', process.env.E2E_TARGET === 'aws' ? await deployedTarget() : await localTarget());
  return async () => {
    await localCloud?.stop();
  };
}

async function deployedTarget(): Promise<Target> {
  const file = process.env.E2E_OUTPUTS_FILE;
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!file || !region) {
    throw new Error(
      'E2E_TARGET=aws needs E2E_OUTPUTS_FILE (from `cdk deploy --outputs-file`) and AWS_REGION',
    );
  }
  const outputs = JSON.parse(await readFile(file, 'utf8')) as Target['outputs'];
  return { kind: 'aws', region, outputs, cognitoEndpoint: undefined };
}

async function localTarget(): Promise<Target> {
  // Function and access logs are noisy; E2E_VERBOSE=1 shows them live.
  localCloud = await startLocalCloudProcess({ stage: 'dev', echo: Boolean(process.env.E2E_VERBOSE) });
  const { region, outputs, cognito, apis = [], apiKeys = [], apiGateway } = localCloud.endpoints;
  return {
    kind: 'local',
    region,
    outputs,
    cognitoEndpoint: cognito.endpoint,
    local: {
      apiKeys: apiKeys.map(({ id, value, enabled }) => ({ id, value, enabled })),
      restStages: apis
        .filter((api) => api.kind === 'rest')
        .flatMap((api) => api.stages.map((stage) => ({ stack: api.stack, ...stage }))),
      outputFile: localCloud.outputFile,
      apiGatewayEndpoint: apiGateway.endpoint,
    },
  };
}
