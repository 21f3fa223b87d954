import type { IntrinsicContext, IntrinsicHandler } from './scope';
import type { Json } from './value';
import { scalarToString } from './value';

function resolveList(value: unknown, ctx: IntrinsicContext): Json[] | undefined {
  const resolved = ctx.resolve(value);
  return Array.isArray(resolved) ? resolved : undefined;
}

/** `Fn::Join: [delimiter, [values…]]`. */
export const join: IntrinsicHandler = (args, ctx) => {
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') {
    return ctx.scope.unresolved('Fn::Join needs [delimiter, list]');
  }
  const list = resolveList(args[1], ctx);
  if (!list) return ctx.scope.unresolved('Fn::Join needs a list');
  const strings: string[] = [];
  for (const item of list) {
    const text = scalarToString(item);
    if (text === undefined) return ctx.scope.unresolved('Fn::Join list items must be strings');
    strings.push(text);
  }
  return strings.join(args[0]);
};

/** `Fn::Select: [index, list]`. */
export const select: IntrinsicHandler = (args, ctx) => {
  if (!Array.isArray(args) || args.length !== 2)
    return ctx.scope.unresolved('Fn::Select needs [index, list]');
  const index = Number(scalarToString(ctx.resolve(args[0])));
  const list = resolveList(args[1], ctx);
  if (!list) return ctx.scope.unresolved('Fn::Select needs a list');
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    return ctx.scope.unresolved(`Fn::Select index ${String(index)} is out of range (list of ${list.length})`);
  }
  return list[index] ?? null;
};

/** `Fn::Split: [delimiter, string]`. */
export const split: IntrinsicHandler = (args, ctx) => {
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || args[0] === '') {
    return ctx.scope.unresolved('Fn::Split needs [delimiter, string]');
  }
  const source = scalarToString(ctx.resolve(args[1]));
  if (source === undefined) return ctx.scope.unresolved('Fn::Split needs a string');
  return source.split(args[0]);
};

/** `Fn::GetAZs: region` (`''` = this stack's region): three zones, `<region>a` … `<region>c`. */
export const getAZs: IntrinsicHandler = (args, ctx) => {
  const region = scalarToString(ctx.resolve(args)) || ctx.scope.env.region;
  return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
};

/** `Fn::Length: list` (AWS::LanguageExtensions). */
export const length: IntrinsicHandler = (args, ctx) => {
  const list = resolveList(args, ctx);
  return list ? list.length : ctx.scope.unresolved('Fn::Length needs a list');
};
