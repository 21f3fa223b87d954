import { conditionFunction, fnIf } from './conditions';
import { base64, toJsonString } from './encoding';
import { getAtt } from './get-att';
import { getStackOutput, importValue } from './imports';
import { getAZs, join, length, select, split } from './lists';
import { findInMap } from './mappings';
import { ref } from './ref';
import type { IntrinsicContext, IntrinsicHandler, ResolveScope } from './scope';
import { sub } from './sub';
import { intrinsicName, isPlainObject, type Json, NO_VALUE, type NoValue } from './value';

/** Every intrinsic function the resolver implements. */
export const INTRINSICS: Readonly<Record<string, IntrinsicHandler>> = {
  Ref: ref,
  'Fn::GetAtt': getAtt,
  'Fn::Sub': sub,
  'Fn::Join': join,
  'Fn::Select': select,
  'Fn::Split': split,
  'Fn::GetAZs': getAZs,
  'Fn::Length': length,
  'Fn::Base64': base64,
  'Fn::ToJsonString': toJsonString,
  'Fn::If': fnIf,
  'Fn::Equals': conditionFunction('Fn::Equals'),
  'Fn::And': conditionFunction('Fn::And'),
  'Fn::Or': conditionFunction('Fn::Or'),
  'Fn::Not': conditionFunction('Fn::Not'),
  'Fn::FindInMap': findInMap,
  'Fn::ImportValue': importValue,
  'Fn::GetStackOutput': getStackOutput,
};

/**
 * Resolves every intrinsic function in `value`. `AWS::NoValue` removes object properties and list
 * elements; at the top level it is returned as {@link NO_VALUE}. Functions that cannot be resolved
 * (`Fn::Cidr`, unknown functions, bad arguments) record a gap through the scope and leave a
 * placeholder string.
 */
export function resolveValue(value: unknown, scope: ResolveScope): Json | NoValue {
  const ctx: IntrinsicContext = { scope, resolve: (inner) => resolveValue(inner, scope) };
  return resolveIn(value, ctx);
}

function resolveIn(value: unknown, ctx: IntrinsicContext): Json | NoValue {
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) {
      const resolved = resolveIn(item, ctx);
      if (resolved !== NO_VALUE) out.push(resolved);
    }
    return out;
  }
  if (isPlainObject(value)) {
    const fn = intrinsicName(value);
    if (fn !== undefined) {
      const handler = INTRINSICS[fn];
      return handler ? handler(value[fn], ctx) : ctx.scope.unresolved(`${fn} is not supported`);
    }
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      const resolved = resolveIn(inner, ctx);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return value;
  }
  return null;
}
