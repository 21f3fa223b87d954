import { describe, expect, it } from 'vitest';
import { resolveFake, resolvers } from './helpers';

describe('condition functions', () => {
  const options = { refs: { Stage: 'prod', Count: '2' }, conditions: { IsProd: true, IsEu: false } };
  it.each([
    ['Fn::Equals of equal strings', { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, true],
    ['Fn::Equals of different strings', { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, false],
    ['Fn::Equals compares numbers as strings', { 'Fn::Equals': [{ Ref: 'Count' }, 2] }, true],
    ['Fn::Equals of lists', { 'Fn::Equals': [['a'], ['a']] }, true],
    ['Fn::And', { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] }, true],
    ['Fn::And with a false member', { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'IsEu' }] }, false],
    ['Fn::Or', { 'Fn::Or': [{ Condition: 'IsEu' }, { Condition: 'IsProd' }] }, true],
    ['Fn::Or all false', { 'Fn::Or': [{ Condition: 'IsEu' }, { 'Fn::Equals': ['a', 'b'] }] }, false],
    ['Fn::Not', { 'Fn::Not': [{ Condition: 'IsEu' }] }, true],
    [
      'nested',
      { 'Fn::Not': [{ 'Fn::Or': [{ Condition: 'IsEu' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] }] },
      true,
    ],
  ])('%s', (_name, input, expected) => {
    const { value, unresolved } = resolveFake(input, options);
    expect(unresolved).toEqual([]);
    expect(value).toBe(expected);
  });

  it.each([
    ['true branch', { 'Fn::If': ['IsProd', 'big', 'small'] }, 'big'],
    ['false branch', { 'Fn::If': ['IsEu', 'eu', 'elsewhere'] }, 'elsewhere'],
    ['only the chosen branch is resolved', { 'Fn::If': ['IsProd', 'ok', { 'Fn::Cidr': [] }] }, 'ok'],
  ])('Fn::If: %s', (_name, input, expected) => {
    const { value, unresolved } = resolveFake(input, options);
    expect(unresolved).toEqual([]);
    expect(value).toBe(expected);
  });

  it('Fn::If with AWS::NoValue removes the property', () => {
    const input = { Keep: 1, Drop: { 'Fn::If': ['IsEu', 'x', { Ref: 'AWS::NoValue' }] } };
    expect(resolveFake(input, options).value).toEqual({ Keep: 1 });
  });

  it('malformed conditions are unresolved and false', () => {
    const { value, unresolved } = resolveFake({ 'Fn::And': 'x' }, options);
    expect(value).toBe(false);
    expect(unresolved).toEqual(['Fn::And needs a list of conditions']);
  });
});

describe('template Conditions', () => {
  const template = {
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      InEu: { 'Fn::Equals': [{ 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: 'AWS::Region' }] }] }, 'eu'] },
    },
    Resources: {
      ProdTable: { Type: 'AWS::DynamoDB::Table', Condition: 'IsProd', Properties: { TableName: 'prod' } },
      DevTable: { Type: 'AWS::DynamoDB::Table', Condition: 'IsDev', Properties: { TableName: 'dev' } },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              TABLE: { 'Fn::If': ['IsProd', { Ref: 'ProdTable' }, { Ref: 'DevTable' }] },
              EU: { 'Fn::If': ['InEu', 'yes', 'no'] },
            },
          },
        },
      },
      Broken: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { T: { Ref: 'ProdTable' } } } },
      },
    },
    Outputs: {
      ProdOnly: { Condition: 'IsProd', Value: 'p' },
      Always: { Value: { 'Fn::If': ['IsDev', 'dev', 'prod'] } },
    },
  };

  it('resource Conditions decide which resources exist; Fn::If picks the live one', () => {
    const { assembly } = resolvers([{ stackName: 's', template, region: 'eu-central-1' }]);
    const stack = assembly.stacks[0];
    expect(stack?.isActive('ProdTable')).toBe(false);
    expect(stack?.isActive('DevTable')).toBe(true);
    expect(stack?.property('Fn', 'Environment')).toEqual({ Variables: { TABLE: 'dev', EU: 'yes' } });
    expect(stack?.output('ProdOnly')).toBeUndefined();
    expect(stack?.output('Always')).toBe('dev');
  });

  it('parameter overrides flip the conditions', () => {
    const { assembly } = resolvers([{ stackName: 's', template, region: 'us-west-2' }], {
      parameters: { Stage: 'prod' },
    });
    const stack = assembly.stacks[0];
    expect(stack?.isActive('ProdTable')).toBe(true);
    expect(stack?.isActive('DevTable')).toBe(false);
    expect(stack?.property('Fn', 'Environment')).toEqual({ Variables: { TABLE: 'prod', EU: 'no' } });
    expect(stack?.output('ProdOnly')).toBe('p');
  });

  it('a Ref to a resource excluded by its condition is a gap', () => {
    const { assembly, gaps } = resolvers([{ stackName: 's', template }]);
    assembly.stacks[0]?.property('Broken', 'Environment');
    expect(gaps.list()).toEqual([
      expect.objectContaining({
        logicalId: 'Broken',
        message: 'Ref ProdTable: the resource is excluded by its condition',
      }),
    ]);
  });

  it('an unknown condition is a gap and false', () => {
    const { assembly, gaps } = resolvers([
      { stackName: 's', template: { Resources: { T: { Type: 'AWS::SQS::Queue', Condition: 'Nope' } } } },
    ]);
    expect(assembly.stacks[0]?.isActive('T')).toBe(false);
    expect(gaps.list()).toEqual([
      expect.objectContaining({
        kind: 'unresolved',
        logicalId: 'Nope',
        type: 'Condition',
        message: 'no condition Nope in the template',
      }),
    ]);
  });
});
