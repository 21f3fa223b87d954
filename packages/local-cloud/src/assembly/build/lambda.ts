import { locateCode } from '../assets';
import { arn } from '../environment';
import type { FunctionAliasModel, FunctionCode, FunctionModel, LayerModel, ResourceKey } from '../model';
import { functionArnFor } from '../resource-types';
import {
  type BuildContext,
  identity,
  keyOf,
  num,
  obj,
  type ResourceRecord,
  recordsOfType,
  str,
  stringMap,
  strings,
  valueGap,
} from './context';
import { FunctionIndex } from './lambda-target';

export interface LambdaModels {
  readonly functions: FunctionModel[];
  readonly layers: LayerModel[];
  readonly aliases: FunctionAliasModel[];
  readonly index: FunctionIndex;
}

export function buildLambda(ctx: BuildContext): LambdaModels {
  const layers = recordsOfType(ctx, 'AWS::Lambda::LayerVersion').map((record) => buildLayer(record, ctx));
  const layerByArn = new Map<string, ResourceKey>(
    layers.map((layer) => [layer.arn, { stack: layer.stack, logicalId: layer.logicalId }]),
  );
  const index = new FunctionIndex();
  const functions = recordsOfType(ctx, 'AWS::Lambda::Function').map((record) => {
    const model = buildFunction(record, ctx, layerByArn);
    index.add(model.arn, model.name, keyOf(record));
    return model;
  });
  const aliases = recordsOfType(ctx, 'AWS::Lambda::Alias').map((record) => buildAlias(record, ctx, index));
  return { functions, layers, aliases, index };
}

function codeOf(record: ResourceRecord, property: 'Code' | 'Content', ctx: BuildContext): FunctionCode {
  const code = obj(record.properties[property]);
  const zipFile = str(code.ZipFile);
  if (zipFile !== undefined) return { kind: 'inline', source: zipFile };
  if (code.ImageUri !== undefined) {
    return { kind: 'unavailable', reason: 'container image functions do not run locally' };
  }
  const located = locateCode(
    {
      metadata: record.stack.resource(record.logicalId)?.Metadata,
      property,
      s3Bucket: str(code.S3Bucket),
      s3Key: str(code.S3Key),
      templateDir: record.templateDir,
      owner: `${record.stack.env.stackName}/${record.logicalId}`,
    },
    ctx.assets,
  );
  if (located.kind === 'unavailable') valueGap(ctx, record, property, located.reason);
  return located;
}

function buildFunction(
  record: ResourceRecord,
  ctx: BuildContext,
  layerByArn: Map<string, ResourceKey>,
): FunctionModel {
  const p = record.properties;
  const { env } = record.stack;
  const runtime = str(p.Runtime) ?? '';
  const packageType = str(p.PackageType) ?? 'Zip';
  if (packageType === 'Image')
    valueGap(ctx, record, 'PackageType', 'container image functions do not run locally');
  else if (!runtime.startsWith('nodejs')) {
    valueGap(ctx, record, 'Runtime', `runtime ${runtime || '(none)'}: only Node.js runtimes run locally`);
  }
  const logging = obj(p.LoggingConfig);
  const tracing = str(obj(p.TracingConfig).Mode) === 'Active' ? 'Active' : 'PassThrough';
  if (tracing === 'Active') {
    valueGap(
      ctx,
      record,
      'TracingConfig',
      'X-Ray tracing mode Active: locally each invocation gets a generated trace id in _X_AMZN_TRACE_ID; no segments are sent',
    );
  }
  const name = record.ref;
  return {
    ...identity(record),
    name,
    arn: arn(env, 'lambda', `function:${name}`),
    region: env.region,
    accountId: env.accountId,
    handler: str(p.Handler) ?? '',
    runtime,
    code: codeOf(record, 'Code', ctx),
    environment: stringMap(obj(p.Environment).Variables),
    timeoutSeconds: num(p.Timeout) ?? 3,
    memoryMb: num(p.MemorySize) ?? 128,
    ephemeralStorageMb: num(obj(p.EphemeralStorage).Size) ?? 512,
    reservedConcurrency: num(p.ReservedConcurrentExecutions),
    architecture: strings(p.Architectures)[0] === 'arm64' ? 'arm64' : 'x86_64',
    layers: strings(p.Layers).map((layerArn) => ({ arn: layerArn, layer: layerByArn.get(layerArn) })),
    roleArn: str(p.Role),
    logGroupName: str(logging.LogGroup) ?? `/aws/lambda/${name}`,
    logFormat: str(logging.LogFormat) === 'JSON' ? 'JSON' : 'Text',
    applicationLogLevel: str(logging.ApplicationLogLevel),
    systemLogLevel: str(logging.SystemLogLevel),
    tracing,
    description: str(p.Description),
  };
}

function buildLayer(record: ResourceRecord, ctx: BuildContext): LayerModel {
  const layerArn = record.ref;
  return {
    ...identity(record),
    name: layerArn.split(':')[6] ?? record.logicalId,
    arn: layerArn,
    code: codeOf(record, 'Content', ctx),
    compatibleRuntimes: strings(record.properties.CompatibleRuntimes),
  };
}

function buildAlias(record: ResourceRecord, ctx: BuildContext, index: FunctionIndex): FunctionAliasModel {
  const functionArn = functionArnFor(str(record.properties.FunctionName) ?? '', record.stack.env);
  const target = index.target(functionArn);
  if (!target?.function) {
    valueGap(ctx, record, 'FunctionName', `function ${functionArn} is not part of this assembly`);
  }
  return {
    ...identity(record),
    name: str(record.properties.Name) ?? record.logicalId,
    arn: record.ref,
    function: target?.function,
    functionName: target?.functionName ?? functionArn.split(':')[6] ?? '',
    functionVersion: str(record.properties.FunctionVersion) ?? '$LATEST',
  };
}
