/**
 * One function's execution environments: cold starts on demand, warm reuse, concurrency limits,
 * timeouts, crash replacement, reload (generations) and idle reaping — with Lambda's log lines.
 */

import { functionEnvironment, logGroupName, newLogStreamName, newTraceId, nodeOptionsFlags } from './env';
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
  readonly initTimeoutMs: number;
  readonly log: LogSink;
}

/** An invocation's link to its caller, who may stop waiting (`InvokeOptions.deadline`). */
interface Attempt {
  abandoned: boolean;
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
    const attempt: Attempt = { abandoned: false };
    const execution = this.#execute(requestId, event, options.traceId, attempt).finally(() => {
      this.#inFlight--;
    });
    return options.deadline === undefined
      ? execution
      : withDeadline(execution, options.deadline, requestId, attempt);
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
    for (const waiter of this.#queue.splice(0)) waiter(undefined);
    for (const sandbox of [...this.#sandboxes]) this.#retire(sandbox);
    await Promise.all(this.#terminating);
  }

  async #execute(
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
    const outcome = await sandbox.run(
      { requestId, event, deadlineMs: Date.now() + timeoutMs, traceId: traceId ?? newTraceId() },
      timeoutMs,
    );
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

  /** A warm sandbox, else a new one if below the limit, else `undefined` (wait). */
  #acquire(attempt: Attempt): Acquired | undefined {
    if (this.#closed || attempt.abandoned) return undefined;
    for (let warm = this.#idle.pop(); warm !== undefined; warm = this.#idle.pop()) {
      if (warm.alive) return { sandbox: warm, cold: false };
      this.#retire(warm); // crashed while idle; its exit is on the way
    }
    if (this.#sandboxes.size < this.#capacity()) return { sandbox: this.#spawn(), cold: true };
    return undefined;
  }

  #wait(attempt: Attempt): Promise<Acquired | undefined> {
    if (this.#closed || attempt.abandoned) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#queue.push(resolve);
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

  /** Starts workers for waiting invocations while there is room (after a worker went away). */
  #serveQueue(): void {
    while (!this.#closed && this.#queue.length > 0 && this.#sandboxes.size < this.#capacity()) {
      this.#queue.shift()?.({ sandbox: this.#spawn(), cold: true });
    }
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

/** Resolves at the caller's deadline if the invocation has not finished by then; it keeps running. */
function withDeadline(
  execution: Promise<InvokeResult>,
  deadline: number,
  requestId: string,
  attempt: Attempt,
): Promise<InvokeResult> {
  return new Promise((resolve, reject) => {
    const expire = () => {
      attempt.abandoned = true;
      attempt.cancelWait?.();
      resolve(
        failure(requestId, 'timeout', {
          errorType: 'Local.DeadlineExceeded',
          errorMessage: `RequestId: ${requestId} Error: the caller's deadline passed before the function returned`,
        }),
      );
    };
    const timer = setTimeout(expire, Math.max(0, deadline - Date.now()));
    execution.then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
