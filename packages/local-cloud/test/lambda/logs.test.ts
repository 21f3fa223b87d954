import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineBuffer, reportLine, stdoutLogSink } from '../../src/lambda/logs';
import { expectOk, fnConfig, lambdaTestbed } from './fixtures';

// The default sink's writer, replaced: its own behaviour on a real pipe is tested in test/output.
const stdoutLine = vi.hoisted(() => vi.fn());
vi.mock('../../src/stdout-lines', () => ({
  stdoutLines: () => ({ line: stdoutLine, flushSync: () => undefined }),
}));

const bed = lambdaTestbed();

const REPORT =
  /^REPORT RequestId: (\S+)\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB(\tInit Duration: \d+\.\d{2} ms)?$/;

describe('Lambda log lines', () => {
  it('brackets each invocation with START/END/REPORT; Init Duration only on a cold start', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        console.log('init');
        export const handler = async (event) => { console.log('handling', event.n); return event.n; };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('logged', dir)] });

    await runtime.invoke('logged', { n: 1 }, { requestId: 'req-1' });
    await runtime.invoke('logged', { n: 2 }, { requestId: 'req-2' });

    const lines = logs.lines('logged');
    expect(lines).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\tundefined\tINFO\tinit$/),
      'START RequestId: req-1 Version: $LATEST',
      expect.stringMatching(/^[\d\-T:.]+Z\treq-1\tINFO\thandling 1$/),
      'END RequestId: req-1',
      expect.stringMatching(REPORT),
      'START RequestId: req-2 Version: $LATEST',
      expect.stringMatching(/^[\d\-T:.]+Z\treq-2\tINFO\thandling 2$/),
      'END RequestId: req-2',
      expect.stringMatching(REPORT),
    ]);
    const reports = lines.filter((l) => l.startsWith('REPORT'));
    expect(reports[0]).toMatch(/^REPORT RequestId: req-1\t.*\tInit Duration: [\d.]+ ms$/);
    expect(reports[1]).toMatch(/^REPORT RequestId: req-2\t/);
    expect(reports[1]).not.toContain('Init Duration');
  });

  it('keeps structured JSON lines (Powertools writes to process.stdout) intact, and separates stderr', async () => {
    const dir = await bed.bundle({
      'index.mjs': `
        export const handler = async (event, context) => {
          process.stdout.write(JSON.stringify({ level: 'INFO', message: 'note listed', requestId: context.awsRequestId }) + '\\n');
          process.stdout.write('partial line without newline');
          console.warn('multi\\nline');
          return 'ok';
        };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('json', dir)] });

    await runtime.invoke('json', {}, { requestId: 'req-json' });

    expect(logs.lines('json', 'stdout')).toEqual([
      '{"level":"INFO","message":"note listed","requestId":"req-json"}',
      'partial line without newline',
    ]);
    expect(logs.lines('json', 'stderr')).toEqual([expect.stringMatching(/\treq-json\tWARN\tmulti\rline$/)]);
    const all = logs.lines('json');
    expect(all.indexOf('partial line without newline')).toBeLessThan(all.indexOf('END RequestId: req-json'));
  });

  it('logs handler errors as Lambda does ("Invoke Error" with the error JSON)', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { throw new Error('boom'); };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('err', dir)] });

    await runtime.invoke('err', {}, { requestId: 'req-err' });

    const line = logs.lines('err', 'stderr')[0] ?? '';
    expect(line).toMatch(
      /\treq-err\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"boom","stack":\["Error: boom",/,
    );
  });

  it('prints crashes the worker could not report itself', async () => {
    const dir = await bed.bundle({ 'index.mjs': `export const handler = async () => process.exit(2);` });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('exit', dir)] });

    await runtime.invoke('exit', {}, { requestId: 'req-exit' });

    expect(logs.lines('exit', 'platform')).toEqual([
      'START RequestId: req-exit Version: $LATEST',
      expect.stringMatching(/Z RequestId: req-exit Error: Runtime exited with error: exit status 2$/),
      'Runtime.ExitError',
      'END RequestId: req-exit',
      expect.stringMatching(/^REPORT RequestId: req-exit\t.*\tStatus: error\tError Type: Runtime.ExitError$/),
    ]);
  });

  it('attributes output to the right function when several run at once', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { console.log(process.env.AWS_LAMBDA_FUNCTION_NAME); };`,
    });
    const { runtime, logs } = bed.runtime({ functions: [fnConfig('one', dir), fnConfig('two', dir)] });

    await Promise.all([runtime.invoke('one', {}), runtime.invoke('two', {})]);

    expect(logs.lines('one', 'stdout')).toEqual([expect.stringMatching(/\tINFO\tone$/)]);
    expect(logs.lines('two', 'stdout')).toEqual([expect.stringMatching(/\tINFO\ttwo$/)]);
  });
});

describe('log helpers', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('default sink: one stdout line per record, function name outside the line', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    stdoutLogSink({ functionName: 'notes-list', source: 'stdout', line: '{"level":"INFO"}' });

    expect(write).toHaveBeenCalledWith('[notes-list] {"level":"INFO"}\n');
  });

  it('formats REPORT lines with billed duration rounded up', () => {
    expect(
      reportLine({
        requestId: 'r',
        durationMs: 12.341,
        memoryMb: 128,
        maxMemoryUsedMb: 9,
        initDurationMs: 45.678,
      }),
    ).toBe(
      'REPORT RequestId: r\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\tInit Duration: 45.68 ms',
    );
  });

  it('joins chunks into lines', () => {
    const buffer = new LineBuffer();
    expect(buffer.push('a\nb')).toEqual(['a']);
    expect(buffer.push('c\n\nd')).toEqual(['bc', '']);
    expect(buffer.flush()).toBe('d');
    expect(buffer.flush()).toBeUndefined();
  });
});

describe('result values', () => {
  it('returns API Gateway proxy results unchanged', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => ({ statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"n1"}' });`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('proxy', dir)] });

    expect(expectOk(await runtime.invoke('proxy', {})).result).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"n1"}',
    });
  });
});
