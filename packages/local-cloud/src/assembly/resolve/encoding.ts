import type { IntrinsicHandler } from './scope';
import { NO_VALUE, scalarToString } from './value';

/** `Fn::Base64: string`. */
export const base64: IntrinsicHandler = (args, ctx) => {
  const text = scalarToString(ctx.resolve(args));
  return text === undefined
    ? ctx.scope.unresolved('Fn::Base64 needs a string')
    : Buffer.from(text, 'utf8').toString('base64');
};

/** `Fn::ToJsonString: value` (AWS::LanguageExtensions). */
export const toJsonString: IntrinsicHandler = (args, ctx) => {
  const value = ctx.resolve(args);
  return value === NO_VALUE
    ? ctx.scope.unresolved('Fn::ToJsonString of AWS::NoValue')
    : JSON.stringify(value);
};
