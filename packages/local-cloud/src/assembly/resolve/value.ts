/** JSON after resolution. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** `Ref: AWS::NoValue`: removes the property or list element that holds it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type NoValue = typeof NO_VALUE;

/** Every placeholder for a value that could not be resolved starts with this. */
export const UNRESOLVED_PREFIX = '<<unresolved';

/** The string used in place of a value that could not be resolved (a gap records why). */
export function placeholder(what: string): string {
  return `${UNRESOLVED_PREFIX} ${what}>>`;
}

export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && value.includes(UNRESOLVED_PREFIX);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Ref` or `Fn::*` when `value` is a single-key intrinsic function object, else undefined. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  return key === 'Ref' || key?.startsWith('Fn::') ? key : undefined;
}

/** A scalar as the string CloudFormation would pass on; undefined for lists, objects and null. */
export function scalarToString(value: Json | NoValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
