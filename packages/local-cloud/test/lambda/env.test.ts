import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  functionEnvironment,
  newTraceId,
  nodeOptionsFlags,
  sdkNodeVersionWarning,
} from '../../src/lambda/env';
import { expectOk, fnConfig, lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();

const ENV_HANDLER = `
  export const handler = async (event) => {
    if (event.set) process.env[event.set] = 'changed';
    return { env: { ...process.env }, execArgv: process.execArgv };
  };`;

type EnvResult = { env: Record<string, string | undefined>; execArgv: string[] };

describe('function environments', () => {
  const SENTINEL = 'LOCAL_CLOUD_TEST_SENTINEL';
  beforeEach(() => {
    process.env[SENTINEL] = 'host-secret';
  });
  afterEach(() => {
    delete process.env[SENTINEL];
  });

  it("gives each function only its own variables plus Lambda's, nothing from the host", async () => {
    const dir = await bed.bundle({ 'index.mjs': ENV_HANDLER });
    const a = fnConfig('fn-a', dir, { environment: { ONLY_A: 'a', TABLE_NAME: 'notes-a' } });
    const b = fnConfig('fn-b', dir, { environment: { ONLY_B: 'b', TABLE_NAME: 'notes-b' }, memoryMb: 256 });
    const { runtime } = bed.runtime({ functions: [a, b] });

    const envA = (expectOk(await runtime.invoke('fn-a', {})).result as EnvResult).env;
    const envB = (expectOk(await runtime.invoke('fn-b', {})).result as EnvResult).env;

    expect(envA).toMatchObject({ ONLY_A: 'a', TABLE_NAME: 'notes-a', AWS_LAMBDA_FUNCTION_NAME: 'fn-a' });
    expect(envA.ONLY_B).toBeUndefined();
    expect(envB).toMatchObject({
      ONLY_B: 'b',
      TABLE_NAME: 'notes-b',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    });
    expect(envB.ONLY_A).toBeUndefined();
    expect(envA[SENTINEL]).toBeUndefined();
    expect(envB[SENTINEL]).toBeUndefined();
    expect(envA).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn-a',
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'index.handler',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      TZ: ':UTC',
    });
    expect(envA.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/\[\$LATEST\][0-9a-f]{32}$/);
    expect(envA.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(envA.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    expect(envA.AWS_SESSION_TOKEN).toBeTruthy();
  });

  it('keeps process.env changes inside the worker that made them', async () => {
    const dir = await bed.bundle({ 'index.mjs': ENV_HANDLER });
    const { runtime } = bed.runtime({ functions: [fnConfig('writer', dir), fnConfig('reader', dir)] });

    await runtime.invoke('writer', { set: 'SHARED_FLAG' });
    const writerEnv = (expectOk(await runtime.invoke('writer', {})).result as EnvResult).env;
    const readerEnv = (expectOk(await runtime.invoke('reader', {})).result as EnvResult).env;

    expect(writerEnv.SHARED_FLAG).toBe('changed');
    expect(readerEnv.SHARED_FLAG).toBeUndefined();
    expect(process.env.SHARED_FLAG).toBeUndefined();
  });

  it('layers extra environment over the template, but never over reserved variables', async () => {
    const dir = await bed.bundle({ 'index.mjs': ENV_HANDLER });
    const fn = fnConfig('layers', dir, {
      environment: {
        AWS_ENDPOINT_URL_DYNAMODB: 'https://template',
        AWS_REGION: 'eu-west-9',
        LOG_LEVEL: 'INFO',
      },
    });
    const { runtime } = bed.runtime({
      functions: [fn],
      environment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', AWS_ACCESS_KEY_ID: 'given' },
    });

    const { env } = expectOk(await runtime.invoke('layers', {})).result as EnvResult;

    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ACCESS_KEY_ID: 'given',
      AWS_REGION: 'us-east-1',
      LOG_LEVEL: 'INFO',
    });
  });

  it('sets _X_AMZN_TRACE_ID per invocation: the caller’s, else an unsampled one', async () => {
    const dir = await bed.bundle({ 'index.mjs': ENV_HANDLER });
    const { runtime } = bed.runtime({ functions: [fnConfig('traced', dir)] });
    const given = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

    const first = (expectOk(await runtime.invoke('traced', {}, { traceId: given })).result as EnvResult).env;
    const second = (expectOk(await runtime.invoke('traced', {})).result as EnvResult).env;

    expect(first._X_AMZN_TRACE_ID).toBe(given);
    expect(second._X_AMZN_TRACE_ID).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
  });

  it('honours NODE_OPTIONS=--enable-source-maps and reports the flags it cannot apply', async () => {
    const dir = await bed.bundle({ 'index.mjs': ENV_HANDLER });
    const fn = fnConfig('opts', dir, {
      environment: { NODE_OPTIONS: '--enable-source-maps --max-old-space-size=64' },
    });
    const { runtime, logs } = bed.runtime({ functions: [fn] });

    const { execArgv } = expectOk(await runtime.invoke('opts', {})).result as EnvResult;

    expect(execArgv).toEqual(['--enable-source-maps']);
    expect(logs.lines('opts', 'platform')).toContain(
      'NODE_OPTIONS flags not applied locally (workers share one process): --max-old-space-size=64',
    );
  });
});

describe('environment helpers', () => {
  it('silences the AWS SDK Node-version warning only when the host is older than the declared runtime', () => {
    const off = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    expect(sdkNodeVersionWarning('nodejs24.x', '20.20.2')).toEqual(off);
    expect(sdkNodeVersionWarning('nodejs22.x', '20.1.0')).toEqual(off);
    // The function itself would see the warning on AWS: keep it.
    expect(sdkNodeVersionWarning('nodejs20.x', '20.20.2')).toEqual({});
    // The host is new enough: the SDK would not warn anyway, set nothing.
    expect(sdkNodeVersionWarning('nodejs24.x', '24.1.0')).toEqual({});
    expect(sdkNodeVersionWarning('python3.12', '20.20.2')).toEqual({});
  });

  it('splits NODE_OPTIONS into applicable and ignored flags', () => {
    expect(nodeOptionsFlags(undefined)).toEqual({ execArgv: [], ignored: [] });
    expect(nodeOptionsFlags(' --enable-source-maps  --trace-warnings ')).toEqual({
      execArgv: ['--enable-source-maps'],
      ignored: ['--trace-warnings'],
    });
  });

  it('builds trace ids from the current time', () => {
    expect(newTraceId(Date.UTC(2026, 0, 1))).toMatch(
      /^Root=1-6955b900-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
  });

  it('keeps trace ids unique across refills of their random pool', () => {
    const ids = Array.from({ length: 2000 }, () => newTraceId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.split(';')[1])).size).toBe(ids.length);
    for (const id of ids.slice(195, 215)) {
      expect(id).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    }
  });

  it('lets the caller replace AWS_EXECUTION_ENV (e.g. to keep the Powertools tracer off)', () => {
    const env = functionEnvironment(fnConfig('x', '/code'), { AWS_EXECUTION_ENV: '' }, 'stream');
    expect(env.AWS_EXECUTION_ENV).toBe('');
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toBe('stream');
  });
});
