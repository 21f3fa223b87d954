import type { StackEnvironment } from '../environment';
import type { ParameterDeclaration } from '../template';
import type { IntrinsicContext, IntrinsicHandler } from './scope';
import { type Json, NO_VALUE, type NoValue, scalarToString } from './value';

/** The bootstrap version the local cloud reports for CDK's `/cdk-bootstrap/<qualifier>/version`. */
export const LOCAL_BOOTSTRAP_VERSION = '30';

/** Value of a pseudo parameter (`AWS::Region`, …); undefined for an unknown name. */
export function pseudoParameter(name: string, env: StackEnvironment): Json | NoValue | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return env.accountId;
    case 'AWS::Region':
      return env.region;
    case 'AWS::Partition':
      return env.partition;
    case 'AWS::URLSuffix':
      return env.urlSuffix;
    case 'AWS::StackName':
      return env.stackName;
    case 'AWS::StackId':
      return env.stackId;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

/** `Ref` of a name: pseudo parameter, template parameter or resource. Shared with `Fn::Sub`. */
export function refValue(name: string, ctx: IntrinsicContext): Json | NoValue {
  if (name.startsWith('AWS::')) {
    const value = pseudoParameter(name, ctx.scope.env);
    return value === undefined ? ctx.scope.unresolved(`unknown pseudo parameter ${name}`) : value;
  }
  const value = ctx.scope.ref(name);
  return value === undefined
    ? ctx.scope.unresolved(`Ref ${name}: no parameter or resource of that name`)
    : value;
}

export const ref: IntrinsicHandler = (args, ctx) =>
  typeof args === 'string' ? refValue(args, ctx) : ctx.scope.unresolved('Ref needs a name');

export interface ParameterSources {
  /** Value given for this parameter (as it would be passed to CloudFormation). */
  readonly override: string | undefined;
  /** Local value of an SSM parameter, by name. */
  ssm(name: string): string | undefined;
}

export type ParameterValue = { readonly value: Json } | { readonly unresolved: string };

/**
 * The value `Ref` gives for a template parameter: the override, else the `Default`. SSM parameter
 * types (`AWS::SSM::Parameter::Value<…>`) are looked up by the parameter's value; CDK's bootstrap
 * version parameter always resolves. List types become arrays.
 */
export function parameterValue(
  name: string,
  declaration: ParameterDeclaration,
  sources: ParameterSources,
): ParameterValue {
  const raw = sources.override ?? scalarToString(declaration.Default as Json | undefined);
  if (raw === undefined) {
    return { unresolved: `parameter ${name} has no Default; pass a value for it` };
  }
  const ssmType = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(declaration.Type)?.[1];
  if (ssmType !== undefined) {
    const stored =
      sources.ssm(raw) ??
      (/^\/cdk-bootstrap\/[^/]+\/version$/.test(raw) ? LOCAL_BOOTSTRAP_VERSION : undefined);
    if (stored === undefined) {
      return {
        unresolved: `SSM parameter ${raw} (parameter ${name}) has no local value; pass it in ssmParameters`,
      };
    }
    return { value: isListType(ssmType) ? splitList(stored) : stored };
  }
  return { value: isListType(declaration.Type) ? splitList(raw) : raw };
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',').map((item) => item.trim());
}
