import { describe, expect, it } from 'vitest';
import { AuthorizerConfigError, isLoopbackHost, parseAuthorizerConfig, parseJwtConfig } from '../src/index';

const COGNITO = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123xyz';

describe('parseJwtConfig', () => {
  it('reads a Cognito configuration with defaults', () => {
    expect(parseJwtConfig({ JWT_ISSUER: COGNITO, JWT_AUDIENCE: 'client-a' })).toEqual({
      issuer: COGNITO,
      jwksUri: `${COGNITO}/.well-known/jwks.json`,
      audience: ['client-a'],
      tokenUse: 'access',
      requiredScopes: [],
      requiredGroups: [],
      clockToleranceSeconds: 5,
    });
  });

  it('derives the JWKS URI of a local (loopback http) issuer the same way', () => {
    const issuer = 'http://127.0.0.1:41234/eu-west-1_Local1';
    expect(parseJwtConfig({ JWT_ISSUER: issuer, JWT_AUDIENCE: 'c' }).jwksUri).toBe(
      `${issuer}/.well-known/jwks.json`,
    );
  });

  it('splits lists on commas and whitespace, dropping empties and duplicates', () => {
    const config = parseJwtConfig({
      JWT_ISSUER: COGNITO,
      JWT_AUDIENCE: ' a, b ,,c a ',
      JWT_REQUIRED_SCOPES: 'notes/export notes/admin,notes/export',
      JWT_REQUIRED_GROUPS: 'admins,\teditors',
      JWT_TOKEN_USE: 'any',
      JWT_JWKS_URI: 'https://keys.example.com/jwks.json',
    });
    expect(config).toMatchObject({
      audience: ['a', 'b', 'c'],
      requiredScopes: ['notes/export', 'notes/admin'],
      requiredGroups: ['admins', 'editors'],
      tokenUse: 'any',
      jwksUri: 'https://keys.example.com/jwks.json',
    });
  });

  it.each([
    [{ JWT_AUDIENCE: 'a' }, /JWT_ISSUER is required/],
    [{ JWT_ISSUER: '  ', JWT_AUDIENCE: 'a' }, /JWT_ISSUER is required/],
    [{ JWT_ISSUER: 'cognito-idp/eu-west-1_x', JWT_AUDIENCE: 'a' }, /absolute URL/],
    [{ JWT_ISSUER: 'ftp://example.com/pool', JWT_AUDIENCE: 'a' }, /http\(s\) URL/],
    [{ JWT_ISSUER: COGNITO }, /JWT_AUDIENCE is required/],
    [{ JWT_ISSUER: COGNITO, JWT_AUDIENCE: ' , ' }, /JWT_AUDIENCE is required/],
    [{ JWT_ISSUER: COGNITO, JWT_AUDIENCE: 'a', JWT_TOKEN_USE: 'refresh' }, /JWT_TOKEN_USE/],
    [{ JWT_ISSUER: 'http://idp.example.com/pool', JWT_AUDIENCE: 'a' }, /must be https/],
    [{ JWT_ISSUER: COGNITO, JWT_AUDIENCE: 'a', JWT_JWKS_URI: 'http://10.0.0.5/jwks.json' }, /must be https/],
  ])('refuses %j', (env, message) => {
    expect(() => parseJwtConfig(env)).toThrow(AuthorizerConfigError);
    expect(() => parseJwtConfig(env)).toThrow(message);
  });

  it('never echoes a configured value in its errors', () => {
    const secretish = 'http://internal-host.corp.example/pool-123';
    expect(() => parseJwtConfig({ JWT_ISSUER: secretish, JWT_AUDIENCE: 'a' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('internal-host') }),
    );
  });
});

describe('parseAuthorizerConfig', () => {
  it('defaults the query parameter to token', () => {
    expect(parseAuthorizerConfig({ JWT_ISSUER: COGNITO, JWT_AUDIENCE: 'a' }).queryParameter).toBe('token');
  });

  it('reads JWT_QUERY_PARAMETER', () => {
    const config = parseAuthorizerConfig({
      JWT_ISSUER: COGNITO,
      JWT_AUDIENCE: 'a',
      JWT_QUERY_PARAMETER: 'access_token',
    });
    expect(config.queryParameter).toBe('access_token');
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each([
    '10.0.0.1',
    '0.0.0.0',
    '128.0.0.1',
    'localhost.example.com',
    '127.0.0.1.nip.io',
    '[::2]',
    'example.com',
  ])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
