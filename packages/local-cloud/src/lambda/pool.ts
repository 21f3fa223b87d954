/**
 * One function's execution environments: cold starts on demand, warm reuse, concurrency limits,
 * timeouts, crash replacement, reload (generations) and idle reaping — with Lambda's log lines.
 */

import { functionEnvironment, logGroupName, newLogStreamName, nodeOptionsFlags } from './env';
import { eventBytes, REQUEST_LIMIT_BYTES, REQUEST_TOO_LARGE } from './limits';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './logs';
import type { ErrorInfo, ResultMessage } from './protocol';
import { InvocationQueue, SLOT_BYTES } from './queue';
import { type InitOutcome, Sandbox } from './sandbox';
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
  settled: boolean;
  readonly resolve: (result: InvokeResult) => void;
  /** The caller's deadline timer. */
  timer: NodeJS.Timeout | undefined;
}

/** An accepted invocation until it ends, as the host tracks it. */
interface Invocation {
  readonly requestId: string;
  readonly attempt: Attempt;
  /** The queue it is in (or waits for room in); a reload moves queued invocations to the new queue. */
  queue: InvocationQueue;
  /** Its queue position once appended; undefined while it waits in the backlog. */
  position: number | undefined;
  /**
   * The JSON payload, kept until it ends (a reload re-queues it, a full queue holds it back); as UTF-8 bytes
   * when larger than a queue slot (encoded once, for the size check and the queue).
   */
  readonly payload: string | Buffer;
  /** The function-timeout watchdog, armed when accepted and re-armed from the actual start. */
  timer: NodeJS.Timeout | undefined;
  /** START printed. */
  started: boolean;
  /** Ended (result, crash, timeout) or dropped (cancelled before it ran). */
  done: boolean;
}

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
 * While invocations wait for a worker below the cap, how often the pool looks again whether busy workers
 * now await I/O (they say so in the queue's memory, see `InvocationQueue.awaiting`) and another may start.
 */
const SCALE_CHECK_MS = 10;

/** Crashes the worker could not log itself (it was gone before it could). */
const SILENT_CRASHES = new Set(['Runtime.ExitError', 'Runtime.OutOfMemory']);

export class FunctionPool {
  #config: FunctionConfig;
  readonly #context: PoolContext;
  /** Bumped by reload: sandboxes of an older generation finish their invocation, then go. */
  #generation = 0;
  /** The current generation's queue; a reload starts a new one, so old workers never take new work. */
  #queue: InvocationQueue;
  /** Worker indexes of the current queue not in use. */
  #freeIndexes: number[];
  readonly #sandboxes = new Set<Sandbox>();
  /** Sandboxes of the current generation (taking from `#queue`). */
  #current = 0;
  /** Accepted invocations waiting for room in the queue (it holds SLOT_COUNT), FIFO before the queue. */
  readonly #backlog: Invocation[] = [];
  /** Queued and running invocations by queue position (unique across reloads: new queues continue). */
  #byPosition = new Map<number, Invocation>();
  readonly #terminating = new Set<Promise<void>>();
  /** Invocations accepted and not finished: what reserved concurrency counts. */
  #inFlight = 0;
  #coldStarts = 0;
  #closed = false;
  #warnedNodeOptions = false;
  /** Re-checks, while invocations wait for a worker, whether busy workers now wait and another may start. */
  #scaleTimer: NodeJS.Timeout | undefined;

  constructor(config: FunctionConfig, context: PoolContext) {
    this.#config = config;
    this.#context = context;
    this.#queue = new InvocationQueue(this.#capacity());
    this.#freeIndexes = this.#allIndexes();
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
    // Lambda's Invoke API takes JSON; so does the queue. Without a caller's trace id the worker makes one:
    // less work on this (the gateway's) thread.
    const { traceId } = options;
    let payload: string;
    try {
      payload = JSON.stringify(traceId === undefined ? { requestId, event } : { requestId, event, traceId });
    } catch (error) {
      return Promise.resolve(
        failure(requestId, 'error', {
          errorType: 'InvalidRequestContentException',
          errorMessage: `Could not pass the event: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    }
    // Lambda's 6 MB request limit. A payload that fits a queue slot (SLOT_BYTES UTF-16 units, so at most 3 ×
    // SLOT_BYTES bytes) is far below it: one comparison. A larger one the queue needs as bytes anyway — encoded
    // once, here, and measured.
    let queued: string | Buffer = payload;
    if (payload.length > SLOT_BYTES) {
      queued = Buffer.from(payload);
      if (eventBytes(queued.length, requestId, traceId) > REQUEST_LIMIT_BYTES) {
        return Promise.resolve(failure(requestId, 'request-too-large', REQUEST_TOO_LARGE));
      }
    }
    this.#inFlight++;
    // One promise per invocation, settled by whichever comes first — the end of the invocation or the
    // caller's deadline.
    return new Promise((resolve) => {
      const attempt: Attempt = { settled: false, resolve, timer: undefined };
      const invocation: Invocation = {
        requestId,
        attempt,
        queue: this.#queue,
        position: undefined,
        payload: queued,
        timer: undefined,
        started: false,
        done: false,
      };
      if (options.deadline !== undefined) {
        const delay = Math.max(0, options.deadline - Date.now());
        attempt.timer = setTimeout(this.#expire, delay, invocation);
      }
      // The earliest it can time out is its timeout from now; the watchdog then looks at the actual start.
      invocation.timer = setTimeout(this.#watchdog, this.#config.timeoutSeconds * 1000, invocation);
      if (this.#backlog.length === 0 && this.#queue.hasRoom) this.#append(invocation, queued);
      else this.#backlog.push(invocation);
      this.#scale();
    });
  }

  /** The next invocation loads the bundle afresh; idle workers go now, busy ones after their invocation. */
  reload(): void {
    this.#generation++;
    const previous = this.#queue;
    // Queued invocations move to the new queue (they have not started, so they run on the new code).
    const moving: Invocation[] = [];
    for (const position of previous.queued()) {
      const invocation = this.#byPosition.get(position);
      if (invocation !== undefined && previous.cancel(position)) {
        this.#byPosition.delete(position);
        moving.push(invocation);
      }
    }
    this.#queue = new InvocationQueue(this.#capacity(), previous.tail);
    this.#current = 0;
    this.#freeIndexes = this.#allIndexes();
    for (const invocation of moving) {
      invocation.queue = this.#queue;
      invocation.position = undefined;
    }
    this.#backlog.unshift(...moving);
    for (const sandbox of [...this.#sandboxes]) {
      // Busy ones go after their result (#onResult); one that just posted it is idle in a moment.
      if (sandbox.queue === this.#queue || this.#retireIfIdle(sandbox)) continue;
      if (this.#runningOn(sandbox) === undefined) this.#retireWhenIdle(sandbox);
    }
    this.#refill();
    this.#scale();
  }

  reapIdle(maxIdleMs: number): void {
    const now = performance.now();
    for (const sandbox of [...this.#sandboxes]) {
      if (!sandbox.isReady || now - sandbox.lastUsed <= maxIdleMs) continue;
      this.#retireIfIdle(sandbox);
    }
  }

  stats(): FunctionStats {
    const workers = this.#sandboxes.size;
    const queued = Math.max(0, this.#inFlight - workers);
    return {
      name: this.#config.name,
      workers,
      idle: Math.max(0, workers - this.#inFlight),
      inFlight: this.#inFlight - queued,
      queued,
      coldStarts: this.#coldStarts,
    };
  }

  /** Terminates every worker; running invocations fail as crashes, queued ones as `Local.RuntimeClosed`. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#scaleTimer);
    const closed = { errorType: 'Local.RuntimeClosed', errorMessage: 'the Lambda runtime is closed' };
    for (const invocation of this.#backlog.splice(0)) this.#drop(invocation, closed);
    for (const position of this.#queue.queued()) {
      const invocation = this.#byPosition.get(position);
      if (invocation !== undefined && this.#queue.cancel(position)) this.#drop(invocation, closed);
    }
    for (const sandbox of [...this.#sandboxes]) this.#retire(sandbox);
    await Promise.all(this.#terminating);
  }

  #append(invocation: Invocation, payload: string | Buffer): void {
    const queue = this.#queue;
    const position = queue.append(payload, (message) => {
      for (const sandbox of this.#sandboxes) if (sandbox.queue === queue) sandbox.post(message);
    });
    invocation.queue = queue;
    invocation.position = position;
    this.#byPosition.set(position, invocation);
  }

  /** Moves backlogged invocations into the queue while it has room. */
  #refill(): void {
    const backlog = this.#backlog;
    while (backlog.length > 0 && this.#queue.hasRoom) {
      const invocation = backlog.shift() as Invocation;
      this.#append(invocation, invocation.payload);
    }
  }

  /** Ends an invocation that never ran: the caller hears `error`. */
  #drop(
    invocation: Invocation,
    error: Pick<ErrorInfo, 'errorType' | 'errorMessage'> & { trace?: readonly string[] },
    kind: InvokeFailureKind = 'error',
  ): void {
    if (invocation.done) return;
    invocation.done = true;
    if (invocation.position !== undefined) this.#byPosition.delete(invocation.position);
    clearTimeout(invocation.timer);
    this.#inFlight--;
    settle(invocation.attempt, failure(invocation.requestId, kind, error));
  }

  #printStart(invocation: Invocation): void {
    if (invocation.started) return;
    invocation.started = true;
    this.#platform(startLine(invocation.requestId));
  }

  /** Ends a started invocation: its lines, its result, and what becomes of its worker. */
  #end(
    invocation: Invocation,
    sandbox: Sandbox,
    result: InvokeResult,
    durationMs: number,
    outcome?: 'timeout' | ErrorInfo,
  ): void {
    invocation.done = true;
    if (invocation.position !== undefined) this.#byPosition.delete(invocation.position);
    clearTimeout(invocation.timer);
    this.#inFlight--;
    const { requestId } = invocation;
    this.#printStart(invocation);
    sandbox.flushLogs();
    if (outcome === 'timeout') this.#platform(timeoutLine(requestId, this.#config.timeoutSeconds));
    else if (outcome !== undefined && SILENT_CRASHES.has(outcome.errorType)) {
      this.#platform(`${new Date().toISOString()} ${outcome.errorMessage}`);
      this.#platform(outcome.errorType);
    }
    this.#platform(endLine(requestId));
    const cold = sandbox.invocations === 0;
    sandbox.invocations++;
    this.#platform(
      reportLine({
        requestId,
        durationMs,
        memoryMb: this.#config.memoryMb,
        maxMemoryUsedMb: sandbox.maxMemoryUsedMb,
        initDurationMs: cold ? sandbox.initDurationMs : undefined,
        ...(outcome === 'timeout' ? { status: 'timeout' } : {}),
        ...(outcome !== undefined && outcome !== 'timeout'
          ? { status: 'error', errorType: outcome.errorType }
          : {}),
      }),
    );
    sandbox.lastUsed = performance.now();
    settle(invocation.attempt, result);
  }

  readonly #onResult = (sandbox: Sandbox, message: ResultMessage): void => {
    const invocation = this.#byPosition.get(message.position);
    if (invocation !== undefined && invocation.queue === sandbox.queue && !invocation.done) {
      sandbox.queue.taken(message.position);
      const { requestId } = invocation;
      const result: InvokeResult = message.ok
        ? { ok: true, requestId, result: message.value }
        : failure(requestId, message.responseTooLarge ? 'response-too-large' : 'error', message.error);
      this.#end(invocation, sandbox, result, message.durationMs);
    }
    if (sandbox.generation !== this.#generation) this.#retireWhenIdle(sandbox);
    this.#refill();
    this.#scale();
  };

  readonly #onLog = (
    sandbox: Sandbox,
    stream: 'stdout' | 'stderr',
    line: string,
    position: number | undefined,
  ): void => {
    if (position !== undefined) {
      const invocation = this.#byPosition.get(position);
      if (invocation !== undefined && invocation.queue === sandbox.queue) this.#printStart(invocation);
    }
    this.#emit(stream, line);
  };

  readonly #onExit = (sandbox: Sandbox, error: ErrorInfo): void => {
    this.#forget(sandbox);
    sandbox.queue.wakeLater();
    // Its index is reused only now: until the thread is gone it may still write its per-worker words.
    if (sandbox.queue === this.#queue) this.#freeIndexes.push(sandbox.index);
    const running = this.#runningOn(sandbox);
    if (running !== undefined) {
      const { invocation } = running;
      sandbox.queue.taken(invocation.position as number);
      const crash = SILENT_CRASHES.has(error.errorType)
        ? { ...error, errorMessage: `RequestId: ${invocation.requestId} ${error.errorMessage}` }
        : error;
      this.#end(
        invocation,
        sandbox,
        failure(invocation.requestId, 'crash', crash),
        Date.now() - running.startedAt,
        crash,
      );
    }
    this.#refill();
    this.#scale();
  };

  /** The function timeout: a started invocation past it ends and its worker is terminated. */
  readonly #watchdog = (invocation: Invocation): void => {
    if (invocation.done) return;
    const timeoutMs = this.#config.timeoutSeconds * 1000;
    const position = invocation.position;
    let running: { sandbox: Sandbox; startedAt: number } | undefined;
    if (position !== undefined) {
      for (const sandbox of this.#sandboxes) {
        const run = this.#runningOn(sandbox);
        if (run?.invocation === invocation) running = { sandbox, startedAt: run.startedAt };
      }
    }
    const elapsed = running === undefined ? 0 : Date.now() - running.startedAt;
    if (running === undefined || elapsed < timeoutMs) {
      invocation.timer = setTimeout(this.#watchdog, Math.max(1, timeoutMs - elapsed), invocation);
      return;
    }
    const { sandbox } = running;
    const { requestId } = invocation;
    this.#end(
      invocation,
      sandbox,
      failure(requestId, 'timeout', {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.#config.timeoutSeconds.toFixed(2)} seconds`,
      }),
      elapsed,
      'timeout',
    );
    // Nothing else stops runaway code; the next invocation is a cold start, as after a timeout in Lambda.
    this.#retire(sandbox);
  };

  /** The caller's deadline passed: tell the caller; a queued invocation never runs, a running one runs on. */
  readonly #expire = (invocation: Invocation): void => {
    const deadline = {
      errorType: 'Local.DeadlineExceeded',
      errorMessage: `RequestId: ${invocation.requestId} Error: the caller's deadline passed before the function returned`,
    };
    const backlogged = this.#backlog.indexOf(invocation);
    if (backlogged !== -1) {
      this.#backlog.splice(backlogged, 1);
      this.#drop(invocation, deadline, 'timeout');
      return;
    }
    if (
      invocation.position !== undefined &&
      !invocation.done &&
      invocation.queue.cancel(invocation.position)
    ) {
      this.#drop(invocation, deadline, 'timeout');
      return;
    }
    if (invocation.attempt.settled) return;
    invocation.attempt.settled = true;
    invocation.attempt.resolve(failure(invocation.requestId, 'timeout', deadline));
  };

  /** The invocation a worker runs, as far as the host knows: the one it took last, if not ended. */
  #runningOn(sandbox: Sandbox): { invocation: Invocation; startedAt: number } | undefined {
    const taken = sandbox.queue.lastTaken(sandbox.index);
    if (taken === undefined) return undefined;
    const invocation = this.#byPosition.get(taken.position);
    if (invocation === undefined || invocation.done || invocation.queue !== sandbox.queue) return undefined;
    return { invocation, startedAt: taken.startedAt };
  }

  /** Retires a worker if it is idle (no invocation of its own still open on the host). */
  #retireIfIdle(sandbox: Sandbox): boolean {
    if (this.#runningOn(sandbox) !== undefined || !sandbox.queue.retire(sandbox.index)) return false;
    this.#retire(sandbox);
    return true;
  }

  /** Starts workers while invocations outnumber them and one may start (`#mayStart`). */
  #scale(): void {
    // The common case on every invocation and result: no more invocations than workers.
    if (this.#inFlight <= this.#current) return;
    let current = 0;
    let draining = 0;
    for (const sandbox of this.#sandboxes) {
      if (sandbox.queue === this.#queue) current++;
      else if (this.#runningOn(sandbox) !== undefined) draining++;
    }
    // Invocations still running on workers of an older generation do not need a new one.
    const needed = this.#inFlight - draining;
    while (!this.#closed && needed > current && this.#mayStart()) {
      this.#spawn();
      current++;
    }
    this.#scheduleScaleCheck(needed > current);
  }

  /**
   * Whether another worker may start now. Below the cap, always with reserved concurrency (it throttles,
   * never queues) and up to `eagerWorkers`; beyond that only while fewer than `eagerWorkers` of the
   * workers may be computing — starting up, idle (about to take queued work), or running a handler that
   * has not yielded to its event loop since it started.
   *
   * Why: workers awaiting I/O cost no CPU, so for them the pool grows to `maxConcurrency`; workers that
   * compute share the cores with the gateway. With a 2-vCPU machine and 50 concurrent requests, 10 workers
   * running the notes `health` bundle served ≈ 25 % fewer requests than 3–4 (each isolate warms its JIT on
   * a tenth of the calls and the cores are oversubscribed), and a trivial handler cost ≈ 20 % more CPU per
   * request on 4–7 workers than on 1–2 (more threads to wake, each with its own cold caches and GC). A
   * worker merely descheduled mid-invocation is not waiting: that is why the worker's own word counts, not
   * how long the invocation has run.
   */
  #mayStart(): boolean {
    if (this.#freeIndexes.length === 0) return false;
    let size = 0;
    for (const sandbox of this.#sandboxes) if (sandbox.queue === this.#queue) size++;
    if (size >= this.#capacity()) return false;
    const eager = this.#context.eagerWorkers;
    if (size < eager || this.#config.reservedConcurrency !== undefined) return true;
    let computing = 0;
    for (const sandbox of this.#sandboxes) {
      if (sandbox.queue !== this.#queue) continue;
      if (this.#runningOn(sandbox) === undefined || !sandbox.queue.awaiting(sandbox.index)) computing++;
    }
    return computing < eager;
  }

  #capacity(): number {
    return Math.max(1, this.#config.reservedConcurrency ?? this.#context.maxConcurrency);
  }

  #allIndexes(): number[] {
    return Array.from({ length: this.#capacity() }, (_, i) => this.#capacity() - 1 - i);
  }

  /** Retires a worker of an older generation as soon as it has posted its result and gone idle. */
  #retireWhenIdle(sandbox: Sandbox): void {
    if (!this.#sandboxes.has(sandbox)) return;
    if (sandbox.queue.retire(sandbox.index)) this.#retire(sandbox);
    else setTimeout(() => this.#retireWhenIdle(sandbox), 1);
  }

  /** Takes a sandbox out of service and terminates it. */
  #retire(sandbox: Sandbox): void {
    this.#forget(sandbox);
    sandbox.queue.wakeLater();
    const terminated = sandbox.terminate();
    this.#terminating.add(terminated);
    void terminated.finally(() => this.#terminating.delete(terminated));
  }

  #forget(sandbox: Sandbox): void {
    if (this.#sandboxes.delete(sandbox) && sandbox.queue === this.#queue) this.#current--;
  }

  /** While invocations wait below the cap, look again once busy workers may have turned out to be waiting. */
  #scheduleScaleCheck(waiting: boolean): void {
    if (!waiting || this.#scaleTimer !== undefined || this.#closed) return;
    this.#scaleTimer = setTimeout(() => {
      this.#scaleTimer = undefined;
      this.#scale();
    }, SCALE_CHECK_MS);
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
    const queue = this.#queue;
    const index = this.#freeIndexes.pop() as number;
    queue.resetWorker(index);
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
        timeoutMs: config.timeoutSeconds * 1000,
        queue: queue.memory,
        workerIndex: index,
        largePayloads: [...queue.largePayloads],
      },
      env,
      execArgv: nodeOptions.execArgv,
      memoryMb: config.memoryMb,
      initTimeoutMs,
      generation: this.#generation,
      queue,
      onLog: this.#onLog,
      onResult: this.#onResult,
      onExit: this.#onExit,
    });
    this.#sandboxes.add(sandbox);
    this.#current++;
    this.#coldStarts++;
    void sandbox.ready.then((init) => this.#initialized(sandbox, init));
    return sandbox;
  }

  /**
   * A failed init fails the oldest invocation still queued — the one the cold start was for, as Lambda
   * fails the invocation whose init failed — and the next one starts a new worker.
   */
  #initialized(sandbox: Sandbox, init: InitOutcome): void {
    if (init.ok) return;
    if (init.kind === 'crash' && !this.#sandboxes.has(sandbox) && init.error.errorType === 'Local.Terminated')
      return;
    const status = init.kind === 'timeout' ? 'timeout' : 'error';
    this.#platform(initReportLine(sandbox.initDurationMs, status, init.error.errorType));
    this.#retire(sandbox);
    let invocation: Invocation | undefined;
    for (const position of sandbox.queue.queued()) {
      const queued = this.#byPosition.get(position);
      if (queued !== undefined && sandbox.queue.cancel(position)) {
        invocation = queued;
        break;
      }
    }
    invocation ??= sandbox.queue === this.#queue ? this.#backlog.shift() : undefined;
    if (invocation !== undefined) this.#drop(invocation, init.error, init.kind);
    this.#refill();
    this.#scale();
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
