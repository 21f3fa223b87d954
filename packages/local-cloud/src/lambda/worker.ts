/**
 * Worker bootstrap: the code each function worker runs — the local counterpart of Lambda's Node.js
 * runtime. Order matters: capture output, then route local hosts (network bootstrap), then import the
 * handler, then serve invocations one at a time.
 *
 * Runs as `dist/lambda-worker.js` when built, or as the same ESM bundle in a temp file when the runtime runs
 * from TypeScript source (see worker-entry.ts).
 */
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { newTraceId } from './env';
import { type Handler, loadHandler, runHandler } from './handler';
import { oversizedResult, RESPONSE_TOO_LARGE } from './limits';
import { installHostRewrites } from './network';
import {
  type ErrorInfo,
  type HostMessage,
  type InvokePayload,
  toErrorInfo,
  type WorkerData,
  type WorkerMessage,
} from './protocol';
import { QueueConsumer, type TakenInvocation } from './queue';

function requireParentPort(): MessagePort {
  if (parentPort === null) throw new Error('the Lambda worker bootstrap must run in a worker thread');
  return parentPort;
}

const port = requireParentPort();
const data = workerData as WorkerData;
const post = (message: WorkerMessage) => port.postMessage(message);

/** The request id console lines are tagged with; Lambda prints `undefined` during init. */
let currentRequestId: string | undefined;
/** Queue position of the running invocation: output is tagged with it, so the host can print START first. */
let currentPosition: number | undefined;

/** All output of this worker goes to the host over the port, in order with results. */
function captureStream(stream: 'stdout' | 'stderr'): void {
  const target = process[stream];
  target.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk as Uint8Array).toString(
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          );
    post(
      currentPosition === undefined
        ? { type: 'log', stream, text }
        : { type: 'log', stream, text, position: currentPosition },
    );
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => done());
    return true;
  }) as typeof target.write;
}

/**
 * Lambda's Node.js runtime (text log format) prefixes console lines with timestamp, request id and level,
 * and turns newlines into carriage returns so one call stays one log event. Loggers that write to
 * process.stdout themselves (Powertools) are untouched: their JSON lines stay intact.
 */
function patchConsole(): void {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels) as [keyof typeof levels, string][]) {
    const stream = level === 'WARN' || level === 'ERROR' ? process.stderr : process.stdout;
    console[method] = (...args: unknown[]) => {
      const message = format(...args).replaceAll('\n', '\r');
      stream.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
    };
  }
}

function logError(label: string, error: ErrorInfo): void {
  console.error(
    `${label} \t${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace })}`,
  );
}

/** Report the error for the current invocation, then let the host replace this worker. */
function crash(error: ErrorInfo): void {
  logError('Uncaught Exception', error);
  post({ type: 'crash', error });
  process.exit(129);
}

const MB = 1024 * 1024;
function heapMb(): number {
  const heap = getHeapStatistics();
  return Math.ceil((heap.total_heap_size + heap.external_memory) / MB);
}

async function invoke(handler: Handler, taken: TakenInvocation): Promise<void> {
  const { position } = taken;
  const started = performance.now();
  const deadlineMs = Date.now() + data.timeoutMs;
  let message: InvokePayload;
  try {
    message = JSON.parse(taken.payload) as InvokePayload;
  } catch (thrown) {
    const error = toErrorInfo(thrown);
    post({ type: 'result', position, ok: false, error, memoryMb: heapMb(), durationMs: 0 });
    return;
  }
  currentRequestId = message.requestId;
  currentPosition = position;
  process.env._X_AMZN_TRACE_ID = message.traceId ?? newTraceId();
  let value: unknown;
  try {
    value = await runHandler(handler, message.event, {
      functionName: data.functionName,
      functionArn: data.functionArn,
      memoryMb: data.memoryMb,
      logGroupName: data.logGroupName,
      logStreamName: data.logStreamName,
      requestId: message.requestId,
      deadlineMs,
    });
  } catch (thrown) {
    const error = toErrorInfo(thrown);
    logError('Invoke Error', error);
    currentPosition = undefined;
    post({
      type: 'result',
      position,
      ok: false,
      error,
      memoryMb: heapMb(),
      durationMs: performance.now() - started,
    });
    return;
  }
  const durationMs = performance.now() - started;
  // Lambda's 6 MB response limit: the runtime's post of the result is refused and the invocation fails.
  if (oversizedResult(value) !== undefined) {
    // What Lambda's Node.js runtime prints when the Runtime API refuses the result (as seen in published logs).
    console.error('LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413.');
    currentPosition = undefined;
    const error = { ...RESPONSE_TOO_LARGE, trace: [] };
    post({
      type: 'result',
      position,
      ok: false,
      error,
      responseTooLarge: true,
      memoryMb: heapMb(),
      durationMs,
    });
    return;
  }
  currentPosition = undefined;
  try {
    post({ type: 'result', position, ok: true, value: value ?? null, memoryMb: heapMb(), durationMs });
  } catch {
    // Not structured-cloneable (functions, class instances with toJSON…): Lambda's own encoding is JSON.
    try {
      post({
        type: 'result',
        position,
        ok: true,
        value: JSON.parse(JSON.stringify(value)) ?? null,
        memoryMb: heapMb(),
        durationMs,
      });
    } catch (thrown) {
      const error = toErrorInfo(thrown);
      post({
        type: 'result',
        position,
        ok: false,
        error: { ...error, errorType: 'Runtime.MarshalError' },
        memoryMb: heapMb(),
        durationMs,
      });
    }
  }
}

/** Invocations in a row before the loop yields to the event loop (timers, I/O) even with more queued. */
const YIELD_EVERY = 32;

/** Takes invocations from the function's queue one at a time, for as long as the worker lives. */
async function serve(handler: Handler, queue: QueueConsumer): Promise<void> {
  let inARow = 0;
  /** Between take and finish. */
  let running = false;
  let turnScheduled = false;
  // Runs when this worker's event loop next gets a turn. An invocation still running then has yielded: its
  // handler awaits I/O or a timer. The host is told (it may start another worker: this one takes no CPU) and
  // a sleeping worker is woken for whatever still waits in the queue. A handler that answers at once never
  // yields, and this worker takes the next invocation itself: no thread woken for nothing.
  const onTurn = (): void => {
    turnScheduled = false;
    if (!running) return;
    queue.awaiting = true;
    queue.wakeAnother();
  };
  for (;;) {
    const taken = queue.take();
    if (taken === undefined) {
      if (queue.retired) return; // the host terminates this worker
      inARow = 0;
      await queue.wait();
      continue;
    }
    running = true;
    if (!turnScheduled) {
      turnScheduled = true;
      setImmediate(onTurn);
    }
    await invoke(handler, taken);
    running = false;
    queue.awaiting = false;
    queue.finish();
    if (++inARow === YIELD_EVERY) {
      inARow = 0;
      await new Promise(setImmediate);
    }
  }
}

async function main(): Promise<void> {
  captureStream('stdout');
  captureStream('stderr');
  patchConsole();
  process.on('uncaughtException', (error) => crash(toErrorInfo(error)));
  process.on('unhandledRejection', (reason) => {
    const { errorType, errorMessage, trace } = toErrorInfo(reason);
    crash({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: reason instanceof Error ? `${errorType}: ${errorMessage}` : errorMessage,
      trace,
    });
  });
  installHostRewrites(data.hostRewrites);

  const loaded = await loadHandler(data.codeDir, data.handler);
  if (!loaded.ok) {
    logError('Uncaught Exception', loaded.error);
    post({ type: 'init-error', error: loaded.error });
    return;
  }
  const { handler } = loaded;
  const queue = new QueueConsumer(
    data.queue,
    data.workerIndex,
    () => {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        onHostMessage(m.message as HostMessage);
      }
    },
    data.largePayloads,
  );
  const onHostMessage = (message: HostMessage): void => {
    if (message.type === 'payload') queue.addLargePayload(message);
  };
  // Also what keeps this worker's event loop alive while it waits for work.
  port.on('message', onHostMessage);
  post({ type: 'ready' });
  void serve(handler, queue);
}

void main();
