/**
 * The raw shape of a CloudFormation template as CDK writes it (JSON). Values are `unknown` until
 * resolved: any of them may be an intrinsic function.
 */
export interface Template {
  readonly AWSTemplateFormatVersion?: string;
  readonly Transform?: unknown;
  readonly Parameters?: { readonly [name: string]: ParameterDeclaration };
  readonly Mappings?: {
    readonly [name: string]: { readonly [key: string]: { readonly [key: string]: unknown } };
  };
  readonly Conditions?: { readonly [name: string]: unknown };
  readonly Resources?: { readonly [logicalId: string]: TemplateResource };
  readonly Outputs?: { readonly [name: string]: TemplateOutput };
}

export interface ParameterDeclaration {
  readonly Type: string;
  readonly Default?: unknown;
  readonly Description?: string;
  readonly AllowedValues?: readonly unknown[];
  readonly NoEcho?: boolean | string;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: { readonly [name: string]: unknown };
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
  readonly Metadata?: { readonly [key: string]: unknown };
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface TemplateOutput {
  readonly Value: unknown;
  readonly Description?: string;
  readonly Condition?: string;
  readonly Export?: { readonly Name: unknown };
}
