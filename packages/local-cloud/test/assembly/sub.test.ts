// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { describe, expect, it } from 'vitest';
import { parseSub } from '../../src/assembly/resolve/sub';
import { resolveFake } from './helpers';

describe('parseSub', () => {
  it.each([
    ['plain', [{ literal: 'plain' }]],
    ['${A}', [{ variable: 'A' }]],
    ['a-${AWS::Region}-b', [{ literal: 'a-' }, { variable: 'AWS::Region' }, { literal: '-b' }]],
    ['${Res.Arn}/x', [{ variable: 'Res.Arn' }, { literal: '/x' }]],
    ['${!Literal} and ${ A }', [{ literal: '${Literal} and ' }, { variable: 'A' }]],
    ['open ${ without end', [{ literal: 'open ${ without end' }]],
    ['$notavar {x}', [{ literal: '$notavar {x}' }]],
  ])('%s', (template, parts) => {
    expect(parseSub(template)).toEqual(parts);
  });
});

describe('Fn::Sub', () => {
  const options = {
    refs: { Table: 'notes-table', Stage: 'dev' },
    attributes: {
      'Pool.ProviderURL': 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      'Nested.Outputs.X': 'x',
    },
  };
  it.each([
    [
      'string form with pseudo parameters',
      { 'Fn::Sub': 'cdk-assets-${AWS::AccountId}-${AWS::Region}' },
      'cdk-assets-000000000000-eu-west-1',
    ],
    ['Ref of a resource', { 'Fn::Sub': 'table=${Table}' }, 'table=notes-table'],
    [
      'GetAtt with a dot',
      { 'Fn::Sub': '${Pool.ProviderURL}/.well-known/jwks.json' },
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json',
    ],
    ['attribute names with dots split at the first dot', { 'Fn::Sub': '${Nested.Outputs.X}' }, 'x'],
    ['escape ${!…}', { 'Fn::Sub': '${!Stage} is ${Stage}' }, '${Stage} is dev'],
    [
      'variable map form, values may be intrinsics',
      { 'Fn::Sub': ['${Name}-${Stage}-${Region}', { Name: 'api', Region: { Ref: 'AWS::Region' } }] },
      'api-dev-eu-west-1',
    ],
    ['numbers become strings', { 'Fn::Sub': ['${N}', { N: 42 }] }, '42'],
  ])('%s', (_name, input, expected) => {
    const { value, unresolved } = resolveFake(input, options);
    expect(unresolved).toEqual([]);
    expect(value).toBe(expected);
  });

  it('bad arguments and non-string variables are unresolved', () => {
    expect(resolveFake({ 'Fn::Sub': 42 }).unresolved).toEqual([
      'Fn::Sub needs a string or [string, variables]',
    ]);
    expect(resolveFake({ 'Fn::Sub': ['${L}', { L: ['a'] }] }).unresolved).toEqual([
      'Fn::Sub variable ${L} is not a string',
    ]);
  });
});
