import { getAtt } from './get-att';
import { refValue } from './ref';
import type { IntrinsicContext, IntrinsicHandler } from './scope';
import { isPlainObject, type Json, NO_VALUE, type NoValue, scalarToString } from './value';

export type SubPart = { readonly literal: string } | { readonly variable: string };

/**
 * Splits a `Fn::Sub` template into literals and `${Name}` / `${Logical.Attr}` variables.
 * `${!Literal}` stands for the text `${Literal}`.
 */
export function parseSub(template: string): SubPart[] {
  const parts: SubPart[] = [];
  let literal = '';
  let index = 0;
  while (index < template.length) {
    const start = template.indexOf('${', index);
    const end = start < 0 ? -1 : template.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      literal += template.slice(index);
      break;
    }
    literal += template.slice(index, start);
    const body = template.slice(start + 2, end);
    if (body.startsWith('!')) {
      literal += `\${${body.slice(1)}}`;
    } else {
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ variable: body.trim() });
    }
    index = end + 1;
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** `Fn::Sub: "text ${Var}"` or `Fn::Sub: ["text ${Var}", { Var: value }]`. */
export const sub: IntrinsicHandler = (args, ctx) => {
  let template: string;
  let variables: Record<string, unknown> = {};
  if (typeof args === 'string') {
    template = args;
  } else if (
    Array.isArray(args) &&
    args.length === 2 &&
    typeof args[0] === 'string' &&
    isPlainObject(args[1])
  ) {
    template = args[0];
    variables = args[1];
  } else {
    return ctx.scope.unresolved('Fn::Sub needs a string or [string, variables]');
  }
  let out = '';
  for (const part of parseSub(template)) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const value = variableValue(part.variable, variables, ctx);
    const text = scalarToString(value);
    out += text ?? ctx.scope.unresolved(`Fn::Sub variable \${${part.variable}} is not a string`);
  }
  return out;
};

function variableValue(
  name: string,
  variables: Record<string, unknown>,
  ctx: IntrinsicContext,
): Json | NoValue {
  if (Object.hasOwn(variables, name)) return ctx.resolve(variables[name]);
  if (name.startsWith('AWS::')) return refValue(name, ctx);
  const dot = name.indexOf('.');
  if (dot > 0) return getAtt([name.slice(0, dot), name.slice(dot + 1)], ctx);
  const value = refValue(name, ctx);
  return value === NO_VALUE ? '' : value;
}
