import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { formatClfTime } from '../../src/gateway/clf-time.js';
import { collectHeaders, parseQuery, splitCookies } from '../../src/gateway/headers.js';
import { evaluatePolicy, PolicyFormatError, parsePolicyDocument } from '../../src/gateway/iam-policy.js';
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
