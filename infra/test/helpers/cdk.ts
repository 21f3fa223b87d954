import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addStages } from '../../lib/app';
import { allBundles, BUNDLE_ENTRY, BUNDLE_ROOT_CONTEXT, type BundleRef } from '../../lib/bundles';
import type { StageConfig } from '../../lib/config/stage-config';
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
