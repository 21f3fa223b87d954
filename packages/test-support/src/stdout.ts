/**
 * Keeps what the code under test prints (Powertools' JSON logs, EMF metrics) out of the test output and
 * available to assertions. Call it at the top level of a test file: it registers its own hooks.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedStdout {
  /** The chunks written to stdout since the current test began. */
  readonly chunks: readonly string[];
  /** The JSON log lines printed since the current test began that carry `message`, parsed, in order. */
  logged(message: string): Record<string, unknown>[];
}

export function captureStdout(): CapturedStdout {
  let chunks: string[] = [];
  beforeEach(() => {
    chunks = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    get chunks() {
      return chunks;
    },
    logged: (message) =>
      chunks
        .flatMap((chunk) => chunk.split('\n'))
        .filter((line) => line.includes(`"${message}"`))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
