import type { IntrinsicHandler } from './scope';
import { isPlainObject, scalarToString } from './value';

/** `Fn::ImportValue: exportName` — an `Outputs.*.Export.Name` of a stack of the assembly. */
export const importValue: IntrinsicHandler = (args, ctx) => {
  const name = scalarToString(ctx.resolve(args));
  return name === undefined
    ? ctx.scope.unresolved('Fn::ImportValue needs a name')
    : ctx.scope.importValue(name);
};

/**
 * `Fn::GetStackOutput: { StackName, OutputName, Region?, RoleArn? }` — how CDK writes weak
 * cross-stack references. Region and role are irrelevant locally: every stack is on this machine.
 */
export const getStackOutput: IntrinsicHandler = (args, ctx) => {
  if (!isPlainObject(args)) return ctx.scope.unresolved('Fn::GetStackOutput needs { StackName, OutputName }');
  const stackName = scalarToString(ctx.resolve(args.StackName));
  const outputName = scalarToString(ctx.resolve(args.OutputName));
  if (stackName === undefined || outputName === undefined) {
    return ctx.scope.unresolved('Fn::GetStackOutput needs { StackName, OutputName }');
  }
  return ctx.scope.stackOutput(stackName, outputName);
};
