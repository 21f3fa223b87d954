import { describe, expect, it } from 'vitest';
import { expectFailure, expectOk, fnConfig, lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();

describe('invoking handlers', () => {
  it('runs an ESM handler with a Lambda context', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        export const handler = async (event, context) => ({
          echo: event.value,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          awsRequestId: context.awsRequestId,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
          remaining: context.getRemainingTimeInMillis(),
        });`,
    });
    const fn = fnConfig('esm', dir);
    const { runtime } = bed.runtime({ functions: [fn] });

    const { result, requestId } = expectOk(
      await runtime.invoke('esm', { value: 42 }, { requestId: 'req-1' }),
    );

    expect(requestId).toBe('req-1');
    expect(result).toMatchObject({
      echo: 42,
      functionName: 'esm',
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '128',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/esm',
      callbackWaitsForEmptyEventLoop: true,
    });
    const { logStreamName, remaining } = result as { logStreamName: string; remaining: number };
    expect(logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(remaining).toBeGreaterThan(2000);
    expect(remaining).toBeLessThanOrEqual(3000);
  });

  it('runs CommonJS handlers: .cjs, and .js without "type": "module"', async () => {
    const cjs = await bed.bundle({
      'index.cjs': `exports.handler = async (event) => ({ kind: 'cjs', event });`,
    });
    const js = await bed.bundle({
      'index.js': `module.exports = { handler: async () => ({ kind: typeof require }) };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('cjs', cjs), fnConfig('js', js)] });

    expect(expectOk(await runtime.invoke('cjs', { a: 1 })).result).toEqual({ kind: 'cjs', event: { a: 1 } });
    expect(expectOk(await runtime.invoke('js', {})).result).toEqual({ kind: 'function' });
  });

  it('loads .js as ESM under "type": "module", and nested handler paths', async () => {
    const dir = await bed.bundle({
      'package.json': '{ "type": "module" }',
      'src/handlers/list.js': `export const routes = { list: async () => ({ esm: typeof require === 'undefined' }) };`,
    });
    const { runtime } = bed.runtime({
      functions: [fnConfig('nested', dir, { handler: 'src/handlers/list.routes.list' })],
    });

    expect(expectOk(await runtime.invoke('nested', {})).result).toEqual({ esm: true });
  });

  it('prefers index.js over index.mjs and index.cjs, like Lambda', async () => {
    const dir = await bed.bundle({
      'index.js': `exports.handler = async () => 'js';`,
      'index.mjs': `export const handler = async () => 'mjs';`,
      'index.cjs': `exports.handler = async () => 'cjs';`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('order', dir)] });

    expect(expectOk(await runtime.invoke('order', {})).result).toBe('js');
  });

  it('supports callback-style handlers, context.succeed/fail/done, and the first answer wins', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        export const handler = (event, context, callback) => {
          if (event.mode === 'callback') setTimeout(() => callback(null, { via: 'callback' }), 5);
          if (event.mode === 'callback-error') callback(new TypeError('bad input'));
          if (event.mode === 'string-error') callback('plain string');
          if (event.mode === 'succeed') context.succeed({ via: 'succeed' });
          if (event.mode === 'done') context.done(null, { via: 'done' });
          if (event.mode === 'fail') context.fail(new Error('failed'));
          if (event.mode === 'twice') { callback(null, 'first'); callback(null, 'second'); }
        };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('cb', dir)] });
    const invoke = (mode: string) => runtime.invoke('cb', { mode });

    expect(expectOk(await invoke('callback')).result).toEqual({ via: 'callback' });
    expect(expectOk(await invoke('succeed')).result).toEqual({ via: 'succeed' });
    expect(expectOk(await invoke('done')).result).toEqual({ via: 'done' });
    expect(expectOk(await invoke('twice')).result).toBe('first');
    expect(expectFailure(await invoke('callback-error'))).toMatchObject({
      kind: 'error',
      errorType: 'TypeError',
      errorMessage: 'bad input',
    });
    expect(expectFailure(await invoke('string-error'))).toMatchObject({
      kind: 'error',
      errorType: 'string',
      errorMessage: 'plain string',
    });
    expect(expectFailure(await invoke('fail'))).toMatchObject({
      kind: 'error',
      errorType: 'Error',
      errorMessage: 'failed',
    });
  });

  it('takes the return value of a non-async handler, and undefined as null', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = (event) => event.give ? { given: true } : undefined;`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('sync', dir)] });

    expect(expectOk(await runtime.invoke('sync', { give: true })).result).toEqual({ given: true });
    expect(expectOk(await runtime.invoke('sync', {})).result).toBeNull();
  });

  it('reports a thrown error with its type, message and stack', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        class NotFound extends Error { name = 'NotFound'; }
        export const handler = async (event) => {
          if (event.kind === 'custom') throw new NotFound('no such note');
          throw 'a string';
        };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('throws', dir)] });

    const custom = expectFailure(await runtime.invoke('throws', { kind: 'custom' }));
    expect(custom).toMatchObject({ kind: 'error', errorType: 'NotFound', errorMessage: 'no such note' });
    expect(custom.trace?.[0]).toBe('NotFound: no such note');
    expect(custom.trace?.join('\n')).toContain('index.mjs');
    expect(expectFailure(await runtime.invoke('throws', {}))).toMatchObject({
      kind: 'error',
      errorType: 'string',
      errorMessage: 'a string',
    });
  });

  it('reuses a warm worker: module scope survives between invocations', async () => {
    const dir = await bed.bundle({
      'index.mjs': `let count = 0; export const handler = async () => ++count;`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('counter', dir)] });

    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(expectOk(await runtime.invoke('counter', {})).result);

    expect(counts).toEqual([1, 2, 3]);
    expect(runtime.stats()).toEqual([
      { name: 'counter', workers: 1, idle: 1, inFlight: 0, queued: 0, coldStarts: 1 },
    ]);
  });

  it('counts down getRemainingTimeInMillis in real time', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        export const handler = async (event, context) => {
          const before = context.getRemainingTimeInMillis();
          await new Promise((resolve) => setTimeout(resolve, 60));
          return { before, after: context.getRemainingTimeInMillis() };
        };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('clock', dir, { timeoutSeconds: 1 })] });

    const { before, after } = expectOk(await runtime.invoke('clock', {})).result as {
      before: number;
      after: number;
    };

    expect(before).toBeLessThanOrEqual(1000);
    expect(before).toBeGreaterThan(900);
    expect(before - after).toBeGreaterThanOrEqual(50);
  });

  it('invokes by ARN, and answers ResourceNotFoundException for unknown functions', async () => {
    const dir = await bed.bundle({ 'index.mjs': `export const handler = async () => 'hi';` });
    const fn = fnConfig('by-arn', dir);
    const { runtime } = bed.runtime({ functions: [fn] });

    expect(expectOk(await runtime.invoke(fn.arn, {})).result).toBe('hi');
    expect(expectFailure(await runtime.invoke('nope', {}))).toMatchObject({
      kind: 'error',
      errorType: 'ResourceNotFoundException',
    });
  });

  it('refuses non-Node.js runtimes with a clear message', async () => {
    const { runtime } = bed.runtime({ functions: [fnConfig('py', '/nowhere', { runtime: 'python3.12' })] });

    const failure = expectFailure(await runtime.invoke('py', {}));

    expect(failure).toMatchObject({ kind: 'error', errorType: 'Local.UnsupportedRuntime' });
    expect(failure.errorMessage).toContain('python3.12');
  });

  it('falls back to JSON for results structured clone cannot copy, as Lambda serialises JSON anyway', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => ({ statusCode: 200, toString() { return 'x'; } });`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('json', dir)] });

    expect(expectOk(await runtime.invoke('json', {})).result).toEqual({ statusCode: 200 });
  });

  it('rejects an event that is not JSON (the Invoke API takes JSON), and the worker stays usable', async () => {
    const dir = await bed.bundle({ 'index.mjs': `let n = 0; export const handler = async () => ++n;` });
    const { runtime } = bed.runtime({ functions: [fnConfig('events', dir)] });

    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const event of [{ big: 1n }, circular]) {
      expect(expectFailure(await runtime.invoke('events', event))).toMatchObject({
        kind: 'error',
        errorType: 'InvalidRequestContentException',
      });
    }
    expect(expectOk(await runtime.invoke('events', {})).result).toBe(1);
    expect(runtime.stats()[0]?.coldStarts).toBe(1);
  });
});
