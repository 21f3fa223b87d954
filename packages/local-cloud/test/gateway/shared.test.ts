import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { formatClfTime } from '../../src/gateway/clf-time.js';
import { collectHeaders, parseQuery, splitCookies } from '../../src/gateway/headers.js';
import { evaluatePolicy, PolicyFormatError, parsePolicyDocument } from '../../src/gateway/iam-policy.js';
import {
  GATEWAY_TIMEOUT,
  type InvokeOutcome,
  invokeWithDeadline,
  type LambdaInvoker,
} from '../../src/gateway/invoker.js';
import { createRequestIdGenerator } from '../../src/gateway/request-id.js';
import { TokenBucket } from '../../src/gateway/token-bucket.js';
import { TtlCache } from '../../src/gateway/ttl-cache.js';

describe('formatClfTime', () => {
  it('formats like requestContext.time in the captured events', () => {
    expect(formatClfTime(1718639369348)).toBe('17/Jun/2024:15:49:29 +0000');
    expect(formatClfTime(1718639559080)).toBe('17/Jun/2024:15:52:39 +0000');
    expect(formatClfTime(Date.UTC(2026, 0, 5, 3, 4, 5))).toBe('05/Jan/2026:03:04:05 +0000');
  });
});

describe('request ids', () => {
  it('look like HTTP API ids (16 base64 characters ending in =) and do not repeat', () => {
    const next = createRequestIdGenerator(new ManualClock());
    const ids = Array.from({ length: 5000 }, next);
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are standard base64 of milliseconds (5 bytes), a random part (3) and a counter (3)', () => {
    const start = Date.UTC(2026, 0, 5, 3, 4, 5, 678);
    const clock = new ManualClock(start);
    const next = createRequestIdGenerator(clock);
    const decoded = Array.from({ length: 300 }, (_, i) => {
      if (i % 100 === 99) clock.advance(1);
      const id = next();
      const bytes = Buffer.from(id, 'base64');
      expect(bytes.toString('base64')).toBe(id);
      return bytes;
    });
    const [first] = decoded as [Buffer];
    for (const [i, bytes] of decoded.entries()) {
      expect(bytes.readUIntBE(0, 5)).toBe((start + Math.floor((i + 1) / 100)) % 2 ** 40);
      expect(bytes.subarray(5, 8)).toEqual(first.subarray(5, 8));
      expect(bytes.readUIntBE(8, 3)).toBe((first.readUIntBE(8, 3) + i) & 0xffffff);
    }
  });
});

describe('invokeWithDeadline', () => {
  const invoker = (invoke: LambdaInvoker['invoke']): LambdaInvoker => ({ invoke });
  const answer: InvokeOutcome = { ok: true, result: 'done' };

  it('passes the outcome through, with the request id and the deadline as both forms', async () => {
    const seen: unknown[] = [];
    const before = Date.now();
    const outcome = await invokeWithDeadline(
      invoker(async (name, event, opts) => {
        seen.push(name, event, opts);
        return answer;
      }),
      'fn',
      { e: 1 },
      'req-1',
      1000,
    );
    expect(outcome).toEqual(answer);
    expect(seen.slice(0, 2)).toEqual(['fn', { e: 1 }]);
    const opts = seen[2] as { requestId: string; deadline: number; timeoutMs: number };
    expect(opts).toMatchObject({ requestId: 'req-1', timeoutMs: 1000 });
    expect(opts.deadline).toBeGreaterThanOrEqual(before + 1000);
  });

  it('resolves GATEWAY_TIMEOUT when the invocation outlives the timeout; its late result is dropped', async () => {
    let finish: (outcome: InvokeOutcome) => void = () => undefined;
    const slow = invoker(() => new Promise((resolve) => (finish = resolve)));
    expect(await invokeWithDeadline(slow, 'fn', {}, 'r', 20)).toBe(GATEWAY_TIMEOUT);
    finish(answer);
  });

  it('turns a rejected invocation into a crash outcome, and lets a synchronous throw reject', async () => {
    const rejecting = invoker(() => Promise.reject(new Error('invoker bug')));
    expect(await invokeWithDeadline(rejecting, 'fn', {}, 'r', 1000)).toEqual({
      ok: false,
      kind: 'crash',
      errorType: 'Local.InvokerError',
      errorMessage: 'invoker bug',
    });
    const throwing = invoker(() => {
      throw new Error('sync bug');
    });
    await expect(invokeWithDeadline(throwing, 'fn', {}, 'r', 1000)).rejects.toThrow('sync bug');
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate as the clock moves', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, clock);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    clock.advance(499);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
    clock.advance(60_000);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('rejects everything with a burst of 0', () => {
    expect(new TokenBucket({ rateLimit: 100, burstLimit: 0 }, new ManualClock()).tryTake()).toBe(false);
  });
});

describe('TtlCache', () => {
  it('forgets entries once their TTL has passed', () => {
    const clock = new ManualClock();
    const cache = new TtlCache<string>(clock);
    cache.set('k', 'v', 1000);
    cache.set('zero', 'v', 0);
    clock.advance(999);
    expect(cache.get('k')).toBe('v');
    expect(cache.get('zero')).toBeUndefined();
    clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('header and query helpers', () => {
  it('lower-cases names, joins repeats with a comma, sets cookies aside, drops hop-by-hop headers', () => {
    const { headers, cookieHeaders } = collectHeaders([
      'X-Multi',
      'a',
      'Host',
      'h',
      'x-multi',
      'b',
      'Cookie',
      'a=1; b=2',
      'Connection',
      'keep-alive',
      'cookie',
      'c=3',
    ]);
    expect(headers).toEqual({ 'x-multi': 'a,b', host: 'h' });
    expect(cookieHeaders).toEqual(['a=1; b=2', 'c=3']);
    expect(splitCookies(cookieHeaders ?? [])).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('decodes query pairs in order and keeps malformed escapes', () => {
    expect(parseQuery('a=1&a=2&b=x%20y&flag&&c=%E0%A4%A&d=a+b')).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', 'x y'],
      ['flag', ''],
      ['c', '%E0%A4%A'],
      ['d', 'a+b'],
    ]);
  });
});

describe('IAM policy evaluation', () => {
  const arn = 'arn:aws:execute-api:eu-west-1:123456789012:abc/$default/GET/notes/1';
  const policy = (
    effect: string,
    resource: string | string[],
    action: string | string[] = 'execute-api:Invoke',
  ) =>
    parsePolicyDocument({
      Version: '2012-10-17',
      Statement: [{ Effect: effect, Action: action, Resource: resource }],
    });

  it('allows a matching resource, with * and ? wildcards', () => {
    expect(evaluatePolicy(policy('Allow', arn), arn)).toBe('allow');
    expect(evaluatePolicy(policy('Allow', 'arn:aws:execute-api:eu-west-1:123456789012:abc/*'), arn)).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy('Allow', 'arn:aws:execute-api:*:*:abc/$default/GET/notes/?'), arn)).toBe(
      'allow',
    );
    expect(evaluatePolicy(policy('Allow', arn, 'execute-api:*'), arn)).toBe('allow');
  });

  it('denies implicitly without a matching Allow, and an explicit Deny wins', () => {
    expect(
      evaluatePolicy(policy('Allow', 'arn:aws:execute-api:eu-west-1:123456789012:abc/$default/POST/*'), arn),
    ).toBe('implicit-deny');
    expect(evaluatePolicy(policy('Allow', arn, 's3:GetObject'), arn)).toBe('implicit-deny');
    const both = parsePolicyDocument({
      Statement: [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: arn },
      ],
    });
    expect(evaluatePolicy(both, arn)).toBe('explicit-deny');
  });

  it('rejects malformed documents', () => {
    expect(() => parsePolicyDocument(null)).toThrow(PolicyFormatError);
    expect(() => parsePolicyDocument({ Statement: [] })).toThrow(PolicyFormatError);
    expect(() =>
      parsePolicyDocument({ Statement: [{ Effect: 'Maybe', Action: 'x', Resource: '*' }] }),
    ).toThrow(PolicyFormatError);
  });
});
