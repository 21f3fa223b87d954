/**
 * Messages between the host (sandbox.ts) and a worker (worker.ts). One worker runs one invocation at a
 * time, so results need no correlation id. Everything crosses by structured clone.
 */
import type { HostRewrite } from './types';

/** Given to each worker once, at cold start (`workerData`). */
export interface WorkerData {
  readonly functionName: string;
  readonly functionArn: string;
  readonly handler: string;
  readonly codeDir: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly hostRewrites: readonly HostRewrite[];
}

/** Host → worker: run the handler once. */
export interface InvokeMessage {
  readonly requestId: string;
  readonly event: unknown;
  /** Epoch ms when the function times out; drives `getRemainingTimeInMillis()`. */
  readonly deadlineMs: number;
  /** The caller's X-Ray trace header; absent: the worker makes an unsampled one (off the host's thread). */
  readonly traceId?: string;
}

/** Lambda's error payload shape. */
export interface ErrorInfo {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type ResultMessage =
  | { readonly type: 'result'; readonly ok: true; readonly value: unknown; readonly memoryMb: number }
  | { readonly type: 'result'; readonly ok: false; readonly error: ErrorInfo; readonly memoryMb: number };

/** Worker → host. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: ErrorInfo }
  | { readonly type: 'log'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | ResultMessage
  /** The runtime is about to exit (uncaught exception, unhandled rejection). */
  | { readonly type: 'crash'; readonly error: ErrorInfo };

/** Lambda's serialisation of anything thrown (aws-lambda-nodejs-runtime-interface-client `toRapidResponse`). */
export function toErrorInfo(thrown: unknown): ErrorInfo {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name,
      errorMessage: thrown.message,
      trace: thrown.stack?.split('\n') ?? [],
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}
