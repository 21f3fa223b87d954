import { describe, expect, it } from 'vitest';
import { isSensitiveKey, REDACTED, redact, redactText } from '../src/index';
import { JWT } from './support';

describe('isSensitiveKey', () => {
  it.each([
    'Authorization',
    'authorization',
    'AUTHORIZATION',
    'Proxy-Authorization',
    'authorizationToken',
    'token',
    'access_token',
    'id_token',
    'refresh_token',
    'X-Amz-Security-Token',
    'Cookie',
    'cookies',
    'x-api-key',
    'identitySource',
    'Sec-WebSocket-Protocol',
    'client_secret',
    'password',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['Host', 'user-agent', 'x-amzn-trace-id', 'sub', 'page', 'routeKey', 'requestId', 'methodArn'])(
    '%s is not',
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );
});

describe('redactText', () => {
  it('keeps the auth scheme and drops the credential', () => {
    expect(redactText(`Bearer ${JWT}`)).toBe(`Bearer ${REDACTED}`);
    expect(redactText('basic dXNlcjpwYXNzd29yZA==')).toBe(`basic ${REDACTED}`);
  });

  it('removes a JWT wherever it appears in free text', () => {
    expect(redactText(`{"note":"${JWT}"}`)).toBe(`{"note":"${REDACTED}"}`);
    expect(redactText(`invalid token ${JWT}.`)).not.toContain(JWT);
  });

  it('redacts sensitive query parameters (also URL-encoded names) and keeps the rest', () => {
    expect(redactText(`page=2&token=${JWT}&sort=asc`)).toBe(`page=2&token=${REDACTED}&sort=asc`);
    expect(redactText('https://x.example/cb?id_token=abc&state=s1')).toBe(
      `https://x.example/cb?id_token=${REDACTED}&state=s1`,
    );
    expect(redactText('access%5Ftoken=abc')).toBe(`access%5Ftoken=${REDACTED}`);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Invalid input: expected string, received number (limit=10)';
    expect(redactText(text)).toBe(text);
    expect(redactText('Sec-WebSocket-Key +W5xw47OHh3OTFsWKjGu9Q==')).toBe(
      'Sec-WebSocket-Key +W5xw47OHh3OTFsWKjGu9Q==',
    );
  });
});

describe('redact', () => {
  it('replaces sensitive values at any depth and keeps the structure', () => {
    expect(
      redact({
        headers: { Authorization: `Bearer ${JWT}`, Host: 'h' },
        multiValueHeaders: { authorization: [`Bearer ${JWT}`] },
        nested: [{ token: 'abc', keep: 1 }],
        nothing: { token: null },
      }),
    ).toEqual({
      headers: { Authorization: REDACTED, Host: 'h' },
      multiValueHeaders: { authorization: REDACTED },
      nested: [{ token: REDACTED, keep: 1 }],
      nothing: { token: null },
    });
  });

  it('handles top-level strings and undefined', () => {
    expect(redact(`token=${JWT}`)).toBe(`token=${REDACTED}`);
    expect(redact(undefined)).toBeUndefined();
  });
});
