import { describe, expect, it } from 'vitest';
import { LOCAL_BOOTSTRAP_VERSION, parameterValue, pseudoParameter } from '../../src/assembly/resolve/ref';
import { NO_VALUE } from '../../src/assembly/resolve/value';
import type { ParameterDeclaration } from '../../src/assembly/template';
import { ENV, resolveFake, resolvers } from './helpers';

describe('pseudo parameters', () => {
  it.each([
    ['AWS::AccountId', '000000000000'],
    ['AWS::Region', 'eu-west-1'],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::StackName', 'dev-notes'],
    ['AWS::StackId', ENV.stackId],
    ['AWS::NotificationARNs', []],
  ])('%s → %j', (name, expected) => {
    expect(pseudoParameter(name, ENV)).toEqual(expected);
    expect(resolveFake({ Ref: name }).value).toEqual(expected);
  });

  it('AWS::NoValue removes the property or list element', () => {
    expect(pseudoParameter('AWS::NoValue', ENV)).toBe(NO_VALUE);
    expect(resolveFake({ A: { Ref: 'AWS::NoValue' }, B: ['x', { Ref: 'AWS::NoValue' }, 'y'] }).value).toEqual(
      {
        B: ['x', 'y'],
      },
    );
  });

  it('an unknown pseudo parameter is unresolved', () => {
    const { value, unresolved } = resolveFake({ Ref: 'AWS::Nope' });
    expect(value).toMatch(/^<<unresolved/);
    expect(unresolved).toEqual(['unknown pseudo parameter AWS::Nope']);
  });
});

describe('template parameters', () => {
  const ssm = (name: string) => ({ '/app/flag': 'on', '/app/list': 'a, b' })[name];
  const cases: [string, ParameterDeclaration, string | undefined, unknown][] = [
    ['String default', { Type: 'String', Default: 'dev' }, undefined, 'dev'],
    ['override wins', { Type: 'String', Default: 'dev' }, 'prod', 'prod'],
    ['Number default as string', { Type: 'Number', Default: 3 }, undefined, '3'],
    ['CommaDelimitedList', { Type: 'CommaDelimitedList', Default: 'a, b,c' }, undefined, ['a', 'b', 'c']],
    ['List<Number>', { Type: 'List<Number>', Default: '1,2' }, undefined, ['1', '2']],
    [
      'CDK bootstrap version',
      { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
      undefined,
      LOCAL_BOOTSTRAP_VERSION,
    ],
    ['SSM value', { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/flag' }, undefined, 'on'],
    [
      'SSM list',
      { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: '/app/list' },
      undefined,
      ['a', 'b'],
    ],
  ];
  it.each(cases)('%s', (_name, declaration, override, expected) => {
    expect(parameterValue('P', declaration, { override, ssm })).toEqual({ value: expected });
  });

  it('no default and no override → unresolved', () => {
    expect(parameterValue('Env', { Type: 'String' }, { override: undefined, ssm })).toEqual({
      unresolved: 'parameter Env has no Default; pass a value for it',
    });
  });

  it('an SSM parameter without a local value → unresolved', () => {
    const result = parameterValue(
      'P',
      { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x' },
      {
        override: undefined,
        ssm,
      },
    );
    expect(result).toEqual({ unresolved: expect.stringContaining('SSM parameter /x') });
  });
});

describe('Ref in a stack', () => {
  const template = {
    Parameters: {
      Stage: { Type: 'String', Default: 'dev' },
      Missing: { Type: 'String' },
    },
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'notes' } },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { STAGE: { Ref: 'Stage' } } } },
      },
      Consumer: {
        Type: 'AWS::Lambda::Function',
        Properties: { Environment: { Variables: { M: { Ref: 'Missing' }, U: { Ref: 'Nope' } } } },
      },
    },
  };

  it('resources give their physical id, parameters their value', () => {
    const { assembly } = resolvers([{ stackName: 'dev-notes', template }]);
    const stack = assembly.stacks[0];
    expect(stack?.refOf('Table')).toBe('notes');
    expect(stack?.property('Fn', 'Environment')).toEqual({ Variables: { STAGE: 'dev' } });
  });

  it('parameters can be overridden per stack or for all stacks', () => {
    const { assembly } = resolvers([{ stackName: 'dev-notes', template }], {
      parameters: { Stage: 'all', 'dev-notes:Missing': 'given' },
    });
    expect(assembly.stacks[0]?.property('Fn', 'Environment')).toEqual({ Variables: { STAGE: 'all' } });
    expect(assembly.stacks[0]?.property('Consumer', 'Environment')).toMatchObject({
      Variables: { M: 'given' },
    });
  });

  it('unknown names and parameters without value are gaps at the site that uses them', () => {
    const { assembly, gaps } = resolvers([{ stackName: 'dev-notes', template }]);
    assembly.stacks[0]?.property('Consumer', 'Environment');
    expect(gaps.list()).toEqual([
      expect.objectContaining({
        kind: 'unresolved',
        logicalId: 'Consumer',
        property: 'Properties.Environment',
        message: 'parameter Missing has no Default; pass a value for it',
      }),
      expect.objectContaining({ message: 'Ref Nope: no parameter or resource of that name' }),
    ]);
  });
});
