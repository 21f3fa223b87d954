import type { IntrinsicContext, IntrinsicHandler } from './scope';
import { isPlainObject, type Json, NO_VALUE, type NoValue, scalarToString } from './value';

/**
 * Evaluates a condition expression as found under `Conditions` (or inside `Fn::And`/`Fn::Or`/
 * `Fn::Not`): `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `{ Condition: Name }`, or a value that
 * resolves to `true`/`false`. Anything else is recorded as unresolved and counts as false.
 */
export function evaluateCondition(expression: unknown, ctx: IntrinsicContext): boolean {
  if (isPlainObject(expression)) {
    const keys = Object.keys(expression);
    const [key] = keys;
    const args = key === undefined ? undefined : expression[key];
    if (keys.length === 1) {
      switch (key) {
        case 'Condition':
          return typeof args === 'string'
            ? ctx.scope.condition(args)
            : invalid('Condition needs a name', ctx);
        case 'Fn::Equals':
          if (!Array.isArray(args) || args.length !== 2) return invalid('Fn::Equals needs two values', ctx);
          return sameValue(ctx.resolve(args[0]), ctx.resolve(args[1]));
        case 'Fn::And':
        case 'Fn::Or': {
          if (!Array.isArray(args) || args.length === 0)
            return invalid(`${key} needs a list of conditions`, ctx);
          const results = args.map((item) => evaluateCondition(item, ctx));
          return key === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
        }
        case 'Fn::Not':
          if (!Array.isArray(args) || args.length !== 1) return invalid('Fn::Not needs one condition', ctx);
          return !evaluateCondition(args[0], ctx);
      }
    }
  }
  const value = ctx.resolve(expression);
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return invalid('condition does not evaluate to true or false', ctx);
}

function invalid(message: string, ctx: IntrinsicContext): false {
  ctx.scope.unresolved(message);
  return false;
}

function sameValue(a: Json | NoValue, b: Json | NoValue): boolean {
  if (a === NO_VALUE || b === NO_VALUE) return a === b;
  const sa = scalarToString(a);
  const sb = scalarToString(b);
  if (sa !== undefined || sb !== undefined) return sa === sb;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `Fn::If: [ConditionName, valueIfTrue, valueIfFalse]`; only the chosen branch is resolved. */
export const fnIf: IntrinsicHandler = (args, ctx) => {
  if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
    return ctx.scope.unresolved('Fn::If needs [condition, valueIfTrue, valueIfFalse]');
  }
  return ctx.resolve(ctx.scope.condition(args[0]) ? args[1] : args[2]);
};

/** `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not` used as values: they yield a boolean. */
export function conditionFunction(name: 'Fn::Equals' | 'Fn::And' | 'Fn::Or' | 'Fn::Not'): IntrinsicHandler {
  return (args, ctx) => evaluateCondition({ [name]: args }, ctx);
}
