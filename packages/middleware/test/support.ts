/**
 * Test helpers of this package: captured events, capture of what the function prints, a cold module
 * scope. The fake Lambda context and event builders are the testing entry (`../src/testing`).
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, vi } from 'vitest';

/** A fresh copy of a captured event from test/fixtures (tests mutate their copy freely). */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/**
 * A realistic RS256 JWT (header.payload.signature, base64url) — the kind of string that must never
 * appear in a log line. The test data is made up; only its shape matters.
 */
export const JWT =
  'eyJraWQiOiJ0ZXN0LWtleSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJkMmY1MDQ0NC0wMDQxLTcwMzYtYWVhMi1hOTU1ZmNhMzNkMzciLCJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2lnbmF0dXJlLW5vdC1yZWFsbHktc2lnbmVkLWJ1dC1sb25nLWVub3VnaC10by1sb29rLXJlYWw';

export type LogLine = Record<string, unknown>;

export interface Captured {
  /** Everything written to stdout and stderr, as one string. */
  readonly text: () => string;
  /** The JSON lines (Powertools logs and EMF), in order; non-JSON lines are skipped. */
  readonly lines: () => LogLine[];
  /** Structured log lines (those with a `level`). */
  readonly logs: () => LogLine[];
  /** EMF lines (those with `_aws.CloudWatchMetrics`). */
  readonly emf: () => LogLine[];
  /** Whatever went to stderr only (warnings, errors, noise). */
  readonly stderr: () => string;
}

/**
 * Captures process.stdout/stderr writes of every test of the file; call it at the top level, it registers
 * its own hooks. Powertools' Logger and Metrics write JSON lines through their own `Console` over these
 * streams, so spying on `write` sees exactly what CloudWatch would receive. After each test, its spies
 * and stubbed environment variables (`loadFresh`) are undone.
 */
export function captureOutput(): Captured {
  let out: string[] = [];
  let err: string[] = [];
  const recorder = (sink: () => string[]) =>
    ((chunk: string | Uint8Array) => {
      sink().push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  beforeEach(() => {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(recorder(() => out));
    vi.spyOn(process.stderr, 'write').mockImplementation(recorder(() => err));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  const text = () => [...out, ...err].join('');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return {
    text,
    lines,
    logs: () => lines().filter((line) => 'level' in line),
    emf: () => lines().filter((line) => typeof line._aws === 'object'),
    stderr: () => err.join(''),
  };
}

export type Middleware = typeof import('../src/index');

/**
 * The package as a cold Lambda would load it: fresh module scope, so fresh Powertools singletons that
 * read `env` at creation (log level, tracing switches, cold start). Node-loaded dependencies stay
 * cached, which is what an execution environment does too.
 */
export async function loadFresh(env: Record<string, string> = {}): Promise<Middleware> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('../src/index');
}
