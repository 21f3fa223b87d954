/**
 * The local cloud's own output — progress, the start summary, access-log lines, function logs — written
 * to stdout without ever blocking the event loop.
 *
 * Why not `console.log`: on Linux, Node writes to a pipe synchronously. When whatever reads our stdout
 * falls behind (a test harness reading late, `| less`, a slow terminal), every write would stall the one
 * thread that runs both gateways, and every in-flight request with it — a load test saw timeouts that
 * were only a full pipe. SonicBoom (pino's writer) queues the lines and writes them with asynchronous
 * `fs.write` calls, batching whatever piled up during the previous write.
 *
 * The queue is bounded: past `maxBufferedBytes` new lines are dropped and counted, and the count is
 * printed as soon as the reader catches up. A stalled reader costs log lines, never requests or memory.
 */
import SonicBoom from 'sonic-boom';

export interface LineOutput {
  /** Queues one line (a newline is added). */
  line(text: string): void;
  /** Resolves once everything queued so far is written, in order. */
  flush(): Promise<void>;
  /**
   * Writes whatever is queued before returning — the last resort in an `exit` handler, where nothing
   * asynchronous runs any more. Prefer {@link flush}: a write still in flight finishes on its own and may
   * land after what this writes.
   */
  flushSync(): void;
}

export interface LineOutputOptions {
  /** @default 1 (stdout) */
  readonly fd?: number;
  /** Queued output above which new lines are dropped. @default 16 MiB */
  readonly maxBufferedBytes?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** A non-blocking line writer on a file descriptor. */
export function nonBlockingLines(options: LineOutputOptions = {}): LineOutput {
  const boom = new SonicBoom({
    fd: options.fd ?? 1,
    sync: false,
    maxLength: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
  });
  // Lines dropped since the last notice. SonicBoom emits 'drop' synchronously inside `write`.
  let unreported = 0;
  boom.on('drop', () => {
    unreported += 1;
  });
  // A closed reader (EPIPE) must not crash the local cloud: the output is lost, the service goes on.
  boom.on('error', () => undefined);

  return {
    line(text) {
      const pending = unreported;
      boom.write(`${text}\n`);
      // This line got through, so the reader caught up: say what was lost before it.
      if (pending > 0 && unreported === pending) {
        unreported = 0;
        boom.write(`local-cloud: ${pending} output line(s) dropped: stdout was not read fast enough\n`);
      }
    },
    flush() {
      // An error (EPIPE) also settles the flush: output nobody reads is not worth waiting for.
      return new Promise((resolve) => boom.flush(() => resolve()));
    },
    flushSync() {
      try {
        boom.flushSync();
      } catch {
        // Nothing left to do with output nobody reads (EPIPE, closed descriptor).
      }
    },
  };
}

let shared: LineOutput | undefined;

/**
 * The process's stdout writer, shared by every default sink so that lines keep their order. Flushed on
 * exit, so lines queued just before `process.exit` are not lost.
 */
export function stdoutLines(): LineOutput {
  if (!shared) {
    const output = nonBlockingLines();
    process.once('exit', () => output.flushSync());
    shared = output;
  }
  return shared;
}
