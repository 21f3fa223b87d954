/**
 * The environment a function's worker sees: nothing from the host process, only what Lambda would set.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import path from 'node:path';
import type { FunctionConfig } from './types';

/** Dummy credentials, so SDK clients sign requests to local endpoints without a credential lookup. */
const DUMMY_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIALOCALCLOUDDUMMY0',
  AWS_SECRET_ACCESS_KEY: 'local-cloud-dummy-secret-access-key',
  AWS_SESSION_TOKEN: 'local-cloud-dummy-session-token',
};

export function logGroupName(fn: FunctionConfig): string {
  return `/aws/lambda/${fn.name}`;
}

/** One log stream per execution environment, named like Lambda's: `2026/01/31/[$LATEST]<32 hex>`. */
export function newLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * Layers, later wins: Lambda's defaults (overridable) < the template's `environment` < the runtime's
 * `extra` environment < Lambda's reserved variables (a template cannot set those either).
 */
export function functionEnvironment(
  fn: FunctionConfig,
  extra: Readonly<Record<string, string>>,
  logStreamName: string,
): Record<string, string> {
  return {
    // Lambda's PATH is fixed; this one finds the same `node` binary that runs the local cloud.
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...DUMMY_CREDENTIALS,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    // Nothing listens there; traces are unsampled unless the caller passes a sampled trace header.
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
    ...sdkNodeVersionWarning(fn.runtime),
    ...fn.environment,
    ...extra,
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: fn.codeDir,
    _HANDLER: fn.handler,
  };
}

/**
 * The AWS SDK warns, once per environment, when Node is older than it will soon require. Locally the
 * worker runs on the host's Node, which may be older than the runtime the template declares
 * (`nodejs24.x`); the warning would then describe the host, not the function, and never appear on AWS.
 * So it is switched off exactly when the declared runtime is new enough and the host is not.
 */
export function sdkNodeVersionWarning(
  runtime: string,
  hostVersion = process.versions.node,
): Record<string, string> {
  const SDK_MINIMUM_NODE = 22;
  const declared = Number(/^nodejs(\d+)/.exec(runtime)?.[1] ?? Number.NaN);
  const host = Number(hostVersion.split('.')[0]);
  return declared >= SDK_MINIMUM_NODE && host < SDK_MINIMUM_NODE
    ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
    : {};
}

/** The `NODE_OPTIONS` flags a worker can honour (as `execArgv`), and the ones it cannot. */
export function nodeOptionsFlags(nodeOptions: string | undefined): { execArgv: string[]; ignored: string[] } {
  const execArgv: string[] = [];
  const ignored: string[] = [];
  for (const flag of nodeOptions?.split(/\s+/).filter(Boolean) ?? []) {
    (flag === '--enable-source-maps' ? execArgv : ignored).push(flag);
  }
  return { execArgv, ignored };
}

/**
 * Random bytes for trace ids, drawn from the CSPRNG a pool at a time: one `randomFillSync` per ~200 ids
 * instead of two `randomUUID()` calls (and their string surgery) per invocation.
 */
const traceRandom = Buffer.alloc(4096);
let traceRandomUsed = traceRandom.length;
const TRACE_ID_BYTES = 20; // 24 hex of the root id + 16 hex of the parent id

/** An unsampled X-Ray trace header, as Lambda sets when the caller sent none. Per invocation: kept cheap. */
export function newTraceId(nowMs = Date.now()): string {
  if (traceRandomUsed + TRACE_ID_BYTES > traceRandom.length) {
    randomFillSync(traceRandom);
    traceRandomUsed = 0;
  }
  const hex = traceRandom.toString('hex', traceRandomUsed, traceRandomUsed + TRACE_ID_BYTES);
  traceRandomUsed += TRACE_ID_BYTES;
  const epoch = Math.floor(nowMs / 1000).toString(16);
  return `Root=1-${epoch}-${hex.slice(0, 24)};Parent=${hex.slice(24, 40)};Sampled=0`;
}
