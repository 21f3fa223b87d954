import { dirname } from 'node:path';
import { buildUserPools } from './build/cognito';
import type { BuildContext, ResourceRecord } from './build/context';
import { buildTables } from './build/dynamodb';
import { collectEndpoints } from './build/endpoints';
import { buildHttpApis } from './build/http-api';
import { buildLambda } from './build/lambda';
import { buildRestApis } from './build/rest-api';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './environment';
import { GapSink } from './gaps';
import { readAssembly, type StackArtifact } from './manifest';
import type { AssemblyModel, Gap, OutputModel, ResolvedValue, ResourceModel, StackModel } from './model';
import { scalarToString } from './resolve/value';
import { AssemblyResolver, type StackResolver } from './stack-resolver';
import { supportLevel, unsupportedProperties } from './support';

export interface LoadAssemblyOptions {
  /** The cloud assembly directory (`cdk.out`), or a nested per-stage assembly directory. */
  readonly dir: string;
  /**
   * Stage to load: a CDK `Stage`'s name (`dev`, `outer/inner`), artifact id or directory. Without it:
   * the top-level stacks, or the only stage when there are no top-level stacks.
   */
  readonly stage?: string;
  /** Region for environment-agnostic stacks (default `us-east-1`); stacks with an explicit env keep theirs. */
  readonly region?: string;
  /** Account id for environment-agnostic stacks (default `000000000000`). */
  readonly accountId?: string;
  /** Mixed into every generated name and id: a different seed gives a different, stable set. */
  readonly idSeed?: string;
  /** Template parameter values, by `Name` or `stackName:Name`. */
  readonly parameters?: { readonly [key: string]: string };
  /** Local values for `AWS::SSM::Parameter::Value<…>` parameters, by SSM parameter name. */
  readonly ssmParameters?: { readonly [name: string]: string };
  /** Values for `Fn::ImportValue` of exports that no stack of the assembly provides. */
  readonly importValues?: { readonly [exportName: string]: string };
}

/**
 * Loads a synthesized CDK app: reads the assembly, resolves every intrinsic function and builds
 * the typed model, with the list of what the local cloud does not implement (`gaps`).
 * Throws `AssemblyError` when the directory is not an assembly, the stage is unknown, or an asset
 * is missing.
 */
export async function loadAssembly(options: LoadAssemblyOptions): Promise<AssemblyModel> {
  const source = await readAssembly(options.dir, options.stage);
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const gaps = new GapSink();
  const resolver = new AssemblyResolver(
    source.stacks,
    {
      region,
      accountId,
      idSeed: options.idSeed,
      parameters: options.parameters ?? {},
      ssmParameters: options.ssmParameters ?? {},
      importValues: options.importValues ?? {},
    },
    gaps,
  );

  const records: ResourceRecord[] = [];
  for (const stack of resolver.stacks) records.push(...readResources(stack, gaps));
  const ctx: BuildContext = { records, assets: source.assets, gaps, wholeResourceGaps: new Set() };

  const lambda = buildLambda(ctx);
  const tables = buildTables(ctx);
  const userPools = buildUserPools(ctx, lambda.index);
  const httpApis = buildHttpApis(ctx, lambda.index);
  const rest = buildRestApis(ctx, lambda.index);
  reportUnsupportedProperties(ctx);
  const stacks = source.stacks.map((artifact, i) =>
    stackModel(artifact, resolver.stacks[i] as StackResolver),
  );

  return {
    rootDir: source.rootDir,
    assemblyDir: source.assemblyDir,
    stage: source.stage,
    stages: source.stages,
    accountId,
    region,
    stacks,
    functions: lambda.functions,
    functionAliases: lambda.aliases,
    layers: lambda.layers,
    tables,
    userPools,
    httpApis,
    restApis: rest.restApis,
    usagePlans: rest.usagePlans,
    apiKeys: rest.apiKeys,
    resources: records.map(resourceModel),
    endpoints: collectEndpoints(userPools, httpApis, records),
    gaps: inTemplateOrder(gaps.list(), resolver),
  };
}

/** The active resources of a stack, with type and property gaps reported. */
function readResources(stack: StackResolver, gaps: GapSink): ResourceRecord[] {
  const stackName = stack.env.stackName;
  const transforms = ([] as unknown[]).concat(stack.template.Transform ?? []);
  for (const transform of transforms) {
    if (transform === 'AWS::LanguageExtensions') continue;
    gaps.add({
      kind: 'unsupported-value',
      stack: stackName,
      logicalId: 'Transform',
      type: 'AWS::CloudFormation::Template',
      message: `template transform ${typeof transform === 'string' ? transform : JSON.stringify(transform)} is not applied`,
    });
  }
  const out: ResourceRecord[] = [];
  for (const logicalId of stack.resourceIds()) {
    const resource = stack.resource(logicalId);
    const type = resource?.Type;
    const path = stack.pathOf(logicalId);
    const where = { stack: stackName, logicalId, ...(path === undefined ? {} : { path }) };
    if (typeof type !== 'string') {
      gaps.add({ kind: 'unresolved', ...where, type: 'unknown', message: 'resource has no Type' });
      continue;
    }
    if (!stack.isActive(logicalId)) continue;
    const support = supportLevel(type);
    if (support === 'unsupported') {
      gaps.add({ kind: 'unsupported-resource-type', ...where, type, message: unsupportedHint(type) });
    }
    out.push({
      stack,
      logicalId,
      type,
      path,
      support,
      ref: stack.refOf(logicalId),
      properties: stack.properties(logicalId),
      templateDir: dirname(stack.source.templateFile),
    });
  }
  return out;
}

/** Properties of modelled resources that the local cloud ignores (see support.ts). */
function reportUnsupportedProperties(ctx: BuildContext): void {
  for (const record of ctx.records) {
    if (record.support !== 'modelled' || ctx.wholeResourceGaps.has(record)) continue;
    for (const { property, note } of unsupportedProperties(record.type, Object.keys(record.properties))) {
      ctx.gaps.add({
        kind: 'unsupported-property',
        stack: record.stack.env.stackName,
        logicalId: record.logicalId,
        type: record.type,
        property: `Properties.${property}`,
        ...(record.path === undefined ? {} : { path: record.path }),
        message: note ? `ignored: ${note}` : 'ignored',
      });
    }
  }
}

function unsupportedHint(type: string): string {
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    return 'custom resources do not run locally';
  }
  if (type === 'AWS::CloudFormation::Stack') return 'nested stacks are not loaded';
  if (type === 'AWS::ApiGateway::DomainName' || type.startsWith('AWS::ApiGateway::BasePathMapping'))
    return 'custom domains are not emulated: use the local execute-api URLs';
  if (type === 'AWS::ApiGateway::VpcLink') return 'VPC links (private integrations) are not emulated';
  return 'not implemented';
}

function stackModel(artifact: StackArtifact, stack: StackResolver): StackModel {
  const outputs: OutputModel[] = [];
  for (const [name, declaration] of Object.entries(stack.template.Outputs ?? {})) {
    const value = stack.output(name);
    if (value === undefined) continue;
    const exportName =
      declaration.Export === undefined
        ? undefined
        : scalarToString(
            stack.resolve(declaration.Export.Name, {
              logicalId: name,
              type: 'Output',
              property: 'Export.Name',
            }),
          );
    outputs.push({
      name,
      value: Array.isArray(value)
        ? value.map((item) => scalarToString(item) ?? JSON.stringify(item)).join(',')
        : (scalarToString(value) ?? JSON.stringify(value)),
      ...(exportName === undefined ? {} : { exportName }),
      ...(declaration.Description === undefined ? {} : { description: declaration.Description }),
    });
  }
  return {
    name: stack.env.stackName,
    artifactId: artifact.artifactId,
    displayName: artifact.displayName,
    templateFile: artifact.templateFile,
    stackId: stack.env.stackId,
    accountId: stack.env.accountId,
    region: stack.env.region,
    partition: stack.env.partition,
    urlSuffix: stack.env.urlSuffix,
    dependsOn: artifact.dependsOn,
    outputs,
  };
}

function resourceModel(record: ResourceRecord): ResourceModel {
  const resource = record.stack.resource(record.logicalId);
  return {
    stack: record.stack.env.stackName,
    logicalId: record.logicalId,
    ...(record.path === undefined ? {} : { path: record.path }),
    type: record.type,
    support: record.support,
    physicalId: record.ref,
    properties: record.properties,
    dependsOn: ([] as string[]).concat(resource?.DependsOn ?? []),
    metadata: (resource?.Metadata ?? {}) as { [key: string]: ResolvedValue },
  };
}

/** Gaps sorted by stack (deployment order), then template order of resources; others last. */
function inTemplateOrder(gaps: Gap[], resolver: AssemblyResolver): Gap[] {
  const stackRank = new Map(resolver.stacks.map((stack, i) => [stack.env.stackName, i]));
  const resourceRank = new Map<string, number>();
  for (const stack of resolver.stacks) {
    stack.resourceIds().forEach((id, i) => {
      resourceRank.set(`${stack.env.stackName}\0${id}`, i);
    });
  }
  const rank = (gap: Gap): [number, number] => [
    stackRank.get(gap.stack) ?? Number.MAX_SAFE_INTEGER,
    resourceRank.get(`${gap.stack}\0${gap.logicalId}`) ??
      (gap.type === 'AWS::CloudFormation::Template' ? -1 : Number.MAX_SAFE_INTEGER),
  ];
  return gaps
    .map((gap, index) => ({ gap, index, rank: rank(gap) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map(({ gap }) => gap);
}
