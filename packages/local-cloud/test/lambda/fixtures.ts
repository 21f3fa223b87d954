/**
 * Test helpers: tiny function bundles written to temp folders, function configs, a collecting log sink,
 * and runtimes that are always closed after each test (no worker outlives its test).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { FunctionConfig, LambdaRuntimeOptions, LogRecord } from '../../src/lambda';
import { LambdaRuntime } from '../../src/lambda';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export function fnConfig(
  name: string,
  codeDir: string,
  overrides: Partial<FunctionConfig> = {},
): FunctionConfig {
  return {
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    handler: 'index.handler',
    codeDir,
    runtime: 'nodejs22.x',
    environment: {},
    timeoutSeconds: 3,
    memoryMb: 128,
    region: REGION,
    accountId: ACCOUNT,
    ...overrides,
  };
}

export class LogCollector {
  readonly records: LogRecord[] = [];
  readonly sink = (record: LogRecord): void => {
    this.records.push(record);
  };

  lines(functionName?: string, source?: LogRecord['source']): string[] {
    return this.records
      .filter(
        (r) =>
          (functionName === undefined || r.functionName === functionName) &&
          (source === undefined || r.source === source),
      )
      .map((r) => r.line);
  }
}

/** Per test file: `bundle()` writes a code folder, `runtime()` starts a runtime closed after the test. */
export function lambdaTestbed() {
  const dirs: string[] = [];
  const runtimes: LambdaRuntime[] = [];

  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
  });
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  return {
    /** Writes `{ 'index.mjs': '…' }` (paths may contain folders) into a new temp folder. */
    async bundle(files: Record<string, string>): Promise<string> {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'local-cloud-lambda-'));
      dirs.push(dir);
      await writeFiles(dir, files);
      return dir;
    },
    runtime(options: LambdaRuntimeOptions = {}): { runtime: LambdaRuntime; logs: LogCollector } {
      const logs = new LogCollector();
      const runtime = new LambdaRuntime({ logSink: logs.sink, ...options });
      runtimes.push(runtime);
      return { runtime, logs };
    },
  };
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

/** Narrows an invoke result for assertions, failing loudly with the actual result otherwise. */
export function expectOk<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

export function expectFailure<T extends { ok: boolean }>(result: T): Extract<T, { ok: false }> {
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: false }>;
}
