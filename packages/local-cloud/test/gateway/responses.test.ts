import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import type { InvokeOutcome } from '../../src/gateway/invoker.js';
import { api, FakeInvoker, failed, ok, route, send } from './helpers.js';

/** Each test scripts what the function returns next. */
let next: () => InvokeOutcome | Promise<InvokeOutcome> = () => ok(null);
const invoker = new FakeInvoker().on('fn', () => next()).on('v1', () => next());
const clock = new ManualClock();
const accessLog: string[] = [];
let gateway: HttpApiGateway;
let base: string;

beforeAll(async () => {
  gateway = await startHttpApiGateway({
    invoker,
    clock,
    accessLog: (line) => accessLog.push(line),
    apis: [
      api({
        routes: [
          route('ANY /r', 'fn'),
          route('GET /slow', 'fn', {
            integration: {
              type: 'AWS_PROXY',
              functionName: 'fn',
              payloadFormatVersion: '2.0',
              timeoutMs: 50,
            },
          }),
          route('GET /limited', 'fn'),
          {
            routeKey: 'GET /v1',
            integration: { type: 'AWS_PROXY', functionName: 'v1', payloadFormatVersion: '1.0' },
          },
        ],
        stages: [{ name: '$default', routeSettings: { 'GET /limited': { burstLimit: 2, rateLimit: 1 } } }],
      }),
    ],
  });
  base = gateway.endpoint('abc123def4').url;
});
afterAll(() => gateway.close());

const call = async (result: unknown, path = '/r') => {
  next = () => ok(result);
  return send(`${base}${path}`);
};

describe('payload 2.0 responses', () => {
  it('sends a structured response as given', async () => {
    const response = await call({
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', 'X-Num': 7, 'x-bool': true },
      body: 'created',
    });
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers['x-num']).toBe('7');
    expect(response.headers['x-bool']).toBe('true');
    expect(response.text).toBe('created');
  });

  it('infers 200 application/json from a string or any JSON without statusCode', async () => {
    const text = await call('Hello from Lambda!');
    expect([text.status, text.headers['content-type'], text.text]).toEqual([
      200,
      'application/json',
      'Hello from Lambda!',
    ]);
    const object = await call({ message: 'Hello from Lambda!' });
    expect([object.status, object.headers['content-type'], object.text]).toEqual([
      200,
      'application/json',
      '{"message":"Hello from Lambda!"}',
    ]);
    const nothing = await call(null);
    expect([nothing.status, nothing.text]).toEqual([200, 'null']);
  });

  it('turns each cookie into its own set-cookie header', async () => {
    const response = await call({
      statusCode: 200,
      headers: { 'Set-Cookie': 'first=1' },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
    });
    const setCookies = response.rawHeaders.filter(
      (_, i, all) => i % 2 === 1 && all[i - 1]?.toLowerCase() === 'set-cookie',
    );
    expect(setCookies).toEqual(['first=1', 'a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('sends a text body as UTF-8 with its length in bytes', async () => {
    const body = 'héllo ✓ 😀';
    const response = await call({ statusCode: 200, body });
    expect(response.body.equals(Buffer.from(body))).toBe(true);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    const inferred = await call('naïve');
    expect(inferred.headers['content-length']).toBe('6');
    expect(inferred.text).toBe('naïve');
  });

  it('decodes a base64 body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const response = await call({ statusCode: 200, isBase64Encoded: true, body: bytes.toString('base64') });
    expect(response.body.equals(bytes)).toBe(true);
    expect(response.headers['content-length']).toBe('5');
  });

  it('answers 500 {"message":"Internal Server Error"} for an invalid structured response', async () => {
    for (const bad of [
      { statusCode: 'abc' },
      { statusCode: 99 },
      { statusCode: 200, body: { not: 'a string' } },
      { statusCode: 200, headers: { x: { nested: true } } },
      { statusCode: 200, cookies: 'a=1' },
      { statusCode: 200, headers: { 'x-split': 'a\r\nInjected: yes' } },
      { statusCode: 200, headers: { 'bad name': 'x' } },
    ]) {
      const response = await call(bad);
      expect(response.status, JSON.stringify(bad)).toBe(500);
      expect(response.text).toBe('{"message":"Internal Server Error"}');
    }
    expect((await call({ statusCode: '202' })).status).toBe(202);
  });
});

describe('payload 1.0 responses', () => {
  it('merges multiValueHeaders and headers and defaults the status to 200', async () => {
    const response = await call(
      {
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
        headers: { 'set-cookie': 'c=3', 'x-one': '1' },
        body: 'v1',
      },
      '/v1',
    );
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2', 'c=3']);
    expect(response.headers['x-one']).toBe('1');
    expect(response.text).toBe('v1');
  });

  it('rejects what the REST proxy format rejects', async () => {
    for (const bad of [
      'justAString',
      { statusCode: 200, wrongValue: 'x' },
      { multiValueHeaders: { x: 'not-a-list' } },
    ]) {
      expect((await call(bad, '/v1')).status, JSON.stringify(bad)).toBe(500);
    }
  });
});

describe('integration failures', () => {
  it('answers 503 {"message":"Service Unavailable"} when the integration timeout passes', async () => {
    next = () => new Promise(() => {});
    const response = await send(`${base}/slow`);
    expect(response.status).toBe(503);
    expect(response.text).toBe('{"message":"Service Unavailable"}');
    expect(response.headers['content-length']).toBe('33');
    const deadline = await (async () => {
      next = () => failed('timeout', 'Local.DeadlineExceeded');
      return send(`${base}/r`);
    })();
    expect(deadline.status).toBe(503);
  });

  it('answers 500 for errors, crashes, function timeouts and Lambda throttling', async () => {
    for (const outcome of [
      failed('error', 'Error', 'boom'),
      failed('crash', 'Runtime.ExitError'),
      failed('timeout', 'Sandbox.Timedout', 'Task timed out after 3.00 seconds'),
      failed('throttled', 'TooManyRequestsException'),
    ]) {
      next = () => outcome;
      const response = await send(`${base}/r`);
      expect(response.status, outcome.ok ? '' : outcome.kind).toBe(500);
      expect(response.text).toBe('{"message":"Internal Server Error"}');
    }
  });

  it('answers 500 when the invoker itself throws', async () => {
    next = () => Promise.reject(new Error('invoker bug'));
    expect((await send(`${base}/r`)).status).toBe(500);
  });
});

describe('limits and throttling', () => {
  it('answers 413 for a body over 10 MB without invoking', async () => {
    const before = invoker.calls.length;
    const response = await send(`${base}/r`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(response.status).toBe(413);
    expect(response.text).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(invoker.calls.length).toBe(before);
    next = () => ok('fine');
    const atLimit = await send(`${base}/r`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024) });
    expect(atLimit.status).toBe(200);
  });

  it('throttles a route by its token bucket: 429 {"message":"Too Many Requests"} until time refills it', async () => {
    next = () => ok('ok');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(`${base}/limited`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = await send(`${base}/limited`);
    expect(throttled.text).toBe('{"message":"Too Many Requests"}');
    expect((await send(`${base}/r`)).status).toBe(200); // other routes have no limit
    clock.advance(1000);
    expect((await send(`${base}/limited`)).status).toBe(200);
    expect((await send(`${base}/limited`)).status).toBe(429);
  });
});

describe('access log', () => {
  it("writes one JSON line per request in API Gateway's access-log shape", async () => {
    next = () => ok({ statusCode: 202, body: 'accepted' });
    accessLog.length = 0;
    const response = await send(`${base}/r`, { method: 'PATCH' });
    await send(`${base}/missing`);
    expect(accessLog).toHaveLength(2);
    const [first, second] = accessLog.map((line) => JSON.parse(line) as Record<string, string>);
    expect(first).toMatchObject({
      requestId: response.headers['apigw-requestid'],
      ip: '127.0.0.1',
      httpMethod: 'PATCH',
      routeKey: 'ANY /r',
      status: '202',
      protocol: 'HTTP/1.1',
      responseLength: '8',
      path: '/r',
      stage: '$default',
      integrationStatus: '200',
      errorMessage: '-',
    });
    expect(first?.requestTime).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Number(first?.integrationLatency)).toBeGreaterThanOrEqual(0);
    expect(second).toMatchObject({
      routeKey: '-',
      status: '404',
      errorMessage: 'Not Found',
      integrationLatency: '-',
    });
  });
});
