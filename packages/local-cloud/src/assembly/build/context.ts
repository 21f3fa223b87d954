import type { AssetIndex } from '../assets';
import type { GapSink } from '../gaps';
import type { GapKind, ResourceIdentity, ResourceKey, SupportLevel } from '../model';
import { isPlainObject, type Json, scalarToString } from '../resolve/value';
import type { StackResolver } from '../stack-resolver';

/** One active resource (its condition holds), resolved. */
export interface ResourceRecord {
  readonly stack: StackResolver;
  readonly logicalId: string;
  readonly type: string;
  readonly path: string | undefined;
  readonly support: SupportLevel;
  /** What `Ref` returns. */
  readonly ref: string;
  readonly properties: Record<string, Json>;
  readonly templateDir: string;
}

export interface BuildContext {
  readonly records: readonly ResourceRecord[];
  readonly assets: AssetIndex;
  readonly gaps: GapSink;
  /** Resources reported as a whole (e.g. parts of a WebSocket API): no per-property gaps for them. */
  readonly wholeResourceGaps: Set<ResourceRecord>;
}

export function recordsOfType(ctx: BuildContext, type: string): ResourceRecord[] {
  return ctx.records.filter((record) => record.type === type);
}

export function identity(record: ResourceRecord): ResourceIdentity {
  return {
    stack: record.stack.env.stackName,
    logicalId: record.logicalId,
    ...(record.path === undefined ? {} : { path: record.path }),
  };
}

export function keyOf(record: ResourceRecord): ResourceKey {
  return { stack: record.stack.env.stackName, logicalId: record.logicalId };
}

/** Reports a property value the local cloud cannot honour (or a dangling reference). */
export function valueGap(
  ctx: BuildContext,
  record: ResourceRecord,
  property: string | undefined,
  message: string,
  kind: GapKind = 'unsupported-value',
): void {
  ctx.gaps.add({
    kind,
    stack: record.stack.env.stackName,
    logicalId: record.logicalId,
    type: record.type,
    ...(property === undefined ? {} : { property: `Properties.${property}` }),
    ...(record.path === undefined ? {} : { path: record.path }),
    message,
  });
}

/** Reports that a modelled type's resource cannot be used at all (its properties are not listed). */
export function wholeResourceGap(
  ctx: BuildContext,
  record: ResourceRecord,
  property: string,
  message: string,
): void {
  ctx.wholeResourceGaps.add(record);
  valueGap(ctx, record, property, message);
}

// Readers for resolved values ---------------------------------------------------------------

export function str(value: Json | undefined): string | undefined {
  return scalarToString(value);
}

export function num(value: Json | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function bool(value: Json | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function strings(value: Json | undefined): string[] {
  if (!Array.isArray(value)) {
    const single = scalarToString(value);
    return single === undefined ? [] : [single];
  }
  return value.flatMap((item) => {
    const text = scalarToString(item);
    return text === undefined ? [] : [text];
  });
}

export function obj(value: Json | undefined): Record<string, Json> {
  return isPlainObject(value) ? (value as Record<string, Json>) : {};
}

export function objects(value: Json | undefined): Record<string, Json>[] {
  return Array.isArray(value) ? value.filter(isPlainObject).map((item) => item as Record<string, Json>) : [];
}

/**
 * `fields` without the undefined ones: optional model settings stay absent rather than `undefined`, so
 * spreading one set of settings over another never erases a value.
 */
export function definedOnly<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** A string map (environment variables, stage variables): scalars as strings, others as JSON. */
export function stringMap(value: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(obj(value))) {
    out[key] = scalarToString(item) ?? JSON.stringify(item);
  }
  return out;
}
