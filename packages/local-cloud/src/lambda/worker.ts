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
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { newTraceId } from './env';
import { type Handler, loadHandler, runHandler } from './handler';
import { installHostRewrites } from './network';
import {
  type ErrorInfo,
  type InvokeMessage,
  toErrorInfo,
  type WorkerData,
  type WorkerMessage,
} from './protocol';

function requireParentPort(): MessagePort {
  if (parentPort === null) throw new Error('the Lambda worker bootstrap must run in a worker thread');
  return parentPort;
}

const port = requireParentPort();
const data = workerData as WorkerData;
const post = (message: WorkerMessage) => port.postMessage(message);

/** The request id console lines are tagged with; Lambda prints `undefined` during init. */
let currentRequestId: string | undefined;

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
    post({ type: 'log', stream, text });
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

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequestId = message.requestId;
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
      deadlineMs: message.deadlineMs,
    });
  } catch (thrown) {
    const error = toErrorInfo(thrown);
    logError('Invoke Error', error);
    post({ type: 'result', ok: false, error, memoryMb: heapMb() });
    return;
  }
  try {
    post({ type: 'result', ok: true, value: value ?? null, memoryMb: heapMb() });
  } catch {
    // Not structured-cloneable (functions, class instances with toJSON…): Lambda's own encoding is JSON.
    try {
      post({
        type: 'result',
        ok: true,
        value: JSON.parse(JSON.stringify(value)) ?? null,
        memoryMb: heapMb(),
      });
    } catch (thrown) {
      const error = toErrorInfo(thrown);
      post({
        type: 'result',
        ok: false,
        error: { ...error, errorType: 'Runtime.MarshalError' },
        memoryMb: heapMb(),
      });
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
  port.on('message', (message: InvokeMessage) => void invoke(handler, message));
  post({ type: 'ready' });
}

void main();
