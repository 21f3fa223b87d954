import type { StackEnvironment } from '../environment';
import type { Json, NoValue } from './value';

/**
 * What an intrinsic function can ask of the stack it is resolved in. One scope is bound to one
 * "site" (a resource property or an output), so that anything it cannot resolve becomes a gap that
 * names that site.
 */
export interface ResolveScope {
  readonly env: StackEnvironment;
  /**
   * `Ref` of a template parameter or a resource (pseudo parameters are handled by the caller).
   * Undefined when the template has no parameter or resource of that name.
   */
  ref(name: string): Json | NoValue | undefined;
  /** `Fn::GetAtt`; an unknown attribute becomes a gap and a placeholder. */
  getAtt(logicalId: string, attribute: string): Json;
  /** Value of a named condition of the template. */
  condition(name: string): boolean;
  /** `Fn::FindInMap` lookup; undefined when the map or a key is missing. */
  mapping(mapName: string, topLevelKey: string, secondLevelKey: string): Json | undefined;
  /** `Fn::ImportValue` across the stacks of the assembly. */
  importValue(exportName: string): Json;
  /** `Fn::GetStackOutput` (CDK's weak cross-stack references). */
  stackOutput(stackName: string, outputName: string): Json;
  /** Records an `unresolved` gap at this site and returns a placeholder string. */
  unresolved(message: string): string;
}

export interface IntrinsicContext {
  readonly scope: ResolveScope;
  /** Resolves a nested value (which may hold further intrinsics) in the same scope. */
  resolve(value: unknown): Json | NoValue;
}

/** Resolves one intrinsic function given its argument (the value under `Ref` / `Fn::…`). */
export type IntrinsicHandler = (args: unknown, ctx: IntrinsicContext) => Json | NoValue;
