import type { IntrinsicHandler } from './scope';
import { scalarToString } from './value';

/** `Fn::GetAtt: [LogicalId, Attribute]` or the short string form `LogicalId.Attribute`. */
export const getAtt: IntrinsicHandler = (args, ctx) => {
  let logicalId: string | undefined;
  let attribute: string | undefined;
  if (typeof args === 'string') {
    const dot = args.indexOf('.');
    if (dot > 0) {
      logicalId = args.slice(0, dot);
      attribute = args.slice(dot + 1);
    }
  } else if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string') {
    logicalId = args[0];
    attribute = typeof args[1] === 'string' ? args[1] : scalarToString(ctx.resolve(args[1]));
  }
  if (logicalId === undefined || attribute === undefined) {
    return ctx.scope.unresolved('Fn::GetAtt needs [LogicalId, Attribute]');
  }
  return ctx.scope.getAtt(logicalId, attribute);
};
