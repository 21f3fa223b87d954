/**
 * One function's execution environments: cold starts on demand, warm reuse, concurrency limits,
 * timeouts, crash replacement, reload (generations) and idle reaping — with Lambda's log lines.
 */

import { functionEnvironment, logGroupName, newLogStreamName, nodeOptionsFlags } from './env';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './logs';
import type { ErrorInfo } from './protocol';
import { type RunOutcome, Sandbox } from './sandbox';
import type {
  FunctionConfig,
  FunctionStats,
  HostRewrite,
  InvokeFailure,
  InvokeFailureKind,
  InvokeOptions,
  InvokeResult,
  LogRecord,
  LogSink,
} from './types';

/** Runtime-wide settings every pool reads when it starts a worker (shared, updated by the runtime). */
export interface PoolContext {
  /** The worker bootstrap, resolved before the first invocation. */
  entry: URL | undefined;
  environment: Readonly<Record<string, string>>;
  hostRewrites: readonly HostRewrite[];
  readonly maxConcurrency: number;
  /** Workers per function started as soon as they are needed; more only while the busy ones wait. */
  readonly eagerWorkers: number;
  readonly initTimeoutMs: number;
  readonly log: LogSink;
}

/**
 * An invocation's link to its caller, who may stop waiting (`InvokeOptions.deadline`). The caller's promise
 * is settled exactly once: by the execution's end, or by the deadline (the execution then runs on).
 */
interface Attempt {
  abandoned: boolean;
  settled: boolean;
  readonly resolve: (result: InvokeResult) => void;
  /** The caller's deadline timer. */
  timer: NodeJS.Timeout | undefined;
  cancelWait?: () => void;
}

interface Acquired {
  readonly sandbox: Sandbox;
  readonly cold: boolean;
}

type Waiter = (acquired: Acquired | undefined) => void;

export function failure(
  requestId: string,
  kind: InvokeFailureKind,
  error: Pick<ErrorInfo, 'errorType' | 'errorMessage'> & { trace?: readonly string[] },
): InvokeFailure {
  const { errorType, errorMessage, trace } = error;
  return trace === undefined || trace.length === 0
    ? { ok: false, requestId, kind, errorType, errorMessage }
    : { ok: false, requestId, kind, errorType, errorMessage, trace };
}

/**
 * An invocation running this long is taken to be waiting (I/O, timers) rather than computing: beyond
 * `eagerWorkers`, a new worker starts only when the others are in that state.
 */
export const WAITING_AFTER_MS = 10;

/** Crashes the worker could not log itself (it was gone before it could). */
const SILENT_CRASHES = new Set(['Runtime.ExitError', 'Runtime.OutOfMemory']);

export class FunctionPool {
  #config: FunctionConfig;
  readonly #context: PoolContext;
  /** Bumped by reload: sandboxes of an older generation finish their invocation, then go. */
  #generation = 0;
  readonly #sandboxes = new Set<Sandbox>();
  /** Warm sandboxes, most recently used last (reused first, so the others age out). */
  #idle: Sandbox[] = [];
  readonly #queue: Waiter[] = [];
  readonly #terminating = new Set<Promise<void>>();
  /** Invocations accepted and not finished: what reserved concurrency counts. */
  #inFlight = 0;
  #coldStarts = 0;
  #closed = false;
  #warnedNodeOptions = false;
  /** Re-checks, while invocations are queued, whether busy workers now wait and another may start. */
  #scaleTimer: NodeJS.Timeout | undefined;

  constructor(config: FunctionConfig, context: PoolContext) {
    this.#config = config;
    this.#context = context;
  }

  get config(): FunctionConfig {
    return this.#config;
  }

  /** Replaces the configuration; running invocations finish on the old one. */
  set config(config: FunctionConfig) {
    this.#config = config;
    this.reload();
  }

  invoke(requestId: string, event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const reserved = this.#config.reservedConcurrency;
    if (this.#closed) {
      return Promise.resolve(
        failure(requestId, 'error', {
          errorType: 'Local.RuntimeClosed',
          errorMessage: 'the Lambda runtime is closed',
        }),
      );
    }
    if (reserved !== undefined && this.#inFlight >= reserved) {
      return Promise.resolve(
        failure(requestId, 'throttled', {
          errorType: 'TooManyRequestsException',
          errorMessage: 'Rate Exceeded.',
        }),
      );
    }
    this.#inFlight++;
    // One promise per invocation, settled by whichever comes first — the result or the caller's deadline —
    // instead of chaining `.finally()` and a deadline race onto the execution's own promise.
    return new Promise((resolve) => {
      const attempt: Attempt = { abandoned: false, settled: false, resolve, timer: undefined };
      if (options.deadline !== undefined) {
        const delay = Math.max(0, options.deadline - Date.now());
        attempt.timer = setTimeout(expire, delay, attempt, requestId);
      }
      void this.#execute(requestId, event, options.traceId, attempt);
    });
  }

  /** The next invocation loads the bundle afresh; idle workers go now, busy ones after their invocation. */
  reload(): void {
    this.#generation++;
    for (const sandbox of this.#idle.splice(0)) this.#retire(sandbox);
  }

  reapIdle(maxIdleMs: number): void {
    const now = performance.now();
    for (const sandbox of [...this.#idle]) {
      if (now - sandbox.lastUsed > maxIdleMs) this.#retire(sandbox);
    }
  }

  stats(): FunctionStats {
    return {
      name: this.#config.name,
      workers: this.#sandboxes.size,
      idle: this.#idle.length,
      inFlight: this.#inFlight - this.#queue.length,
      queued: this.#queue.length,
      coldStarts: this.#coldStarts,
    };
  }

  /** Terminates every worker; running invocations fail as crashes, queued ones as `Local.RuntimeClosed`. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#scaleTimer);
    for (const waiter of this.#queue.splice(0)) waiter(undefined);
    for (const sandbox of [...this.#sandboxes]) this.#retire(sandbox);
    await Promise.all(this.#terminating);
  }

  /** Runs the invocation and settles its attempt; never rejects, always releases its place in `#inFlight`. */
  async #execute(requestId: string, event: unknown, traceId: string | undefined, attempt: Attempt) {
    let result: InvokeResult;
    try {
      result = await this.#run(requestId, event, traceId, attempt);
    } catch (error) {
      result = failure(requestId, 'error', {
        errorType: 'Local.RuntimeError',
        errorMessage: `could not start a worker for ${this.#config.name}: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      this.#inFlight--;
    }
    settle(attempt, result);
  }

  async #run(
    requestId: string,
    event: unknown,
    traceId: string | undefined,
    attempt: Attempt,
  ): Promise<InvokeResult> {
    const acquired = this.#acquire(attempt) ?? (await this.#wait(attempt));
    if (acquired === undefined) {
      const errorMessage = attempt.abandoned ? 'the caller stopped waiting' : 'the Lambda runtime is closed';
      return failure(requestId, 'error', { errorType: 'Local.RuntimeClosed', errorMessage });
    }
    const { sandbox, cold } = acquired;
    if (cold) {
      const init = await sandbox.ready;
      if (!init.ok) {
        const status = init.kind === 'timeout' ? 'timeout' : 'error';
        this.#platform(initReportLine(sandbox.initDurationMs, status, init.error.errorType));
        this.#retire(sandbox);
        return failure(requestId, init.kind, init.error);
      }
    }

    const { timeoutSeconds, memoryMb } = this.#config;
    const timeoutMs = timeoutSeconds * 1000;
    this.#platform(startLine(requestId));
    const started = performance.now();
    sandbox.busySince = started;
    // Without a caller's trace id the worker makes one: less work on this (the gateway's) thread.
    const message =
      traceId === undefined
        ? { requestId, event, deadlineMs: Date.now() + timeoutMs }
        : { requestId, event, deadlineMs: Date.now() + timeoutMs, traceId };
    const outcome = await sandbox.run(message, timeoutMs);
    const durationMs = performance.now() - started;
    sandbox.flushLogs();

    const result = this.#toResult(requestId, outcome);
    if (outcome.type === 'timeout') this.#platform(timeoutLine(requestId, timeoutSeconds));
    if (outcome.type === 'crash' && SILENT_CRASHES.has(outcome.error.errorType)) {
      this.#platform(`${new Date().toISOString()} ${outcome.error.errorMessage}`);
      this.#platform(outcome.error.errorType);
    }
    this.#platform(endLine(requestId));
    this.#platform(
      reportLine({
        requestId,
        durationMs,
        memoryMb,
        maxMemoryUsedMb: sandbox.maxMemoryUsedMb,
        initDurationMs: cold ? sandbox.initDurationMs : undefined,
        ...(outcome.type === 'timeout' ? { status: 'timeout' } : {}),
        ...(outcome.type === 'crash' ? { status: 'error', errorType: outcome.error.errorType } : {}),
      }),
    );
    this.#release(sandbox);
    return result;
  }

  #toResult(requestId: string, outcome: RunOutcome): InvokeResult {
    switch (outcome.type) {
      case 'result':
        return outcome.ok
          ? { ok: true, requestId, result: outcome.value }
          : failure(requestId, 'error', outcome.error);
      case 'crash':
        return failure(requestId, 'crash', outcome.error);
      case 'timeout':
        return failure(requestId, 'timeout', {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.#config.timeoutSeconds.toFixed(2)} seconds`,
        });
    }
  }

  /** A warm sandbox, else a new one if one may start (`#mayStart`), else `undefined` (wait). */
  #acquire(attempt: Attempt): Acquired | undefined {
    if (this.#closed || attempt.abandoned) return undefined;
    for (let warm = this.#idle.pop(); warm !== undefined; warm = this.#idle.pop()) {
      if (warm.alive) return { sandbox: warm, cold: false };
      this.#retire(warm); // crashed while idle; its exit is on the way
    }
    if (this.#mayStart()) return { sandbox: this.#spawn(), cold: true };
    return undefined;
  }

  /**
   * Whether another worker may start now. Below the cap, always with reserved concurrency (it throttles,
   * never queues) and up to `eagerWorkers`; beyond that only while fewer than `eagerWorkers` of the
   * workers may be computing — starting up, or running an invocation for less than WAITING_AFTER_MS.
   *
   * Why: with a 2-vCPU machine and 50 concurrent requests, 10 workers running a CPU-heavy handler (the
   * notes `health` bundle) served ≈ 25 % fewer requests than 3–4 (each isolate warms its JIT on a tenth of
   * the calls and the cores are oversubscribed), while a trivial handler ran as well on 4 as on 10. Workers
   * waiting on I/O cost no CPU, so for them the pool still grows to `maxConcurrency`, after a short wait.
   */
  #mayStart(): boolean {
    const size = this.#sandboxes.size;
    if (size >= this.#capacity()) return false;
    const eager = this.#context.eagerWorkers;
    if (size < eager || this.#config.reservedConcurrency !== undefined) return true;
    const now = performance.now();
    let computing = 0;
    for (const sandbox of this.#sandboxes) {
      const since = sandbox.busySince;
      if (since === undefined || now - since < WAITING_AFTER_MS) computing++;
    }
    return computing < eager;
  }

  #wait(attempt: Attempt): Promise<Acquired | undefined> {
    if (this.#closed || attempt.abandoned) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      this.#scheduleScaleCheck();
      attempt.cancelWait = () => {
        const index = this.#queue.indexOf(resolve);
        if (index !== -1) this.#queue.splice(index, 1);
        resolve(undefined);
      };
    });
  }

  #capacity(): number {
    return this.#config.reservedConcurrency ?? this.#context.maxConcurrency;
  }

  #release(sandbox: Sandbox): void {
    if (!sandbox.alive || sandbox.generation !== this.#generation || this.#closed) {
      this.#retire(sandbox);
      return;
    }
    sandbox.lastUsed = performance.now();
    sandbox.busySince = undefined;
    const waiter = this.#queue.shift();
    if (waiter === undefined) this.#idle.push(sandbox);
    else waiter({ sandbox, cold: false });
  }

  /** Takes a sandbox out of service and terminates it; a waiting invocation may start a new one. */
  #retire(sandbox: Sandbox): void {
    this.#forget(sandbox);
    const terminated = sandbox.terminate();
    this.#terminating.add(terminated);
    void terminated.finally(() => this.#terminating.delete(terminated));
    this.#serveQueue();
  }

  #forget(sandbox: Sandbox): void {
    this.#sandboxes.delete(sandbox);
    const index = this.#idle.indexOf(sandbox);
    if (index !== -1) this.#idle.splice(index, 1);
  }

  /** Starts workers for waiting invocations while one may start (after a worker went away, or on a check). */
  #serveQueue(): void {
    while (!this.#closed && this.#queue.length > 0 && this.#mayStart()) {
      this.#queue.shift()?.({ sandbox: this.#spawn(), cold: true });
    }
    this.#scheduleScaleCheck();
  }

  /** While invocations wait below the cap, look again once busy workers may have turned out to be waiting. */
  #scheduleScaleCheck(): void {
    if (this.#scaleTimer !== undefined || this.#closed || this.#queue.length === 0) return;
    if (this.#sandboxes.size >= this.#capacity()) return;
    this.#scaleTimer = setTimeout(() => {
      this.#scaleTimer = undefined;
      if (this.#queue.length > 0) this.#serveQueue();
    }, WAITING_AFTER_MS);
    // Never what keeps the process alive: running invocations and starting workers have their own timers.
    this.#scaleTimer.unref();
  }

  #spawn(): Sandbox {
    const config = this.#config;
    const { entry, environment, hostRewrites, initTimeoutMs } = this.#context;
    if (entry === undefined) throw new Error('worker entry not resolved yet');
    const logStreamName = newLogStreamName();
    const env = functionEnvironment(config, environment, logStreamName);
    const nodeOptions = nodeOptionsFlags(env.NODE_OPTIONS);
    if (nodeOptions.ignored.length > 0 && !this.#warnedNodeOptions) {
      this.#warnedNodeOptions = true;
      this.#platform(
        `NODE_OPTIONS flags not applied locally (workers share one process): ${nodeOptions.ignored.join(' ')}`,
      );
    }
    const sandbox = new Sandbox({
      entry,
      workerData: {
        functionName: config.name,
        functionArn: config.arn,
        handler: config.handler,
        codeDir: config.codeDir,
        memoryMb: config.memoryMb,
        logGroupName: logGroupName(config),
        logStreamName,
        hostRewrites,
      },
      env,
      execArgv: nodeOptions.execArgv,
      memoryMb: config.memoryMb,
      initTimeoutMs,
      generation: this.#generation,
      onLog: (stream, line) => this.#emit(stream, line),
      onExit: (exited) => {
        this.#forget(exited);
        this.#serveQueue();
      },
    });
    this.#sandboxes.add(sandbox);
    this.#coldStarts++;
    return sandbox;
  }

  #platform(line: string): void {
    this.#emit('platform', line);
  }

  #emit(source: LogRecord['source'], line: string): void {
    this.#context.log({ functionName: this.#config.name, source, line });
  }
}

function settle(attempt: Attempt, result: InvokeResult): void {
  if (attempt.settled) return;
  attempt.settled = true;
  clearTimeout(attempt.timer);
  attempt.resolve(result);
}

/** The caller's deadline passed before the invocation finished: tell the caller; the invocation runs on. */
function expire(attempt: Attempt, requestId: string): void {
  attempt.abandoned = true;
  attempt.cancelWait?.();
  if (attempt.settled) return;
  attempt.settled = true;
  attempt.resolve(
    failure(requestId, 'timeout', {
      errorType: 'Local.DeadlineExceeded',
      errorMessage: `RequestId: ${requestId} Error: the caller's deadline passed before the function returned`,
    }),
  );
}
