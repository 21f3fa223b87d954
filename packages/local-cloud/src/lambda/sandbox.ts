/**
 * One execution environment: a worker thread running one function's bundle, seen from the host.
 * It starts (init), takes invocations from its function's queue by itself (queue.ts), reports results and
 * output, and dies; the pool decides what they mean.
 */
import { Worker } from 'node:worker_threads';
import { LineBuffer } from './logs';
import type { ErrorInfo, HostMessage, ResultMessage, WorkerData, WorkerMessage } from './protocol';
import type { InvocationQueue } from './queue';

export type InitOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'error' | 'crash' | 'timeout'; readonly error: ErrorInfo };

export interface SandboxOptions {
  /** The worker bootstrap (see worker-entry.ts). */
  readonly entry: URL;
  readonly workerData: WorkerData;
  readonly env: Record<string, string>;
  readonly execArgv: readonly string[];
  readonly memoryMb: number;
  readonly initTimeoutMs: number;
  readonly generation: number;
  /** The queue this worker takes from (`workerData.queue` is its memory). */
  readonly queue: InvocationQueue;
  /** Output lines, with the queue position of the invocation that wrote them (undefined outside one). */
  readonly onLog: (
    sandbox: Sandbox,
    stream: 'stdout' | 'stderr',
    line: string,
    position: number | undefined,
  ) => void;
  readonly onResult: (sandbox: Sandbox, result: ResultMessage) => void;
  /** The worker is gone; `error` is why, for the invocation it was running (if any). */
  readonly onExit: (sandbox: Sandbox, error: ErrorInfo) => void;
}

/** Crash errors the worker could not report itself; the pool prefixes `RequestId: …` when one was running. */
function exitError(code: number): ErrorInfo {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage:
      code === 0
        ? 'Error: Runtime exited without providing a reason'
        : `Error: Runtime exited with error: exit status ${code}`,
    trace: [],
  };
}

/** Errors the worker cannot report itself, e.g. hitting its heap limit. */
function workerError(error: Error): ErrorInfo {
  if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `Error: Runtime exited with error: ${error.message}`,
      trace: [],
    };
  }
  return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
}

export class Sandbox {
  readonly generation: number;
  readonly queue: InvocationQueue;
  /** This worker's index in the queue's per-worker words. */
  readonly index: number;
  /** Invocations finished (the first one reports Init Duration). */
  invocations = 0;
  /** Settles once: ready to serve, or init failed (the worker is then already going away). */
  readonly ready: Promise<InitOutcome>;
  initDurationMs = 0;
  /** Rough "Max Memory Used": the worker's heap high-water mark, not the process's RSS. */
  maxMemoryUsedMb = 0;
  /** `performance.now()` when it last finished an invocation; the pool reaps long-idle sandboxes. */
  lastUsed = performance.now();
  /** True once init succeeded. */
  isReady = false;

  readonly #worker: Worker;
  readonly #options: SandboxOptions;
  readonly #startedAt = performance.now();
  readonly #buffers = { stdout: new LineBuffer(), stderr: new LineBuffer() };
  #settleReady: ((outcome: InitOutcome) => void) | undefined;
  #initTimer: NodeJS.Timeout | undefined;
  /** Why the worker is going away, when it said so before exiting. */
  #crash: ErrorInfo | undefined;
  #terminated: Promise<void> | undefined;
  #exited = false;

  constructor(options: SandboxOptions) {
    this.#options = options;
    this.generation = options.generation;
    this.queue = options.queue;
    this.index = options.workerData.workerIndex;
    this.ready = new Promise((resolve) => {
      this.#settleReady = resolve;
    });
    this.#worker = new Worker(options.entry, {
      workerData: options.workerData,
      env: options.env,
      execArgv: [...options.execArgv],
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
    // Idle workers must not keep the process alive; a running invocation's timer does.
    this.#worker.unref();
    this.#worker.on('message', this.#onMessage);
    this.#worker.on('error', (error: Error) => {
      this.#crash ??= workerError(error);
    });
    this.#worker.on('exit', this.#onExit);
    this.#initTimer = setTimeout(() => {
      const seconds = (options.initTimeoutMs / 1000).toFixed(2);
      this.#initDone({
        ok: false,
        kind: 'timeout',
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Init phase timed out after ${seconds} seconds`,
          trace: [],
        },
      });
      void this.terminate();
    }, options.initTimeoutMs);
  }

  /** False once the worker exited, is being terminated, or announced its crash. */
  get alive(): boolean {
    return !this.#exited && this.#terminated === undefined && this.#crash === undefined;
  }

  /** Host → worker messages (large payloads); a worker that is gone drops them. */
  post(message: HostMessage): void {
    if (!this.#exited) this.#worker.postMessage(message);
  }

  /** Emits a partial last line of output (at the end of an invocation or of the worker). */
  flushLogs(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#buffers[stream].flush();
      if (rest !== undefined) this.#options.onLog(this, stream, rest, undefined);
    }
  }

  terminate(): Promise<void> {
    this.#terminated ??= this.#worker.terminate().then(() => undefined);
    return this.#terminated;
  }

  #initDone(outcome: InitOutcome): void {
    clearTimeout(this.#initTimer);
    this.#settleReady?.(outcome);
    this.#settleReady = undefined;
  }

  readonly #onMessage = (message: WorkerMessage): void => {
    switch (message.type) {
      case 'log':
        for (const line of this.#buffers[message.stream].push(message.text))
          this.#options.onLog(this, message.stream, line, message.position);
        break;
      case 'result':
        this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, message.memoryMb);
        this.#options.onResult(this, message);
        break;
      case 'ready':
        this.initDurationMs = performance.now() - this.#startedAt;
        this.isReady = true;
        this.lastUsed = performance.now();
        this.#initDone({ ok: true });
        break;
      case 'init-error':
        this.initDurationMs = performance.now() - this.#startedAt;
        this.#initDone({ ok: false, kind: 'error', error: message.error });
        void this.terminate();
        break;
      case 'crash':
        this.#crash = message.error;
        break;
    }
  };

  readonly #onExit = (code: number): void => {
    this.#exited = true;
    this.flushLogs();
    const error =
      this.#crash ??
      (this.#terminated === undefined
        ? exitError(code)
        : {
            errorType: 'Local.Terminated',
            errorMessage: 'the local runtime terminated this worker',
            trace: [],
          });
    this.#initDone({ ok: false, kind: 'crash', error });
    this.#options.onExit(this, error);
  };
}
