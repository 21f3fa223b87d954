/**
 * One execution environment: a worker thread running one function's bundle, seen from the host.
 * It knows how to start (init), run one invocation under a timeout, and die; the pool decides when.
 */
import { Worker } from 'node:worker_threads';
import { LineBuffer } from './logs';
import type { ErrorInfo, InvokeMessage, ResultMessage, WorkerData, WorkerMessage } from './protocol';

export type InitOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'error' | 'crash' | 'timeout'; readonly error: ErrorInfo };

export type RunOutcome =
  | ResultMessage
  | { readonly type: 'crash'; readonly error: ErrorInfo }
  | { readonly type: 'timeout' };

export interface SandboxOptions {
  /** The worker bootstrap (see worker-entry.ts). */
  readonly entry: URL;
  readonly workerData: WorkerData;
  readonly env: Record<string, string>;
  readonly execArgv: readonly string[];
  readonly memoryMb: number;
  readonly initTimeoutMs: number;
  readonly generation: number;
  readonly onLog: (stream: 'stdout' | 'stderr', line: string) => void;
  readonly onExit: (sandbox: Sandbox) => void;
}

interface Pending {
  readonly requestId: string;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (outcome: RunOutcome) => void;
}

function exitError(code: number, requestId: string | undefined): ErrorInfo {
  const prefix = requestId === undefined ? '' : `RequestId: ${requestId} `;
  return {
    errorType: 'Runtime.ExitError',
    errorMessage:
      code === 0
        ? `${prefix}Error: Runtime exited without providing a reason`
        : `${prefix}Error: Runtime exited with error: exit status ${code}`,
    trace: [],
  };
}

/** Errors the worker cannot report itself, e.g. hitting its heap limit. */
function workerError(error: Error, requestId: string | undefined): ErrorInfo {
  if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const prefix = requestId === undefined ? '' : `RequestId: ${requestId} `;
    return {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `${prefix}Error: Runtime exited with error: ${error.message}`,
      trace: [],
    };
  }
  return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
}

export class Sandbox {
  readonly generation: number;
  /** Settles once: ready to serve, or init failed (the worker is then already going away). */
  readonly ready: Promise<InitOutcome>;
  initDurationMs = 0;
  /** Rough "Max Memory Used": the worker's heap high-water mark, not the process's RSS. */
  maxMemoryUsedMb = 0;
  /** `performance.now()` when it last finished an invocation; the pool reaps long-idle sandboxes. */
  lastUsed = performance.now();
  /** `performance.now()` when its current invocation started; undefined while idle or starting up. */
  busySince: number | undefined;

  readonly #worker: Worker;
  readonly #options: SandboxOptions;
  readonly #startedAt = performance.now();
  readonly #buffers = { stdout: new LineBuffer(), stderr: new LineBuffer() };
  #settleReady: ((outcome: InitOutcome) => void) | undefined;
  #initTimer: NodeJS.Timeout | undefined;
  #pending: Pending | undefined;
  /** Why the worker is going away, when it said so before exiting. */
  #crash: ErrorInfo | undefined;
  #terminated: Promise<void> | undefined;
  #exited = false;

  constructor(options: SandboxOptions) {
    this.#options = options;
    this.generation = options.generation;
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
      this.#crash ??= workerError(error, this.#pending?.requestId);
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

  /** Runs one invocation; a timeout terminates the worker (nothing else can stop runaway code). */
  run(message: InvokeMessage, timeoutMs: number): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#finish({ type: 'timeout' });
        void this.terminate();
      }, timeoutMs);
      this.#pending = { requestId: message.requestId, timer, resolve };
      try {
        this.#worker.postMessage(message);
      } catch (error) {
        // The event cannot be cloned (Lambda's Invoke API takes JSON only): nothing ran.
        const reason = error instanceof Error ? error.message : String(error);
        this.#finish({
          type: 'result',
          ok: false,
          error: {
            errorType: 'InvalidRequestContentException',
            errorMessage: `Could not pass the event: ${reason}`,
            trace: [],
          },
          memoryMb: 0,
        });
      }
    });
  }

  /** Emits a partial last line of output (at the end of an invocation or of the worker). */
  flushLogs(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#buffers[stream].flush();
      if (rest !== undefined) this.#options.onLog(stream, rest);
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

  #finish(outcome: RunOutcome): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  readonly #onMessage = (message: WorkerMessage): void => {
    switch (message.type) {
      case 'log':
        for (const line of this.#buffers[message.stream].push(message.text))
          this.#options.onLog(message.stream, line);
        break;
      case 'result':
        this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, message.memoryMb);
        this.#finish(message);
        break;
      case 'ready':
        this.initDurationMs = performance.now() - this.#startedAt;
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
    const requestId = this.#pending?.requestId;
    const error =
      this.#crash ??
      (this.#terminated === undefined
        ? exitError(code, requestId)
        : {
            errorType: 'Local.Terminated',
            errorMessage: 'the local runtime terminated this worker',
            trace: [],
          });
    this.#initDone({ ok: false, kind: 'crash', error });
    this.#finish({ type: 'crash', error });
    this.#options.onExit(this);
  };
}
