/**
 * The first stage of the local cloud: load a synthesized CDK app (cloud assembly), resolve its
 * intrinsic functions and build the typed model that the services consume. See README.md.
 */
export { AssemblyError, type AssemblyErrorCode } from './errors';
export { formatGap, formatGapAt } from './gaps';
export { type LoadAssemblyOptions, loadAssembly } from './load';
export * from './model';
export { isUnresolved, UNRESOLVED_PREFIX } from './resolve/value';
export { MODELLED_TYPES, NO_OP_TYPES, supportLevel } from './support';
