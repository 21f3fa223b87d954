import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AssetIndex, readAssetManifest } from './assets';
import { parseEnvironment } from './environment';
import { AssemblyError } from './errors';
import type { StackSource } from './stack-resolver';
import type { Template } from './template';

/** The parts of a cloud assembly `manifest.json` that the loader reads. */
interface CloudAssemblyManifest {
  readonly version?: string;
  readonly artifacts?: { readonly [id: string]: ArtifactManifest };
}

interface ArtifactManifest {
  readonly type: string;
  readonly environment?: string;
  readonly dependencies?: readonly string[];
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
    readonly displayName?: string;
    readonly file?: string;
  };
}

/** A stack of the loaded assembly. */
export interface StackArtifact extends StackSource {
  /** Directory of the manifest that lists the stack (templates' relative paths start here). */
  readonly assemblyDir: string;
  /** Stack names this stack depends on. */
  readonly dependsOn: readonly string[];
}

export interface AssemblySource {
  readonly rootDir: string;
  readonly assemblyDir: string;
  readonly stage: string | undefined;
  readonly stages: readonly string[];
  /** In deployment order. */
  readonly stacks: readonly StackArtifact[];
  readonly assets: AssetIndex;
}

interface StageEntry {
  readonly name: string;
  readonly artifactId: string;
  readonly dir: string;
}

const STACK = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY = 'cdk:cloud-assembly';
const ASSET_MANIFEST = 'cdk:asset-manifest';

/**
 * Reads a cloud assembly: picks the stage (a nested assembly written by a CDK `Stage`), reads its
 * stacks' templates and asset manifests, and orders the stacks by their dependencies.
 *
 * Without `stage`: the top-level stacks; when there are none and exactly one stage exists, that
 * stage. A stage is named by its display name (`dev`, `outer/inner`), artifact id or directory.
 */
export async function readAssembly(dir: string, stage?: string): Promise<AssemblySource> {
  const rootDir = resolve(dir);
  const root = await readManifest(rootDir);
  const stages = await listStages(rootDir, root);
  const stageNames = stages.map((entry) => entry.name);

  let chosen: StageEntry | undefined;
  if (stage !== undefined) {
    chosen = stages.find(
      (entry) => entry.name === stage || entry.artifactId === stage || basename(entry.dir) === stage,
    );
    if (!chosen) {
      throw new AssemblyError(
        'UNKNOWN_STAGE',
        stages.length === 0
          ? `Stage "${stage}" not found: the assembly in ${rootDir} has no stages (load it without a stage).`
          : `Stage "${stage}" not found in ${rootDir}. Available stages: ${stageNames.join(', ')}.`,
      );
    }
  } else if (!hasStacks(root) && stages.length > 0) {
    if (stages.length > 1) {
      throw new AssemblyError(
        'UNKNOWN_STAGE',
        `The assembly in ${rootDir} has several stages; choose one of: ${stageNames.join(', ')}.`,
      );
    }
    chosen = stages[0];
  }

  const assemblyDir = chosen?.dir ?? rootDir;
  const manifest = chosen ? await readManifest(assemblyDir) : root;
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const stacks: StackArtifact[] = [];
  const assets = new AssetIndex();
  for (const [, artifact] of artifacts) {
    if (artifact.type === ASSET_MANIFEST && artifact.properties?.file) {
      const file = join(assemblyDir, artifact.properties.file);
      assets.add(await readAssetManifest(file));
    }
  }
  const stackNameById = new Map<string, string>();
  for (const [artifactId, artifact] of artifacts) {
    if (artifact.type === STACK) stackNameById.set(artifactId, artifact.properties?.stackName ?? artifactId);
  }
  for (const [artifactId, artifact] of artifacts) {
    if (artifact.type !== STACK) continue;
    const templateFile = join(
      assemblyDir,
      artifact.properties?.templateFile ?? `${artifactId}.template.json`,
    );
    stacks.push({
      artifactId,
      stackName: stackNameById.get(artifactId) ?? artifactId,
      displayName: artifact.displayName ?? artifactId,
      templateFile,
      template: await readTemplate(templateFile),
      environment: parseEnvironment(artifact.environment),
      assemblyDir,
      dependsOn: (artifact.dependencies ?? []).flatMap((id) => {
        const name = stackNameById.get(id);
        return name === undefined ? [] : [name];
      }),
    });
  }
  if (stacks.length === 0) {
    throw new AssemblyError(
      'NO_STACKS',
      stageNames.length > 0 && !chosen
        ? `The assembly in ${rootDir} has no top-level stacks; choose a stage: ${stageNames.join(', ')}.`
        : `The assembly in ${assemblyDir} has no CloudFormation stacks.`,
    );
  }
  return {
    rootDir,
    assemblyDir,
    stage: chosen?.name,
    stages: stageNames,
    stacks: deploymentOrder(stacks),
    assets,
  };
}

/** Stacks ordered so that each comes after the stacks it depends on (manifest order otherwise). */
export function deploymentOrder<T extends { stackName: string; dependsOn: readonly string[] }>(
  stacks: readonly T[],
): T[] {
  const byName = new Map(stacks.map((stack) => [stack.stackName, stack]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const visit = (stack: T): void => {
    if (done.has(stack.stackName) || visiting.has(stack.stackName)) return;
    visiting.add(stack.stackName);
    for (const dependency of stack.dependsOn) {
      const target = byName.get(dependency);
      if (target) visit(target);
    }
    visiting.delete(stack.stackName);
    done.add(stack.stackName);
    out.push(stack);
  };
  for (const stack of stacks) visit(stack);
  return out;
}

function hasStacks(manifest: CloudAssemblyManifest): boolean {
  return Object.values(manifest.artifacts ?? {}).some((artifact) => artifact.type === STACK);
}

async function listStages(dir: string, manifest: CloudAssemblyManifest): Promise<StageEntry[]> {
  const out: StageEntry[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== NESTED_ASSEMBLY) continue;
    const nestedDir = join(dir, artifact.properties?.directoryName ?? artifactId);
    out.push({
      name: artifact.properties?.displayName ?? artifact.displayName ?? artifactId,
      artifactId,
      dir: nestedDir,
    });
    const nested = await readManifest(nestedDir).catch(() => undefined);
    if (nested) out.push(...(await listStages(nestedDir, nested)));
  }
  return out;
}

async function readManifest(dir: string): Promise<CloudAssemblyManifest> {
  const file = join(dir, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no manifest.json' : 'unreadable manifest.json';
    throw new AssemblyError(
      'NOT_AN_ASSEMBLY',
      `${dir} is not a cloud assembly (${reason}); run \`cdk synth\` and pass its output directory (cdk.out).`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || !('artifacts' in parsed || 'version' in parsed)) {
    throw new AssemblyError('NOT_AN_ASSEMBLY', `${file} is not a cloud assembly manifest.`);
  }
  return parsed as CloudAssemblyManifest;
}

async function readTemplate(file: string): Promise<Template> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Template;
  } catch (error) {
    throw new AssemblyError(
      'INVALID_ARTIFACT',
      `Cannot read the template ${file} (${dirname(file)}): ${(error as Error).message}`,
    );
  }
}
