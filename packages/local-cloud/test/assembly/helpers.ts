// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackEnvironment } from '../../src/assembly/environment';
import { GapSink } from '../../src/assembly/gaps';
import { resolveValue } from '../../src/assembly/resolve/resolve';
import type { ResolveScope } from '../../src/assembly/resolve/scope';
import { type Json, type NoValue, placeholder } from '../../src/assembly/resolve/value';
import { AssemblyResolver, type ResolverOptions, type StackSource } from '../../src/assembly/stack-resolver';
import type { Template } from '../../src/assembly/template';

export const ENV: StackEnvironment = {
  stackName: 'dev-notes',
  stackId:
    'arn:aws:cloudformation:eu-west-1:000000000000:stack/dev-notes/00000000-0000-4000-8000-000000000000',
  accountId: '000000000000',
  region: 'eu-west-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

export interface FakeScopeOptions {
  refs?: Record<string, Json>;
  attributes?: Record<string, Json>;
  conditions?: Record<string, boolean>;
  mappings?: Record<string, Record<string, Record<string, Json>>>;
  exports?: Record<string, Json>;
}

/** A scope backed by plain tables, for unit tests of single intrinsic functions. */
export function fakeScope(options: FakeScopeOptions = {}): { scope: ResolveScope; unresolved: string[] } {
  const unresolved: string[] = [];
  const scope: ResolveScope = {
    env: ENV,
    ref: (name) => options.refs?.[name],
    getAtt: (logicalId, attribute) => {
      const value = options.attributes?.[`${logicalId}.${attribute}`];
      return value === undefined ? scope.unresolved(`no ${logicalId}.${attribute}`) : value;
    },
    condition: (name) => options.conditions?.[name] ?? false,
    mapping: (map, top, second) => options.mappings?.[map]?.[top]?.[second],
    importValue: (name) => options.exports?.[name] ?? scope.unresolved(`no export ${name}`),
    stackOutput: (stack, output) => options.exports?.[`${stack}.${output}`] ?? scope.unresolved('no output'),
    unresolved: (message) => {
      unresolved.push(message);
      return placeholder(message);
    },
  };
  return { scope, unresolved };
}

/** Resolves `value` in a fake scope; returns the value and the unresolved messages. */
export function resolveFake(
  value: unknown,
  options: FakeScopeOptions = {},
): { value: Json | NoValue; unresolved: string[] } {
  const { scope, unresolved } = fakeScope(options);
  return { value: resolveValue(value, scope), unresolved };
}

export const DEFAULT_OPTIONS: ResolverOptions = {
  accountId: '000000000000',
  region: 'us-east-1',
  idSeed: undefined,
  parameters: {},
  ssmParameters: {},
  importValues: {},
};

/** Real resolvers over in-memory templates (no files). */
export function resolvers(
  stacks: { stackName: string; template: Template; region?: string; accountId?: string }[],
  options: Partial<ResolverOptions> = {},
): { assembly: AssemblyResolver; gaps: GapSink } {
  const gaps = new GapSink();
  const sources: StackSource[] = stacks.map((stack) => ({
    artifactId: stack.stackName.replaceAll('-', ''),
    stackName: stack.stackName,
    displayName: stack.stackName,
    templateFile: `/nowhere/${stack.stackName}.template.json`,
    template: stack.template,
    environment: {
      ...(stack.region === undefined ? {} : { region: stack.region }),
      ...(stack.accountId === undefined ? {} : { accountId: stack.accountId }),
    },
  }));
  return { assembly: new AssemblyResolver(sources, { ...DEFAULT_OPTIONS, ...options }, gaps), gaps };
}

const created: string[] = [];

/** A fresh temporary directory; `removeTempDirs()` (in `afterAll`) deletes them. */
export function tempDir(prefix = 'assembly-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface FixtureStack {
  id: string;
  stackName?: string;
  template: Template;
  dependencies?: string[];
  environment?: string;
}

/** Writes a minimal cloud assembly (manifest + templates) into `dir`; nested stages as subdirectories. */
export function writeAssembly(
  dir: string,
  content: {
    stacks?: FixtureStack[];
    stages?: { name: string; content: Parameters<typeof writeAssembly>[1] }[];
    assetManifests?: {
      id: string;
      files: Record<string, { path: string; packaging: 'zip' | 'file'; objectKey: string }>;
    }[];
  },
): string {
  mkdirSync(dir, { recursive: true });
  const artifacts: Record<string, unknown> = {};
  for (const manifest of content.assetManifests ?? []) {
    const file = `${manifest.id}.assets.json`;
    const files = Object.fromEntries(
      Object.entries(manifest.files).map(([hash, asset]) => [
        hash,
        {
          source: { path: asset.path, packaging: asset.packaging },
          destinations: {
            d: { bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-us-east-1', objectKey: asset.objectKey },
          },
        },
      ]),
    );
    writeFileSync(join(dir, file), JSON.stringify({ version: '55.0.0', files }));
    artifacts[manifest.id] = { type: 'cdk:asset-manifest', properties: { file } };
  }
  for (const stack of content.stacks ?? []) {
    const templateFile = `${stack.id}.template.json`;
    writeFileSync(join(dir, templateFile), JSON.stringify(stack.template));
    artifacts[stack.id] = {
      type: 'aws:cloudformation:stack',
      environment: stack.environment ?? 'aws://unknown-account/unknown-region',
      properties: { templateFile, ...(stack.stackName ? { stackName: stack.stackName } : {}) },
      ...(stack.dependencies ? { dependencies: stack.dependencies } : {}),
      displayName: stack.id,
    };
  }
  for (const stage of content.stages ?? []) {
    const directoryName = `assembly-${stage.name.replaceAll('/', '-')}`;
    writeAssembly(join(dir, directoryName), stage.content);
    artifacts[directoryName] = {
      type: 'cdk:cloud-assembly',
      properties: { directoryName, displayName: stage.name },
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return dir;
}
