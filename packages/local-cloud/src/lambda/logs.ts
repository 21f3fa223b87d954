/**
 * Log output: the default sink, Lambda's platform lines, and line assembly for worker output.
 */
import type { LogSink } from './types';

/** How a sink shows a record: one line, prefixed with the function name (outside any JSON the line holds). */
export const formatLogRecord = ({ functionName, line }: Parameters<LogSink>[0]): string =>
  `[${functionName}] ${line}`;

/**
 * Default sink of the runtime on its own: `process.stdout`, which blocks on a full pipe. The local cloud
 * passes a non-blocking one (`src/stdout-lines.ts`); the runtime's bundle stays free of dependencies.
 */
export const stdoutLogSink: LogSink = (record) => {
  process.stdout.write(`${formatLogRecord(record)}\n`);
};

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start. */
  readonly initDurationMs?: number;
  /** Set when the invocation did not end normally, as in Lambda's REPORT line. */
  readonly status?: 'timeout' | 'error';
  readonly errorType?: string;
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function reportLine(r: ReportFields): string {
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms` +
    `\tBilled Duration: ${Math.max(1, Math.ceil(r.durationMs))} ms\tMemory Size: ${r.memoryMb} MB` +
    `\tMax Memory Used: ${r.maxMemoryUsedMb} MB`;
  if (r.initDurationMs !== undefined) line += `\tInit Duration: ${r.initDurationMs.toFixed(2)} ms`;
  if (r.status !== undefined) line += `\tStatus: ${r.status}`;
  if (r.errorType !== undefined) line += `\tError Type: ${r.errorType}`;
  return line;
}

export function initReportLine(durationMs: number, status: 'timeout' | 'error', errorType: string): string {
  return `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}\tError Type: ${errorType}`;
}

export function timeoutLine(requestId: string, timeoutSeconds: number, now = new Date()): string {
  return `${now.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** Joins chunks of a stream into whole lines; a partial line waits for its newline or `flush()`. */
export class LineBuffer {
  #partial = '';

  push(text: string): string[] {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    return lines;
  }

  flush(): string | undefined {
    const rest = this.#partial;
    this.#partial = '';
    return rest === '' ? undefined : rest;
  }
}
