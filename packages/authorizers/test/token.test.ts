import { describe, expect, it } from 'vitest';
import { MissingTokenError, parseBearerHeader, tokenFromRequest } from '../src/index';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const OTHER = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ5In0.c2ln';

describe('parseBearerHeader', () => {
  it.each([`Bearer ${JWT}`, `bearer ${JWT}`, `BEARER ${JWT}`, `Bearer   ${JWT}`])('accepts %s', (value) => {
    expect(parseBearerHeader(value)).toBe(JWT);
  });

  it.each([
    [undefined, 'missing_token'],
    [null, 'missing_token'],
    ['', 'missing_token'],
    ['Basic abc', 'unsupported_scheme'],
    [JWT, 'unsupported_scheme'],
    ['Bearer', 'malformed_authorization'],
    [`Bearer ${JWT} extra`, 'malformed_authorization'],
  ])('refuses %j (%s)', (value, reason) => {
    expect(() => parseBearerHeader(value)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('tokenFromRequest', () => {
  it('reads the Authorization header in any case', () => {
    expect(tokenFromRequest({ headers: { AUTHORIZATION: `Bearer ${JWT}` } }, 'token')).toBe(JWT);
    expect(tokenFromRequest({ headers: { authorization: `Bearer ${JWT}` } }, 'token')).toBe(JWT);
  });

  it('accepts the same value in headers and multiValueHeaders (REST sends both)', () => {
    const source = {
      headers: { Authorization: `Bearer ${JWT}` },
      multiValueHeaders: { Authorization: [`Bearer ${JWT}`] },
    };
    expect(tokenFromRequest(source, 'token')).toBe(JWT);
  });

  it('refuses two different Authorization headers', () => {
    const source = {
      headers: { Authorization: `Bearer ${JWT}` },
      multiValueHeaders: { Authorization: [`Bearer ${JWT}`, `Bearer ${OTHER}`] },
    };
    expect(() => tokenFromRequest(source, 'token')).toThrow(
      expect.objectContaining({ reason: 'ambiguous_token' }),
    );
  });

  it('falls back to the query parameter (WebSocket $connect)', () => {
    expect(tokenFromRequest({ headers: { Host: 'x' }, queryStringParameters: { token: JWT } }, 'token')).toBe(
      JWT,
    );
  });

  it('lets a present header win over the query parameter, even when the header is bad', () => {
    expect(() =>
      tokenFromRequest(
        { headers: { Authorization: 'Basic abc' }, queryStringParameters: { token: JWT } },
        'token',
      ),
    ).toThrow(expect.objectContaining({ reason: 'unsupported_scheme' }));
  });

  it('matches the query parameter name case-sensitively, like API Gateway', () => {
    expect(() => tokenFromRequest({ queryStringParameters: { Token: JWT } }, 'token')).toThrow(
      MissingTokenError,
    );
  });

  it('uses the configured parameter name', () => {
    expect(tokenFromRequest({ queryStringParameters: { access_token: JWT } }, 'access_token')).toBe(JWT);
  });

  it('refuses a repeated query parameter with different values', () => {
    const source = {
      queryStringParameters: { token: OTHER },
      multiValueQueryStringParameters: { token: [JWT, OTHER] },
    };
    expect(() => tokenFromRequest(source, 'token')).toThrow(
      expect.objectContaining({ reason: 'ambiguous_token' }),
    );
  });

  it.each([
    [{}, 'nothing at all'],
    [{ headers: null, queryStringParameters: null }, 'null maps (REST without query string)'],
    [{ queryStringParameters: { token: '' } }, 'an empty query parameter'],
    [{ headers: { authorization: '' } }, 'an empty header'],
  ])('refuses %j (%s)', (source, _why) => {
    expect(() => tokenFromRequest(source, 'token')).toThrow(
      expect.objectContaining({ reason: 'missing_token' }),
    );
  });
});
