import type { LambdaTarget, ResourceKey } from '../model';
import { type BuildContext, type ResourceRecord, valueGap } from './context';

/** Functions of the assembly by unqualified ARN and by name. */
export class FunctionIndex {
  readonly #byArn = new Map<string, ResourceKey>();
  readonly #byName = new Map<string, ResourceKey>();

  add(arn: string, name: string, key: ResourceKey): void {
    this.#byArn.set(arn, key);
    if (!this.#byName.has(name)) this.#byName.set(name, key);
  }

  /**
   * Parses a function ARN (possibly qualified) or an API Gateway invocation URI
   * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`).
   * Undefined when `uri` names no Lambda function.
   */
  target(uri: string): LambdaTarget | undefined {
    const parsed = parseLambdaUri(uri);
    if (!parsed) return undefined;
    return {
      ...parsed,
      function: this.#byArn.get(parsed.functionArn) ?? this.#byName.get(parsed.functionName),
    };
  }
}

/**
 * The Lambda function a proxy integration invokes, from its URI; a gap on `property` when the URI names
 * no function, or a function outside this assembly.
 */
export function integrationTarget(
  ctx: BuildContext,
  record: ResourceRecord,
  property: string,
  uri: string | undefined,
  functions: FunctionIndex,
): LambdaTarget | undefined {
  const target = uri === undefined ? undefined : functions.target(uri);
  if (!target) valueGap(ctx, record, property, `${uri ?? '(none)'} is not a Lambda function`);
  else if (!target.function) {
    valueGap(ctx, record, property, `function ${target.functionArn} is not part of this assembly`);
  }
  return target;
}

/** The Lambda function an authorizer calls; a gap on `AuthorizerUri` unless it is one of this assembly. */
export function authorizerTarget(
  ctx: BuildContext,
  record: ResourceRecord,
  uri: string | undefined,
  functions: FunctionIndex,
): LambdaTarget | undefined {
  const target = uri ? functions.target(uri) : undefined;
  if (!target?.function) {
    valueGap(ctx, record, 'AuthorizerUri', `${uri || '(none)'} is not a Lambda function of this assembly`);
  }
  return target;
}

export function parseLambdaUri(
  uri: string,
): { functionArn: string; functionName: string; qualifier: string | undefined } | undefined {
  const invocation = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(
    uri,
  );
  const functionArn = invocation?.[1] ?? uri;
  const parts = functionArn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'lambda' || parts[5] !== 'function')
    return undefined;
  const functionName = parts[6] ?? '';
  if (!functionName) return undefined;
  return { functionArn: parts.slice(0, 7).join(':'), functionName, qualifier: parts[7] };
}
