/**
 * The HTTP API's size limits, end to end over a socket: the 10 MB body limit (413 as plain text, answered to
 * a client that is still uploading — Node's `fetch` included — and logged with the request's known facts),
 * and Lambda's 6 MB limits as the gateway answers them (an event Lambda refuses → 413 `Request Too Long`, a
 * response over 6 MB → 500).
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import type { InvokeOutcome } from '../../src/gateway/invoker.js';
import { LambdaRuntime } from '../../src/lambda';
import { fnConfig, lambdaTestbed } from '../lambda/fixtures.js';
import { api, FakeInvoker, ok, route } from './helpers.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;
let next: () => InvokeOutcome | Promise<InvokeOutcome> = () => ok(null);
const invoker = new FakeInvoker().on('fn', () => next());
const accessLog: string[] = [];
let gateway: HttpApiGateway;
let base: string;

beforeAll(async () => {
  gateway = await startHttpApiGateway({
    invoker,
    clock: new ManualClock(),
    accessLog: (line) => accessLog.push(line),
    apis: [api({ routes: [route('ANY /r', 'fn')], stages: [{ name: '$default' }, { name: 'dev' }] })],
  });
  base = gateway.endpoint('abc123def4').url;
});
afterAll(() => gateway.close());

const lastLog = (): Record<string, string> => JSON.parse(accessLog[accessLog.length - 1] ?? '{}');

/** A body that arrives in pieces, without a Content-Length (chunked). */
function streamed(total: number, piece = MiB): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(piece, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size));
    },
  });
}

/**
 * Node's `fetch` in another process — where a gateway closing the socket mid-upload shows as EPIPE (in this
 * process the upload is mostly written before the gateway runs). Prints `status text` per request.
 */
const CLIENT = `
const [base, sizes, attempts, streamed] = process.argv.slice(1);
const results = [];
for (const size of sizes.split(',').map(Number)) {
  for (let i = 0; i < Number(attempts); i++) {
    let body = new Uint8Array(size);
    if (streamed === 'streamed') {
      let sent = 0;
      body = new ReadableStream({ pull(c) { if (sent >= size) return c.close(); const n = Math.min(1 << 20, size - sent); sent += n; c.enqueue(new Uint8Array(n)); } });
    }
    try {
      const response = await fetch(base + '/r', { method: 'POST', body, duplex: 'half' });
      results.push(size + ' ' + response.status + ' ' + response.headers.get('content-type') + ' ' + (await response.text()));
    } catch (error) {
      results.push(size + ' ' + (error.cause?.code ?? error.message));
    }
  }
}
console.log(JSON.stringify(results));
`;

async function fetchFromAnotherProcess(
  sizes: number[],
  attempts: number,
  streamed = false,
): Promise<string[]> {
  const args = ['--input-type=module', '-e', CLIENT, base, sizes.join(','), String(attempts)];
  const { stdout } = await run(process.execPath, streamed ? [...args, 'streamed'] : args);
  return JSON.parse(stdout) as string[];
}

const TOO_LARGE = '413 text; charset=utf-8 HTTP content length exceeded 10485760 bytes.';

describe('bodies over 10 MB', () => {
  it('fetch sending 10 MiB + 1 byte, 12 MiB or 20 MiB gets the 413, every time', async () => {
    const before = invoker.calls.length;
    const sizes = [10 * MiB + 1, 12 * MiB, 20 * MiB];
    const results = await fetchFromAnotherProcess(sizes, 8);
    expect(results).toEqual(sizes.flatMap((size) => Array(8).fill(`${size} ${TOO_LARGE}`)));
    expect(invoker.calls.length).toBe(before);
  }, 60_000);

  it('so does a streamed (chunked) upload past the limit', async () => {
    const results = await fetchFromAnotherProcess([12 * MiB], 4, true);
    expect(results).toEqual(Array(4).fill(`${12 * MiB} ${TOO_LARGE}`));
  }, 60_000);

  it('in this process too', async () => {
    const response = await fetch(`${base}/r`, { method: 'POST', body: new Uint8Array(12 * MiB) });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('reads and discards at most twice the limit after the 413, then closes', async () => {
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    const declared = 200 * MiB;
    let sent = 0;
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {}); // the reset when the gateway gives up
    socket.write(`POST /r HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`);
    const chunk = Buffer.alloc(MiB);
    while (!socket.destroyed && sent < declared) {
      sent += chunk.length;
      if (!socket.write(chunk)) {
        await new Promise((resolve) => {
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
      }
    }
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain('HTTP content length exceeded 10485760 bytes.');
    expect(sent).toBeLessThan(declared / 2); // 20 MiB discarded, plus what the socket buffers held
  }, 30_000);

  it('logs the 413 with the caller, path, API and stage', async () => {
    await fetch(`${base}/dev/r?x=1`, { method: 'POST', body: new Uint8Array(11 * MiB) });
    expect(lastLog()).toMatchObject({
      status: '413',
      httpMethod: 'POST',
      ip: '127.0.0.1',
      path: '/dev/r',
      apiId: 'abc123def4',
      stage: 'dev',
      routeKey: '-',
      errorMessage: 'Request Entity Too Large',
    });
    await fetch(`${base}/r`, { method: 'POST', body: streamed(11 * MiB), duplex: 'half' } as RequestInit);
    expect(lastLog()).toMatchObject({ status: '413', path: '/r', stage: '$default', apiId: 'abc123def4' });
  });

  it('a body of exactly 10 MB still reaches the function, and the connection serves the next request', async () => {
    next = () => ok({ statusCode: 200, body: 'fine' });
    const response = await fetch(`${base}/r`, { method: 'POST', body: new Uint8Array(10 * MiB) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('fine');
  });
});

describe("Lambda's 6 MB limits", () => {
  const refused: InvokeOutcome = {
    ok: false,
    kind: 'request-too-large',
    errorType: 'RequestEntityTooLargeException',
    errorMessage: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
  };
  const tooLargeResponse: InvokeOutcome = {
    ok: false,
    kind: 'response-too-large',
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
  };

  it('an event Lambda refuses is 413 {"message":"Request Too Long"}, x-amzn-errortype BadRequestException', async () => {
    next = () => refused;
    const response = await fetch(`${base}/r`, { method: 'POST', body: 'anything' });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await response.text()).toBe('{"message":"Request Too Long"}');
    expect(lastLog()).toMatchObject({
      status: '413',
      integrationStatus: '413',
      integrationErrorMessage: `RequestEntityTooLargeException: ${refused.ok ? '' : refused.errorMessage}`,
      errorMessage: 'Request Too Long',
    });
  });

  it('a response over 6 MB is a failed invocation: 500 {"message":"Internal Server Error"}', async () => {
    next = () => tooLargeResponse;
    const response = await fetch(`${base}/r`);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"message":"Internal Server Error"}');
    expect(lastLog()).toMatchObject({
      integrationStatus: '200',
      integrationErrorMessage: expect.stringContaining('Function.ResponseSizeTooLarge'),
    });
  });

  describe('with the Lambda runtime', () => {
    const bed = lambdaTestbed();
    let runtime: LambdaRuntime;
    let real: HttpApiGateway;

    beforeAll(async () => {
      const dir = await bed.bundle({
        'index.mjs': `export const handler = async (event) => ({
          statusCode: 200,
          body: event.queryStringParameters?.n ? 'x'.repeat(Number(event.queryStringParameters.n)) : String(event.body.length),
        });`,
      });
      runtime = new LambdaRuntime({ functions: [fnConfig('sized', dir)], logSink: () => {} });
      real = await startHttpApiGateway({
        invoker: runtime,
        apis: [api({ routes: [route('ANY /r', 'sized')] })],
      });
    }, 30_000);
    afterAll(async () => {
      await real.close();
      await runtime.close();
    });

    it('a 7 MB body (under the gateway’s 10 MB) is refused by Lambda: 413 Request Too Long', async () => {
      const url = real.endpoint('abc123def4').url;
      const body = 'x'.repeat(7 * 1000 * 1000);
      const response = await fetch(`${url}/r`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain' },
      });
      expect(response.status).toBe(413);
      expect(await response.text()).toBe('{"message":"Request Too Long"}');
      const fits = await fetch(`${url}/r`, { method: 'POST', body: body.slice(0, 6_000_000) });
      expect(fits.status).toBe(200);
      expect(await fits.text()).toBe('6000000');
    }, 30_000);

    it('a 7 MB result is 500', async () => {
      const url = real.endpoint('abc123def4').url;
      const response = await fetch(`${url}/r?n=7000000`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('{"message":"Internal Server Error"}');
      expect((await fetch(`${url}/r?n=10`)).status).toBe(200);
    }, 30_000);
  });
});
