/**
 * What the end-to-end suite talks to: the local cloud (default) or a deployed stage.
 *
 * Both targets are described the same way — CloudFormation stack outputs plus a Cognito endpoint —
 * so every test runs unchanged against either. The local cloud writes its outputs (rewritten to local
 * URLs) into its endpoints file; a deployed stage's come from `cdk deploy --outputs-file`.
 */
export interface Target {
  kind: 'local' | 'aws';
  region: string;
  /** Stack outputs, stack name → output key → value. */
  outputs: Record<string, Record<string, string>>;
  /** Cognito API endpoint override (local cloud); undefined = the real regional endpoint. */
  cognitoEndpoint: string | undefined;
}

/** Reads one stack output, failing loudly with what exists when it is missing. */
export function output(target: Target, stackSuffix: string, key: string): string {
  const stackName = Object.keys(target.outputs).find(
    (name) => name === stackSuffix || name.endsWith(`-${stackSuffix}`),
  );
  const value = stackName ? target.outputs[stackName]?.[key] : undefined;
  if (value === undefined) {
    throw new Error(
      `stack output ${stackSuffix}.${key} not found; stacks with outputs: ${Object.keys(target.outputs).join(', ') || 'none'}`,
    );
  }
  return value;
}
