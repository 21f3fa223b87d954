import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { expectFailure, expectOk, fnConfig, lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();

/** Module state shows whether a call ran in a fresh worker. */
const COUNTING = `let count = 0;`;

describe('timeouts', () => {
  it('terminates a runaway worker; the next invocation is a cold start with fresh module state', async () => {
    const dir = await bed.bundle({
      'index.mjs': `${COUNTING}
        export const handler = async (event) => {
          count++;
          if (event.spin) for (;;) {}
          return count;
        };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('spin', dir, { timeoutSeconds: 0.2 })] });
    expect(expectOk(await runtime.invoke('spin', {})).result).toBe(1);

    const started = performance.now();
    const failure = expectFailure(await runtime.invoke('spin', { spin: true }, { requestId: 'req-spin' }));

    expect(performance.now() - started).toBeLessThan(1000);
    expect(failure).toEqual({
      ok: false,
      requestId: 'req-spin',
      kind: 'timeout',
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: req-spin Error: Task timed out after 0.20 seconds',
    });
    expect(logs.lines('spin', 'platform')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z req-spin Task timed out after 0.20 seconds$/),
        'END RequestId: req-spin',
        expect.stringMatching(/^REPORT RequestId: req-spin\t.*\tStatus: timeout$/),
      ]),
    );
    await vi.waitFor(() => expect(runtime.stats()[0]?.workers).toBe(0));

    expect(expectOk(await runtime.invoke('spin', {}, { requestId: 'req-after' })).result).toBe(1);
    expect(logs.lines('spin', 'platform').find((l) => l.startsWith('REPORT RequestId: req-after'))).toContain(
      'Init Duration',
    );
  });

  it("resolves at the caller's deadline while the function runs on to its own end", async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 150)); return 'late'; };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('slow', dir)] });
    await runtime.invoke('slow', {}); // warm

    const started = performance.now();
    const failure = expectFailure(
      await runtime.invoke('slow', {}, { requestId: 'r-deadline', deadline: Date.now() + 30 }),
    );

    expect(performance.now() - started).toBeLessThan(120);
    expect(failure).toMatchObject({ kind: 'timeout', errorType: 'Local.DeadlineExceeded' });
    await vi.waitFor(() => expect(logs.lines('slow', 'platform')).toContain('END RequestId: r-deadline'));
    expect(runtime.stats()[0]).toMatchObject({ workers: 1, idle: 1 });
  });
});

describe('crash isolation', () => {
  const CRASHY = `${COUNTING}
    export const handler = async (event) => {
      count++;
      switch (event.mode) {
        case 'async-throw':
          setTimeout(() => { throw new TypeError('thrown from a timer'); }, 5);
          return new Promise(() => {});
        case 'exit':
          process.exit(3);
        case 'reject':
          Promise.reject(new Error('nobody listens'));
          return new Promise(() => {});
        case 'throw-after-return':
          setTimeout(() => { throw new Error('after the response'); }, 20);
          return 'answered';
        default:
          return count;
      }
    };`;

  it.each([
    ['async-throw', 'TypeError', 'thrown from a timer'],
    ['exit', 'Runtime.ExitError', 'RequestId: r-exit Error: Runtime exited with error: exit status 3'],
    ['reject', 'Runtime.UnhandledPromiseRejection', 'Error: nobody listens'],
  ])(
    '%s fails only that invocation, as a crash; a concurrent call of another function succeeds',
    async (mode, errorType, errorMessage) => {
      const crashy = await bed.bundle({ 'index.mjs': CRASHY });
      const steady = await bed.bundle({
        'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 50)); return 'fine'; };`,
      });
      const { runtime, logs } = bed.runtime({
        functions: [fnConfig('crashy', crashy), fnConfig('steady', steady)],
      });
      await Promise.all([runtime.invoke('crashy', {}), runtime.invoke('steady', {})]); // both warm

      const [crashed, other] = await Promise.all([
        runtime.invoke('crashy', { mode }, { requestId: `r-${mode}` }),
        runtime.invoke('steady', {}),
      ]);

      expect(expectFailure(crashed)).toMatchObject({ kind: 'crash', errorType, errorMessage });
      expect(expectOk(other).result).toBe('fine');
      expect(logs.lines('crashy', 'platform')).toContainEqual(
        expect.stringMatching(
          new RegExp(`^REPORT RequestId: r-${mode}\\t.*\\tStatus: error\\tError Type: ${errorType}$`),
        ),
      );
      // The crashed worker is replaced: fresh module state.
      expect(expectOk(await runtime.invoke('crashy', {})).result).toBe(1);
      expect(runtime.stats().find((s) => s.name === 'steady')?.coldStarts).toBe(1);
    },
  );

  it('replaces a worker that crashes while idle, without failing any invocation', async () => {
    const dir = await bed.bundle({ 'index.mjs': CRASHY });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('crashy', dir)] });

    expect(expectOk(await runtime.invoke('crashy', { mode: 'throw-after-return' })).result).toBe('answered');
    await vi.waitFor(() => expect(runtime.stats()[0]?.workers).toBe(0));

    expect(
      logs
        .lines('crashy', 'stderr')
        .some((l) => l.includes('Uncaught Exception') && l.includes('after the response')),
    ).toBe(true);
    expect(expectOk(await runtime.invoke('crashy', {})).result).toBe(1);
  });

  it('turns running out of heap into Runtime.OutOfMemory, and the host survives', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { const hog = []; for (;;) hog.push(new Array(1e5).fill(hog.length)); };`,
    });
    const { runtime } = bed.runtime({
      functions: [fnConfig('hog', dir, { memoryMb: 32, timeoutSeconds: 10 })],
    });

    expect(expectFailure(await runtime.invoke('hog', {}))).toMatchObject({
      kind: 'crash',
      errorType: 'Runtime.OutOfMemory',
    });
  });
});

describe('init errors', () => {
  it.each([
    [
      'module scope throws',
      { 'index.mjs': `throw new RangeError('TABLE_NAME is not set');` },
      'index.handler',
      'RangeError',
      'TABLE_NAME is not set',
    ],
    [
      'missing dependency',
      { 'index.mjs': `import 'left-pad-that-is-not-installed';\nexport const handler = () => 1;` },
      'index.handler',
      'Runtime.ImportModuleError',
      "Cannot find package 'left-pad-that-is-not-installed'",
    ],
    [
      'missing module file',
      { 'other.mjs': 'export const handler = () => 1;' },
      'index.handler',
      'Runtime.ImportModuleError',
      "Error: Cannot find module 'index'",
    ],
    [
      'syntax error',
      { 'index.mjs': 'export const handler = () => {' },
      'index.handler',
      'Runtime.UserCodeSyntaxError',
      'SyntaxError: ',
    ],
    [
      'handler not exported',
      { 'index.mjs': 'export const other = () => 1;' },
      'index.handler',
      'Runtime.HandlerNotFound',
      'index.handler is undefined or not exported',
    ],
    [
      'export is not a function',
      { 'index.cjs': 'exports.handler = 42;' },
      'index.handler',
      'Runtime.HandlerNotFound',
      'index.handler is not a function',
    ],
    [
      'malformed handler',
      { 'index.mjs': 'export const handler = () => 1;' },
      'index',
      'Runtime.MalformedHandlerName',
      'Bad handler index',
    ],
  ])('%s → kind error, %s', async (_case, files, handler, errorType, message) => {
    const dir = await bed.bundle(files);
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('broken', dir, { handler })] });

    const failure = expectFailure(await runtime.invoke('broken', {}));

    expect(failure).toMatchObject({ kind: 'error', errorType });
    expect(failure.errorMessage).toContain(message);
    expect(logs.lines('broken', 'platform')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^INIT_REPORT Init Duration: [\\d.]+ ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}$`,
        ),
      ),
    );
    await vi.waitFor(() => expect(runtime.stats()[0]?.workers).toBe(0));
  });

  it('retries init on the next invocation, so a fixed bundle recovers', async () => {
    const dir = await bed.bundle({ 'index.mjs': `throw new Error('not yet');` });
    const { runtime } = bed.runtime({ functions: [fnConfig('flaky', dir)] });
    expectFailure(await runtime.invoke('flaky', {}));

    await writeFile(path.join(dir, 'index.mjs'), 'export const handler = async () => "recovered";');

    expect(expectOk(await runtime.invoke('flaky', {})).result).toBe('recovered');
  });

  it('limits the init phase', async () => {
    const dir = await bed.bundle({
      'index.mjs': `await new Promise(() => setTimeout(() => {}, 60_000));\nexport const handler = () => 1;`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('stuck', dir)], initTimeoutMs: 100 });

    expect(expectFailure(await runtime.invoke('stuck', {}))).toMatchObject({
      kind: 'timeout',
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Init phase timed out after 0.10 seconds',
    });
  });
});

describe('concurrency', () => {
  const SLOW = `${COUNTING} export const handler = async () => { await new Promise((r) => setTimeout(r, 80)); return ++count; };`;

  it('throttles beyond reserved concurrency at once, like Lambda (no queue)', async () => {
    const dir = await bed.bundle({ 'index.mjs': SLOW });
    const { runtime } = bed.runtime({ functions: [fnConfig('reserved', dir, { reservedConcurrency: 2 })] });

    const results = await Promise.all([1, 2, 3].map(() => runtime.invoke('reserved', {})));

    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({
        kind: 'throttled',
        errorType: 'TooManyRequestsException',
        errorMessage: 'Rate Exceeded.',
      }),
    ]);
    expect(runtime.stats()[0]?.workers).toBe(2);
    expect(expectOk(await runtime.invoke('reserved', {})).ok).toBe(true);
  });

  it('throttles every invocation with reserved concurrency 0', async () => {
    const dir = await bed.bundle({ 'index.mjs': SLOW });
    const { runtime } = bed.runtime({ functions: [fnConfig('off', dir, { reservedConcurrency: 0 })] });

    expect(expectFailure(await runtime.invoke('off', {})).kind).toBe('throttled');
    expect(runtime.stats()[0]?.coldStarts).toBe(0);
  });

  it('scales to concurrent invocations with one worker each', async () => {
    // A barrier: each invocation marks itself in a shared folder and waits until all three are in
    // flight. It only returns if three workers really ran at once (one worker runs one at a time).
    const BARRIER = `import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
      import { randomUUID } from 'node:crypto';
      ${COUNTING}
      export const handler = async ({ dir }) => {
        writeFileSync(dir + '/' + randomUUID(), '');
        const deadline = Date.now() + 10000;
        while (readdirSync(dir).length < 3) {
          if (Date.now() > deadline) throw new Error('the others never ran alongside');
          await new Promise((r) => setTimeout(r, 10));
        }
        return ++count;
      };`;
    const dir = await bed.bundle({ 'index.mjs': BARRIER });
    const meeting = await bed.bundle({});
    const { runtime } = bed.runtime({ functions: [fnConfig('scale', dir, { timeoutSeconds: 15 })] });

    const results = await Promise.all([1, 2, 3].map(() => runtime.invoke('scale', { dir: meeting })));

    expect(results.map((r) => expectOk(r).result)).toEqual([1, 1, 1]);
    expect(runtime.stats()[0]).toMatchObject({ workers: 3, idle: 3, coldStarts: 3 });
  }, 20_000);

  it('starts workers beyond eagerWorkers only once the busy ones wait, not while they compute', async () => {
    const fast = await bed.bundle({ 'index.mjs': `${COUNTING} export const handler = async () => ++count;` });
    const slow = await bed.bundle({ 'index.mjs': SLOW });
    // Computes for 40 ms without yielding to its event loop: long past the pool's 10 ms re-check, yet busy.
    const computing = await bed.bundle({
      'index.mjs': `${COUNTING} export const handler = async () => {
        const until = Date.now() + 40;
        while (Date.now() < until);
        return ++count;
      };`,
    });
    const { runtime } = bed.runtime({
      functions: [fnConfig('fast', fast), fnConfig('slow', slow), fnConfig('computing', computing)],
      eagerWorkers: 1,
    });
    for (const name of ['fast', 'slow', 'computing']) expectOk(await runtime.invoke(name, {})); // one warm worker each

    // The warm worker takes the first call; the others queue instead of starting workers right away.
    const fastCalls = [1, 2, 3].map(() => runtime.invoke('fast', {}));
    const slowCalls = [1, 2, 3].map(() => runtime.invoke('slow', {}));
    const computingCalls = [1, 2, 3].map(() => runtime.invoke('computing', {}));
    for (const stats of runtime.stats()) expect(stats).toMatchObject({ workers: 1, queued: 2 });

    // Short invocations: the one worker serves the queue in turn.
    expect((await Promise.all(fastCalls)).map((r) => expectOk(r).result)).toEqual([2, 3, 4]);
    expect(runtime.stats().find((s) => s.name === 'fast')).toMatchObject({ workers: 1, coldStarts: 1 });
    // A handler that yielded to its event loop (here it awaits a timer) is waiting: more workers start.
    expect((await Promise.all(slowCalls)).every((r) => r.ok)).toBe(true);
    expect(runtime.stats().find((s) => s.name === 'slow')?.coldStarts).toBeGreaterThanOrEqual(2);
    // One that computes is not, however long it runs: the one worker serves them in turn.
    expect((await Promise.all(computingCalls)).map((r) => expectOk(r).result)).toEqual([2, 3, 4]);
    expect(runtime.stats().find((s) => s.name === 'computing')).toMatchObject({ workers: 1, coldStarts: 1 });
  });

  it('queues beyond the local worker cap without reserved concurrency, and drops calls whose caller gave up', async () => {
    const dir = await bed.bundle({ 'index.mjs': SLOW });
    const { runtime } = bed.runtime({ functions: [fnConfig('capped', dir)], maxConcurrency: 1 });

    const queued = [1, 2].map(() => runtime.invoke('capped', {}));
    const impatient = runtime.invoke('capped', {}, { deadline: Date.now() + 20 });

    expect(expectFailure(await impatient)).toMatchObject({
      kind: 'timeout',
      errorType: 'Local.DeadlineExceeded',
    });
    expect((await Promise.all(queued)).map((r) => expectOk(r).result)).toEqual([1, 2]);
    // One worker served them in turn, and the abandoned call never ran: the next one is the third.
    expect(expectOk(await runtime.invoke('capped', {})).result).toBe(3);
    expect(runtime.stats()[0]).toMatchObject({ workers: 1, queued: 0, coldStarts: 1 });
  });
});
