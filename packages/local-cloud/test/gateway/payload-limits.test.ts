/**
 * Both gateways' size limits, end to end over a socket, one suite run against the HTTP API gateway and the
 * REST gateway: the 10 MB body limit (413 as plain text, answered to a client that is still uploading —
 * Node's `fetch` included — and logged with the request's known facts), and Lambda's 6 MB limits as the
 * gateways answer them (an event Lambda refuses → 413 `Request Too Long`, never customised; a response over
 * 6 MB → the gateway's failed-invocation answer: HTTP API 500, REST 502).
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import type { InvokeOutcome, LambdaInvoker } from '../../src/gateway/invoker.js';
import { startRestApiGateway } from '../../src/gateway/rest-api/index.js';
import { LambdaRuntime } from '../../src/lambda';
import { fnConfig, lambdaTestbed } from '../lambda/fixtures.js';
import { api, FakeInvoker, ok, route } from './helpers.js';
import { method, API_ID as REST_API_ID, resource, restApi } from './rest-api/helpers.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** A declared access-log format, on the stage `logged` of either gateway (variables both know). */
const FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  apiId: '$context.apiId',
  stage: '$context.stage',
  status: '$context.status',
  errorMessage: '$context.error.message',
});

interface StartedGateway {
  /** The listener's root: stages are path prefixes under it. */
  readonly url: string;
  close(): Promise<void>;
}

/** One gateway under test, and what differs in its answers. */
interface Subject {
  readonly name: string;
  /**
   * An API with `ANY /r` → `functionName` on the stages `dev`, `logged` (declared access-log format) and
   * the one of {@link other}.
   */
  start(options: {
    invoker: LambdaInvoker;
    functionName: string;
    accessLog?: (line: string) => void;
  }): Promise<StartedGateway>;
  readonly apiId: string;
  /** A second stage's `/r`: the 413's log must name that stage. */
  readonly other: { readonly path: string; readonly stage: string };
  /** Fields of the gateway's own access-log line for the 10 MB 413, besides the common ones. */
  readonly refusedLog: Readonly<Record<string, string>>;
  /** A failed invocation (a response over 6 MB among them). */
  readonly failedInvocation: {
    readonly status: number;
    readonly body: string;
    readonly errorType: string | null;
  };
  /** REST APIs have gateway responses (a customised DEFAULT_4XX), which the 413 must ignore. */
  readonly gatewayResponses: boolean;
}

const HTTP_API: Subject = {
  name: 'HTTP API',
  async start({ invoker, functionName, accessLog }) {
    const gateway = await startHttpApiGateway({
      invoker,
      clock: new ManualClock(),
      accessLog,
      apis: [
        api({
          routes: [route('ANY /r', functionName)],
          stages: [
            { name: '$default' },
            { name: 'dev' },
            { name: 'logged', accessLogSettings: { format: FORMAT } },
          ],
        }),
      ],
    });
    return { url: gateway.endpoint('abc123def4').url, close: () => gateway.close() };
  },
  apiId: 'abc123def4',
  other: { path: '/r', stage: '$default' },
  refusedLog: { routeKey: '-', errorMessage: 'Request Entity Too Large' },
  failedInvocation: { status: 500, body: '{"message":"Internal Server Error"}', errorType: null },
  gatewayResponses: false,
};

const REST_API: Subject = {
  name: 'REST API',
  async start({ invoker, functionName, accessLog }) {
    const gateway = await startRestApiGateway({
      invoker,
      clock: new ManualClock(),
      accessLog,
      apis: [
        restApi({
          resources: [resource('/r', method('ANY', functionName))],
          stages: [
            { name: 'dev' },
            { name: 'prod' },
            { name: 'logged', accessLogSetting: { format: FORMAT } },
          ],
          // Customised 4XX answers: the 413 ignores them (it cannot be customised, §2.4).
          gatewayResponses: [
            {
              type: 'DEFAULT_4XX',
              statusCode: '400',
              responseParameters: { 'gatewayresponse.header.x-custom': "'default-4xx'" },
              responseTemplates: { 'application/json': '{"custom":$context.error.messageString}' },
            },
            {
              type: 'REQUEST_TOO_LARGE',
              statusCode: '400',
              responseParameters: { 'gatewayresponse.header.x-custom': "'request-too-large'" },
              responseTemplates: { 'application/json': '{"custom":"too large"}' },
            },
          ],
        }),
      ],
    });
    return { url: gateway.endpoint(REST_API_ID).url, close: () => gateway.close() };
  },
  apiId: REST_API_ID,
  other: { path: '/prod/r', stage: 'prod' },
  refusedLog: {
    resourcePath: '-',
    errorMessage: 'Request Entity Too Large',
    errorResponseType: 'REQUEST_TOO_LARGE',
    detail: 'request body over 10485760 bytes',
  },
  failedInvocation: {
    status: 502,
    body: '{"message":"Internal server error"}',
    errorType: 'InternalServerErrorException',
  },
  gatewayResponses: true,
};

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
const [url, sizes, attempts, streamed] = process.argv.slice(1);
const results = [];
for (const size of sizes.split(',').map(Number)) {
  for (let i = 0; i < Number(attempts); i++) {
    let body = new Uint8Array(size);
    if (streamed === 'streamed') {
      let sent = 0;
      body = new ReadableStream({ pull(c) { if (sent >= size) return c.close(); const n = Math.min(1 << 20, size - sent); sent += n; c.enqueue(new Uint8Array(n)); } });
    }
    try {
      const response = await fetch(url, { method: 'POST', body, duplex: 'half' });
      results.push(size + ' ' + response.status + ' ' + response.headers.get('content-type') + ' ' + (await response.text()));
    } catch (error) {
      results.push(size + ' ' + (error.cause?.code ?? error.message));
    }
  }
}
console.log(JSON.stringify(results));
`;

async function fetchFromAnotherProcess(
  url: string,
  sizes: number[],
  attempts: number,
  streamed = false,
): Promise<string[]> {
  const args = ['--input-type=module', '-e', CLIENT, url, sizes.join(','), String(attempts)];
  const { stdout } = await run(process.execPath, streamed ? [...args, 'streamed'] : args);
  return JSON.parse(stdout) as string[];
}

const TOO_LARGE = '413 text; charset=utf-8 HTTP content length exceeded 10485760 bytes.';

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

/** A function answering the size of the body it got, or a body of `?n=` characters. */
const SIZED_HANDLER = `export const handler = async (event) => ({
  statusCode: 200,
  body: event.queryStringParameters?.n ? 'x'.repeat(Number(event.queryStringParameters.n)) : String(event.body.length),
});`;

const bed = lambdaTestbed();
let runtime: LambdaRuntime | undefined;

/** One Lambda runtime for both gateways, started by the first suite that needs it. */
async function sizedRuntime(): Promise<LambdaRuntime> {
  if (runtime === undefined) {
    const dir = await bed.bundle({ 'index.mjs': SIZED_HANDLER });
    runtime = new LambdaRuntime({ functions: [fnConfig('sized', dir)], logSink: () => {} });
  }
  return runtime;
}
afterAll(() => runtime?.close());

describe.each([HTTP_API, REST_API])('$name', (subject) => {
  let next: () => InvokeOutcome | Promise<InvokeOutcome> = () => ok(null);
  const invoker = new FakeInvoker().on('fn', () => next());
  const accessLog: string[] = [];
  let gateway: StartedGateway;
  /** The `dev` stage's root. */
  let dev: string;

  beforeAll(async () => {
    gateway = await subject.start({ invoker, functionName: 'fn', accessLog: (line) => accessLog.push(line) });
    dev = `${gateway.url}/dev`;
  });
  afterAll(() => gateway.close());

  const lastLog = (): Record<string, string> => JSON.parse(accessLog[accessLog.length - 1] ?? '{}');

  describe('bodies over 10 MB', () => {
    it('fetch sending 10 MiB + 1 byte, 12 MiB or 20 MiB gets the 413, every time', async () => {
      const before = invoker.calls.length;
      const sizes = [10 * MiB + 1, 12 * MiB, 20 * MiB];
      const results = await fetchFromAnotherProcess(`${dev}/r`, sizes, 8);
      expect(results).toEqual(sizes.flatMap((size) => Array(8).fill(`${size} ${TOO_LARGE}`)));
      expect(invoker.calls.length).toBe(before);
    }, 60_000);

    it('so does a streamed (chunked) upload past the limit', async () => {
      const results = await fetchFromAnotherProcess(`${dev}/r`, [12 * MiB], 4, true);
      expect(results).toEqual(Array(4).fill(`${12 * MiB} ${TOO_LARGE}`));
    }, 60_000);

    it('in this process too', async () => {
      const response = await fetch(`${dev}/r`, { method: 'POST', body: new Uint8Array(12 * MiB) });
      expect(response.status).toBe(413);
      expect(await response.text()).toBe('HTTP content length exceeded 10485760 bytes.');
    });

    it('reads and discards at most twice the limit after the 413, then closes', async () => {
      const { port } = new URL(gateway.url);
      const socket = connect(Number(port), '127.0.0.1');
      const declared = 200 * MiB;
      let sent = 0;
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
      });
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => {}); // the reset when the gateway gives up
      socket.write(`POST /dev/r HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`);
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
      await fetch(`${dev}/r?x=1`, { method: 'POST', body: new Uint8Array(11 * MiB) });
      expect(lastLog()).toMatchObject({
        status: '413',
        httpMethod: 'POST',
        ip: '127.0.0.1',
        path: '/dev/r',
        apiId: subject.apiId,
        stage: 'dev',
        ...subject.refusedLog,
      });
      const { path, stage } = subject.other;
      await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        body: streamed(11 * MiB),
        duplex: 'half',
      } as RequestInit);
      expect(lastLog()).toMatchObject({ status: '413', path, stage, apiId: subject.apiId });
    });

    it("logs the 413 in the stage's declared format", async () => {
      await fetch(`${gateway.url}/logged/r`, {
        method: 'POST',
        body: new Uint8Array(11 * MiB),
        headers: { 'user-agent': 'uploader/1.0' },
      });
      expect(lastLog()).toMatchObject({
        ip: '127.0.0.1',
        userAgent: 'uploader/1.0',
        httpMethod: 'POST',
        path: '/logged/r',
        apiId: subject.apiId,
        stage: 'logged',
        status: '413',
        errorMessage: 'Request Entity Too Large',
      });
    });

    it('a body of exactly 10 MB still reaches the function, and the connection serves the next request', async () => {
      next = () => ok({ statusCode: 200, body: 'fine' });
      const response = await fetch(`${dev}/r`, { method: 'POST', body: new Uint8Array(10 * MiB) });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('fine');
    });
  });

  describe("Lambda's 6 MB limits", () => {
    it('an event Lambda refuses is 413 {"message":"Request Too Long"}, x-amzn-errortype BadRequestException', async () => {
      next = () => refused;
      const response = await fetch(`${dev}/r`, { method: 'POST', body: 'anything' });
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

    // Only REST APIs have customisable gateway responses: for HTTP APIs the case does not exist (no test,
    // rather than a skipped one).
    if (subject.gatewayResponses)
      it('that 413 ignores a customised DEFAULT_4XX and REQUEST_TOO_LARGE (it cannot be customised)', async () => {
        // The customisation is in force for other 4XX answers: a missing resource.
        const customised = await fetch(`${dev}/nowhere`);
        expect(customised.status).toBe(400);
        expect(customised.headers.get('x-custom')).toBe('default-4xx');
        expect(await customised.text()).toBe('{"custom":"Missing Authentication Token"}');

        next = () => refused;
        const response = await fetch(`${dev}/r`, { method: 'POST', body: 'anything' });
        expect(response.status).toBe(413);
        expect(response.headers.get('x-custom')).toBeNull();
        expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
        expect(await response.text()).toBe('{"message":"Request Too Long"}');

        // Nor does the 10 MB one.
        const tooLarge = await fetch(`${dev}/r`, { method: 'POST', body: new Uint8Array(11 * MiB) });
        expect(tooLarge.status).toBe(413);
        expect(tooLarge.headers.get('x-custom')).toBeNull();
        expect(await tooLarge.text()).toBe('HTTP content length exceeded 10485760 bytes.');
      });

    it(`a response over 6 MB is a failed invocation: ${subject.failedInvocation.status} ${subject.failedInvocation.body}`, async () => {
      next = () => tooLargeResponse;
      const response = await fetch(`${dev}/r`);
      expect(response.status).toBe(subject.failedInvocation.status);
      expect(response.headers.get('x-amzn-errortype')).toBe(subject.failedInvocation.errorType);
      expect(await response.text()).toBe(subject.failedInvocation.body);
      expect(lastLog()).toMatchObject({
        integrationStatus: '200',
        integrationErrorMessage: expect.stringContaining('Function.ResponseSizeTooLarge'),
      });
    });

    describe('with the Lambda runtime', () => {
      let real: StartedGateway;

      beforeAll(async () => {
        real = await subject.start({ invoker: await sizedRuntime(), functionName: 'sized' });
      }, 30_000);
      afterAll(() => real.close());

      it('a 7 MB body (under the gateway’s 10 MB) is refused by Lambda: 413 Request Too Long', async () => {
        const body = 'x'.repeat(7 * 1000 * 1000);
        const response = await fetch(`${real.url}/dev/r`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
        });
        expect(response.status).toBe(413);
        expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
        expect(await response.text()).toBe('{"message":"Request Too Long"}');
        const fits = await fetch(`${real.url}/dev/r`, { method: 'POST', body: body.slice(0, 6_000_000) });
        expect(fits.status).toBe(200);
        expect(await fits.text()).toBe('6000000');
      }, 30_000);

      it(`a 7 MB result is ${subject.failedInvocation.status}`, async () => {
        const response = await fetch(`${real.url}/dev/r?n=7000000`);
        expect(response.status).toBe(subject.failedInvocation.status);
        expect(await response.text()).toBe(subject.failedInvocation.body);
        expect((await fetch(`${real.url}/dev/r?n=10`)).status).toBe(200);
      }, 30_000);
    });
  });
});
