import { describe, expect, it } from 'vitest';
import {
  AuthorizerConfigError,
  allowPolicy,
  authorizerContext,
  stageWildcardResource,
  type VerifiedToken,
} from '../src/index';

/** IAM's ARN matching for execute-api resources: `*` any run of characters, `?` one character. */
function iamMatches(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${regex}$`).test(arn);
}

const token: VerifiedToken = {
  sub: 'user-1',
  username: 'alice',
  tokenUse: 'access',
  clientId: 'client-a',
  scopes: ['aws.cognito.signin.user.admin', 'notes/read'],
  groups: ['admins', 'readers'],
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x',
  expiresAt: 2_000_000_000,
  claims: {},
};

describe('stageWildcardResource', () => {
  it.each([
    [
      'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/POST/lambda-token',
      'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/*',
    ],
    [
      'arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/$connect',
      'arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/*',
    ],
    [
      'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/$default/GET/notes/{id}',
      'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/$default/*',
    ],
    [
      'arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3/dev/GET/',
      'arn:aws-cn:execute-api:cn-north-1:123456789012:a1b2c3/dev/*',
    ],
  ])('%s → %s', (methodArn, resource) => {
    expect(stageWildcardResource(methodArn)).toBe(resource);
  });

  it('covers every method of the stage, and $connect, but not other stages or APIs', () => {
    const resource = stageWildcardResource('arn:aws:execute-api:eu-west-1:123456789012:api1/prod/GET/items');
    const base = 'arn:aws:execute-api:eu-west-1:123456789012';
    expect(iamMatches(resource, `${base}:api1/prod/GET/items`)).toBe(true);
    expect(iamMatches(resource, `${base}:api1/prod/POST/items/7/reviews`)).toBe(true);
    expect(iamMatches(resource, `${base}:api1/prod/$connect`)).toBe(true);
    expect(iamMatches(resource, `${base}:api1/dev/GET/items`)).toBe(false);
    expect(iamMatches(resource, `${base}:api2/prod/GET/items`)).toBe(false);
  });

  it('documents why not /*/*: a REST-style wildcard misses the WebSocket $connect ARN', () => {
    const arn = 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/$connect';
    expect(iamMatches('arn:aws:execute-api:us-east-1:123456789012:abcdef123/default/*/*', arn)).toBe(false);
    expect(iamMatches(stageWildcardResource(arn), arn)).toBe(true);
  });

  it.each([
    '',
    'not-an-arn',
    'arn:aws:lambda:eu-west-1:123456789012:function:x',
    'arn:aws:execute-api:eu-west-1:123456789012:api1',
  ])('refuses %j', (methodArn) => {
    expect(() => stageWildcardResource(methodArn)).toThrow(AuthorizerConfigError);
  });
});

describe('allowPolicy', () => {
  it('allows the whole stage for the token subject, with a flat context', () => {
    const result = allowPolicy('arn:aws:execute-api:eu-west-1:123456789012:api1/prod/GET/items', token);
    expect(result).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:eu-west-1:123456789012:api1/prod/*',
          },
        ],
      },
      context: {
        sub: 'user-1',
        username: 'alice',
        clientId: 'client-a',
        tokenUse: 'access',
        scope: 'aws.cognito.signin.user.admin notes/read',
        groups: 'admins,readers',
      },
    });
  });

  it('keeps every context value a string, number or boolean, and keys present when lists are empty', () => {
    const context = authorizerContext({ ...token, scopes: [], groups: [], username: '' });
    expect(context).toMatchObject({ scope: '', groups: '', username: '' });
    for (const value of Object.values(context)) {
      expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
  });
});
