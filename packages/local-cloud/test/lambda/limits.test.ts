/**
 * Lambda's 6 MB synchronous payload limits: an event over 6 MB is refused before anything runs
 * (`request-too-large`), a result over 6 MB of JSON fails the invocation (`response-too-large`).
 */
import { describe, expect, it } from 'vitest';
import {
  eventBytes,
  oversizedResult,
  REQUEST_LIMIT_BYTES,
  RESPONSE_LIMIT_BYTES,
} from '../../src/lambda/limits';
import { expectFailure, expectOk, fnConfig, lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();

/** Returns the event's body length, or a string of `event.respond` characters (`event.char`, default `a`). */
const HANDLER = `
export const handler = async (event) =>
  event.respond === undefined ? { length: event.body.length } : (event.char ?? 'a').repeat(event.respond);`;

async function start() {
  const dir = await bed.bundle({ 'index.mjs': HANDLER });
  return bed.runtime({ functions: [fnConfig('sized', dir)] });
}

/** An event whose JSON (`{"body":"…"}`) is `bytes` long in UTF-8. */
const eventOf = (bytes: number) => ({ body: 'x'.repeat(bytes - '{"body":""}'.length) });

describe('the 6 MB request limit', () => {
  it('refuses an event over 6 MB before anything runs, and runs one of exactly 6 MB', async () => {
    const { runtime, logs } = await start();
    const refused = expectFailure(
      await runtime.invoke('sized', eventOf(REQUEST_LIMIT_BYTES + 1), { requestId: 'too-big' }),
    );
    expect(refused).toEqual({
      ok: false,
      requestId: 'too-big',
      kind: 'request-too-large',
      errorType: 'RequestEntityTooLargeException',
      errorMessage: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
    expect(runtime.stats()[0]).toMatchObject({ workers: 0, coldStarts: 0, inFlight: 0 });
    expect(logs.lines('sized')).toEqual([]);

    const atLimit = expectOk(await runtime.invoke('sized', eventOf(REQUEST_LIMIT_BYTES)));
    expect(atLimit.result).toEqual({ length: REQUEST_LIMIT_BYTES - '{"body":""}'.length });
  }, 30_000);

  it('counts bytes, not characters, and the trace id the payload carries does not count', async () => {
    const { runtime } = await start();
    // 2.2 million characters, 6.6 million bytes.
    const euros = { body: '€'.repeat(2_200_000) };
    expect(expectFailure(await runtime.invoke('sized', euros)).kind).toBe('request-too-large');
    const traced = await runtime.invoke('sized', eventOf(REQUEST_LIMIT_BYTES), {
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    expect(traced.ok).toBe(true);
  }, 30_000);

  it('the event size is the payload less its envelope', () => {
    const event = { body: 'é' };
    const payload = JSON.stringify({ requestId: 'r-1', event, traceId: 't' });
    expect(eventBytes(Buffer.byteLength(payload), 'r-1', 't')).toBe(Buffer.byteLength(JSON.stringify(event)));
    const untraced = JSON.stringify({ requestId: 'r-ü', event });
    expect(eventBytes(Buffer.byteLength(untraced), 'r-ü', undefined)).toBe(
      Buffer.byteLength(JSON.stringify(event)),
    );
  });
});

describe('the 6 MB response limit', () => {
  it('fails an invocation whose result is over 6 MB of JSON; the worker stays warm', async () => {
    const { runtime, logs } = await start();
    const over = RESPONSE_LIMIT_BYTES - 1; // a string of n characters is n + 2 bytes of JSON
    const failure = expectFailure(await runtime.invoke('sized', { respond: over }, { requestId: 'big-out' }));
    expect(failure).toEqual({
      ok: false,
      requestId: 'big-out',
      kind: 'response-too-large',
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    expect(logs.lines('sized', 'stderr')).toEqual([
      expect.stringMatching(
        /\tbig-out\tERROR\tLAMBDA_RUNTIME Failed to post handler success response\. Http response code: 413\.$/,
      ),
    ]);
    expect(logs.lines('sized', 'platform')).toContain('END RequestId: big-out');

    const fits = expectOk(await runtime.invoke('sized', { respond: RESPONSE_LIMIT_BYTES - 2 }));
    expect((fits.result as string).length).toBe(RESPONSE_LIMIT_BYTES - 2);
    expect(runtime.stats()[0]?.coldStarts).toBe(1);
  }, 30_000);

  it('measures the JSON: escapes and multi-byte characters count', async () => {
    const { runtime } = await start();
    // 1.1 million control characters: 1.1 MB as a string, 6.6 MB as JSON (`\u0001` each).
    const escaped = await runtime.invoke('sized', { respond: 1_100_000, char: '\u0001' });
    expect(expectFailure(escaped).kind).toBe('response-too-large');
    // 2.1 million '€': 6.3 MB of UTF-8.
    const euros = await runtime.invoke('sized', { respond: 2_100_000, char: '€' });
    expect(expectFailure(euros).kind).toBe('response-too-large');
    expect((await runtime.invoke('sized', { respond: 2_000_000, char: '€' })).ok).toBe(true);
  }, 30_000);
});

describe('oversizedResult', () => {
  it('a usual proxy result is bounded without serialising and passes', () => {
    expect(oversizedResult({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' })).toBe(
      undefined,
    );
  });

  it('measures exactly past the bound', () => {
    const body = 'a'.repeat(1000);
    const result = { statusCode: 200, body };
    const size = Buffer.byteLength(JSON.stringify(result));
    expect(oversizedResult(result, size)).toBe(undefined);
    expect(oversizedResult(result, size - 1)).toBe(size);
  });

  it('values that serialise their own way are measured', () => {
    const when = new Date(0);
    expect(oversizedResult({ when }, 10)).toBe(Buffer.byteLength(JSON.stringify({ when })));
    expect(oversizedResult([Buffer.alloc(4)], 10)).toBe(Buffer.byteLength(JSON.stringify([Buffer.alloc(4)])));
  });

  it('a result JSON cannot encode is left to the marshalling', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(oversizedResult(cyclic, 10)).toBe(undefined);
  });
});
