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
  /** What only a local cloud can tell (its endpoints file, its output); absent for a deployed stage. */
  local?: LocalExtras;
}

/** The local cloud's view beyond stack outputs: API key values, cache admin URLs, its log. */
export interface LocalExtras {
  /** API keys as the endpoints file lists them; `id` is the key's `Ref` (= the stack's `…ApiKeyId` outputs). */
  apiKeys: Array<{ id: string; value: string; enabled: boolean }>;
  /** Stages of the REST APIs, by stack; cache URLs only for stages with a cache cluster. */
  restStages: Array<{
    stack: string;
    name: string;
    url: string;
    cacheStatsUrl?: string;
    cacheFlushUrl?: string;
  }>;
  /** File the local cloud's output (function logs, access logs) is copied to while it runs. */
  outputFile: string;
  /**
   * The local API Gateway control plane (GetUsagePlan, GetUsage, UpdateUsage, FlushStageCache, GetApiKey), for
   * the SDK's `endpoint` option; a deployed stage uses the real regional endpoint.
   */
  apiGatewayEndpoint: string;
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
