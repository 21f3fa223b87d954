/**
 * Messages between the host (sandbox.ts, pool.ts) and a worker (worker.ts). Invocations go the other way
 * through the function's shared-memory queue (queue.ts); results and output come back as messages on the
 * worker's port, tagged with the queue position of the invocation they belong to, in order.
 */
import type { LargePayloadMessage, QueueMemory } from './queue';
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
  readonly timeoutMs: number;
  /** The function's invocation queue, and this worker's index in it. */
  readonly queue: QueueMemory;
  readonly workerIndex: number;
  /** Large payloads queued before this worker started. */
  readonly largePayloads: ReadonlyArray<[number, SharedArrayBuffer]>;
}

/** An invocation, as queued (JSON). The function's deadline is set by the worker when it starts it. */
export interface InvokePayload {
  readonly requestId: string;
  readonly event: unknown;
  /** The caller's X-Ray trace header; absent: the worker makes an unsampled one (off the host's thread). */
  readonly traceId?: string;
}

/** Host → worker. */
export type HostMessage = LargePayloadMessage;

/** Lambda's error payload shape. */
export interface ErrorInfo {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

interface ResultFields {
  readonly type: 'result';
  /** Queue position of the invocation. */
  readonly position: number;
  readonly memoryMb: number;
  /** Handler time as the worker measured it (REPORT's Duration). */
  readonly durationMs: number;
}

export type ResultMessage =
  | (ResultFields & { readonly ok: true; readonly value: unknown })
  | (ResultFields & {
      readonly ok: false;
      readonly error: ErrorInfo;
      /** Set when the handler returned, but its result is over Lambda's 6 MB response limit. */
      readonly responseTooLarge?: true;
    });

/** Worker → host. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: ErrorInfo }
  /** `position`: the invocation running when the output was written (absent outside invocations). */
  | {
      readonly type: 'log';
      readonly stream: 'stdout' | 'stderr';
      readonly text: string;
      readonly position?: number;
    }
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
