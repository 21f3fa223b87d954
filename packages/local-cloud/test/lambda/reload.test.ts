import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { expectFailure, expectOk, fnConfig, lambdaTestbed, writeFiles } from './fixtures';

const bed = lambdaTestbed();

const version = (v: string) =>
  `let count = 0; export const handler = async () => ({ version: '${v}', count: ++count });`;

describe('reload', () => {
  it('drops module state and loads the new bundle on the next invocation', async () => {
    const dir = await bed.bundle({ 'index.mjs': version('v1') });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('app', dir)] });
    await runtime.invoke('app', {});
    expect(expectOk(await runtime.invoke('app', {})).result).toEqual({ version: 'v1', count: 2 });

    await writeFile(path.join(dir, 'index.mjs'), version('v2'));
    runtime.reload('app');

    expect(expectOk(await runtime.invoke('app', {}, { requestId: 'after' })).result).toEqual({
      version: 'v2',
      count: 1,
    });
    expect(logs.lines('app', 'platform').find((l) => l.startsWith('REPORT RequestId: after'))).toContain(
      'Init Duration',
    );
    expect(() => runtime.reload('missing')).toThrow(/no function named missing/);
  });

  it('lets an invocation in flight finish on the old code (drain)', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 80)); return 'old'; };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('drain', dir)] });
    await runtime.invoke('drain', {});

    const inFlight = runtime.invoke('drain', {});
    await vi.waitFor(() => expect(runtime.stats()[0]?.idle).toBe(0));
    await writeFile(path.join(dir, 'index.mjs'), `export const handler = async () => 'new';`);
    runtime.reload('drain');

    expect(expectOk(await inFlight).result).toBe('old');
    expect(expectOk(await runtime.invoke('drain', {})).result).toBe('new');
    expect(runtime.stats()[0]).toMatchObject({ workers: 1, coldStarts: 2 });
  });

  it('watches code folders and reloads only the functions whose code changed', async () => {
    const changing = await bed.bundle({ 'index.mjs': version('v1') });
    const stable = await bed.bundle({ 'index.mjs': version('stable') });
    const { runtime, logs } = bed.runtime({
      functions: [
        fnConfig('changing', changing),
        fnConfig('same-dir', changing, { handler: 'index.handler' }),
        fnConfig('stable', stable),
      ],
      watch: { debounceMs: 20 },
    });
    await Promise.all(['changing', 'same-dir', 'stable'].map((name) => runtime.invoke(name, {})));

    await writeFile(path.join(changing, 'index.mjs'), version('v2'));

    await vi.waitFor(async () =>
      expect(expectOk(await runtime.invoke('changing', {})).result).toMatchObject({ version: 'v2' }),
    );
    expect(expectOk(await runtime.invoke('same-dir', {})).result).toEqual({ version: 'v2', count: 1 });
    expect(expectOk(await runtime.invoke('stable', {})).result).toEqual({ version: 'stable', count: 2 });
    expect(logs.lines('changing', 'platform')).toContain(
      `code changed in ${changing}: reloaded, the next invocation starts cold`,
    );
  });

  it('keeps watching a folder that a build deletes and recreates', async () => {
    const dir = await bed.bundle({ 'index.mjs': version('v1') });
    const { runtime } = bed.runtime({ functions: [fnConfig('rebuilt', dir)], watch: { debounceMs: 20 } });
    await runtime.invoke('rebuilt', {});

    await rm(dir, { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await writeFiles(dir, { 'index.mjs': version('v2') });

    await vi.waitFor(
      async () =>
        expect(expectOk(await runtime.invoke('rebuilt', {})).result).toMatchObject({ version: 'v2' }),
      {
        timeout: 2000,
      },
    );
    // Still watched after the recreation.
    await writeFile(path.join(dir, 'index.mjs'), version('v3'));
    await vi.waitFor(async () =>
      expect(expectOk(await runtime.invoke('rebuilt', {})).result).toMatchObject({ version: 'v3' }),
    );
  });
});

describe('update', () => {
  it('adds, removes and reloads only what changed', async () => {
    const dir = await bed.bundle({
      'index.mjs': `let n = 0; export const handler = async () => ({ n: ++n, mode: process.env.MODE });`,
    });
    const a = fnConfig('a', dir, { environment: { MODE: 'one' } });
    const b = fnConfig('b', dir);
    const { runtime } = bed.runtime({ functions: [a, b] });
    await runtime.invoke('a', {});
    await runtime.invoke('b', {});

    const summary = runtime.update({
      functions: [{ ...a, environment: { MODE: 'two' } }, { ...b }, fnConfig('c', dir)],
    });

    expect(summary).toEqual({ added: ['c'], removed: [], reloaded: ['a'] });
    expect(expectOk(await runtime.invoke('a', {})).result).toEqual({ n: 1, mode: 'two' });
    expect(expectOk(await runtime.invoke('b', {})).result).toEqual({ n: 2 });
    expect(expectOk(await runtime.invoke('c', {})).ok).toBe(true);

    expect(runtime.update({ functions: [a] })).toEqual({ added: [], removed: ['b', 'c'], reloaded: ['a'] });
    expect(expectFailure(await runtime.invoke('b', {})).errorType).toBe('ResourceNotFoundException');
  });

  it('reloads every function when the shared environment or host rewrites change', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => process.env.AWS_ENDPOINT_URL_DYNAMODB ?? null;`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('a', dir), fnConfig('b', dir)] });
    expect(expectOk(await runtime.invoke('a', {})).result).toBeNull();

    expect(
      runtime.update({ environment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' } }).reloaded,
    ).toEqual(['a', 'b']);
    expect(expectOk(await runtime.invoke('a', {})).result).toBe('http://127.0.0.1:8000');
    expect(
      runtime.update({ environment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' } }).reloaded,
    ).toEqual([]);
    expect(runtime.update({ hostRewrites: [{ host: /x/, target: 'http://127.0.0.1:1' }] }).reloaded).toEqual([
      'a',
      'b',
    ]);
    expect(runtime.update({ hostRewrites: [{ host: /y/, target: 'http://127.0.0.1:1' }] }).reloaded).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('idle workers', () => {
  it('are reaped after the idle timeout; the next invocation is a cold start', async () => {
    const dir = await bed.bundle({ 'index.mjs': version('v1') });
    const { runtime } = bed.runtime({ functions: [fnConfig('idle', dir)], idleTimeoutMs: 40 });
    await runtime.invoke('idle', {});
    expect(runtime.stats()[0]?.workers).toBe(1);

    await vi.waitFor(() => expect(runtime.stats()[0]?.workers).toBe(0));

    expect(expectOk(await runtime.invoke('idle', {})).result).toEqual({ version: 'v1', count: 1 });
  });

  it('close() terminates everything; later invocations fail clearly', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { console.log('running'); return new Promise(() => {}); };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('forever', dir)] });
    const running = runtime.invoke('forever', {});
    // Started, not just queued (a queued invocation fails as Local.RuntimeClosed instead).
    await vi.waitFor(() => expect(logs.lines('forever', 'stdout').join()).toContain('running'));

    await runtime.close();

    expect(expectFailure(await running)).toMatchObject({ kind: 'crash', errorType: 'Local.Terminated' });
    expect(expectFailure(await runtime.invoke('forever', {}))).toMatchObject({
      errorType: 'Local.RuntimeClosed',
    });
    expect(runtime.stats()[0]?.workers).toBe(0);
  });
});
