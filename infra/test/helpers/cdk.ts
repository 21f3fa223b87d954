import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { addStages } from '../../lib/app';
import { allBundles, BUNDLE_ENTRY, BUNDLE_ROOT_CONTEXT, type BundleRef } from '../../lib/bundles';
import type { StageConfig, StageName } from '../../lib/config/stage-config';
import { stageConfigs } from '../../lib/config/stages';
import type { ServerlessReferenceStage } from '../../lib/stage';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

/**
 * A temporary directory shaped like the repository's bundle folders (`<workspace>/dist/<handler>/index.mjs`)
 * with stand-in handlers, so tests never depend on `npm run build`. Remove it with {@link removeDir}.
 */
export function makeFakeBundleRoot(refs: readonly BundleRef[] = allBundles()): string {
  const root = mkdtempSync(path.join(tmpdir(), 'infra-bundles-'));
  for (const ref of refs) {
    const dir = path.join(root, ref.workspace, 'dist', ref.handler);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, BUNDLE_ENTRY),
      `export const handler = async () => ({ stub: '${ref.workspace}/${ref.handler}' });\n`,
    );
  }
  return root;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * An App with the same feature flags as `cdk.json` (what `cdk synth` uses), bundles resolved from
 * `bundleRoot`, and its output in a fresh directory inside `bundleRoot` (removed along with it).
 */
export function testApp(bundleRoot: string, context: Record<string, unknown> = {}): App {
  return new App({
    outdir: mkdtempSync(path.join(bundleRoot, 'cdk.out-')),
    context: { ...cdkJson.context, [BUNDLE_ROOT_CONTEXT]: bundleRoot, ...context },
  });
}

/** A bare stack for construct tests. */
export function testStack(bundleRoot: string): Stack {
  return new Stack(testApp(bundleRoot), 'TestStack');
}

/** Both stages exactly as `bin/app.ts` builds them (from the real stage configs unless given). */
export function buildStages(
  bundleRoot: string,
  configs: readonly StageConfig[] = Object.values(stageConfigs),
): ServerlessReferenceStage[] {
  return addStages(testApp(bundleRoot), configs);
}

/** Both stages as `bin/app.ts` builds them, by stage name. */
export function buildStagesByName(bundleRoot: string): Record<StageName, ServerlessReferenceStage> {
  const stages = buildStages(bundleRoot);
  const byName = Object.fromEntries(stages.map((stage) => [stage.config.stageName, stage]));
  const { dev, prod } = byName;
  if (!dev || !prod) throw new Error('expected a dev and a prod stage');
  return { dev, prod };
}

/** Templates of every stack of a stage, by stack id. */
export function stageTemplates(stage: ServerlessReferenceStage): Record<string, Template> {
  return {
    shared: Template.fromStack(stage.shared),
    'rest-api': Template.fromStack(stage.restApi),
    'http-api': Template.fromStack(stage.httpApi),
    'websocket-chat': Template.fromStack(stage.webSocketChat),
  };
}

/** `Resources` of one type in a template, as plain objects. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** A resource's `Properties`, or `{}` for a resource without any. */
export function propertiesOf(resource: CfnResource): Record<string, unknown> {
  return resource.Properties ?? {};
}

/** The logical id of the one resource of a type in a template (fails when there are none or several). */
export function onlyId(template: Template, type: string): string {
  const [id, ...others] = Object.keys(resourcesOfType(template, type));
  expect(others, type).toEqual([]);
  if (!id) throw new Error(`no ${type}`);
  return id;
}

function lambdaFunction(template: Template, functionId: string): CfnResource {
  return resourcesOfType(template, 'AWS::Lambda::Function')[functionId] ?? { Type: '' };
}

/** A function's environment variables. */
export function variablesOf(template: Template, functionId: string): Record<string, unknown> {
  return (
    propertiesOf(lambdaFunction(template, functionId)).Environment as { Variables: Record<string, unknown> }
  ).Variables;
}

/**
 * The bundle a function deploys: reads the staged asset folder its `S3Key` points at in the App's
 * `outdir` (the fake bundles name themselves in their stub handler).
 */
export function bundleOf(template: Template, functionId: string, outdir: string): string {
  const { S3Key: key } = propertiesOf(lambdaFunction(template, functionId)).Code as { S3Key: string };
  const staged = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
  return /stub: '([^']+)'/.exec(readFileSync(staged, 'utf8'))?.[1] ?? `unreadable ${staged}`;
}

/** The folder a stage's App synthesizes into (where its assets are staged). */
export function outdirOf(stage: ServerlessReferenceStage): string {
  return (stage.node.root as App).outdir;
}

/** DynamoDB actions granted to a function's role, with the resources they apply to. */
export function dynamoGrants(
  template: Template,
  functionId: string,
): { actions: string[]; resources: unknown[] } {
  const roleId = (
    propertiesOf(lambdaFunction(template, functionId)).Role as { 'Fn::GetAtt': [string, string] }
  )['Fn::GetAtt'][0];
  const actions: string[] = [];
  const resources: unknown[] = [];
  for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const props = propertiesOf(policy) as {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
    };
    if (!props.Roles.some((role) => role.Ref === roleId)) continue;
    for (const statement of props.PolicyDocument.Statement) {
      const list = ([] as string[]).concat(statement.Action).filter((a) => a.startsWith('dynamodb:'));
      if (list.length === 0) continue;
      actions.push(...list);
      resources.push(...([] as unknown[]).concat(statement.Resource));
    }
  }
  return { actions: [...new Set(actions)].sort(), resources };
}

/**
 * The issuer URL CloudFormation builds for a user pool, `https://cognito-idp.<region>.amazonaws.com/<pool id>`,
 * with `poolId` a value or matcher for the (imported) pool id.
 */
export function cognitoIssuer(poolId: unknown): unknown {
  return {
    'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', poolId]],
  };
}
