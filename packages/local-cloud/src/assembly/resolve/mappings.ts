import type { IntrinsicHandler } from './scope';
import { isPlainObject, scalarToString } from './value';

/** `Fn::FindInMap: [MapName, TopLevelKey, SecondLevelKey, { DefaultValue }?]`. */
export const findInMap: IntrinsicHandler = (args, ctx) => {
  if (!Array.isArray(args) || args.length < 3 || args.length > 4) {
    return ctx.scope.unresolved('Fn::FindInMap needs [map, key, key]');
  }
  const [mapName, top, second] = args.slice(0, 3).map((arg) => scalarToString(ctx.resolve(arg)));
  if (mapName === undefined || top === undefined || second === undefined) {
    return ctx.scope.unresolved('Fn::FindInMap keys must be strings');
  }
  const value = ctx.scope.mapping(mapName, top, second);
  if (value !== undefined) return value;
  const options = args[3];
  if (isPlainObject(options) && Object.hasOwn(options, 'DefaultValue'))
    return ctx.resolve(options.DefaultValue);
  return ctx.scope.unresolved(`Fn::FindInMap: no ${mapName}.${top}.${second}`);
};
