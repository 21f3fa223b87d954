// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { describe, expect, it } from 'vitest';
import { resolvers } from './helpers';

const shared = {
  stackName: 'dev-shared',
  template: {
    Resources: {
      Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
      Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' } } },
    },
    Outputs: {
      PoolId: { Value: { Ref: 'Pool' }, Export: { Name: 'dev-shared:PoolId' } },
      Issuer: {
        Value: { 'Fn::GetAtt': ['Pool', 'ProviderURL'] },
        Export: { Name: { 'Fn::Sub': '${AWS::StackName}:Issuer' } },
      },
      ClientId: { Value: { Ref: 'Client' } },
    },
  },
};

const notes = {
  stackName: 'dev-notes',
  template: {
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              POOL: { 'Fn::ImportValue': 'dev-shared:PoolId' },
              ISSUER: { 'Fn::ImportValue': { 'Fn::Join': [':', [{ Ref: 'AWS::StackName' }, 'x']] } },
              ISSUER2: { 'Fn::ImportValue': { 'Fn::Sub': 'dev-shared:Issuer' } },
              CLIENT: {
                'Fn::GetStackOutput': {
                  StackName: 'dev-shared',
                  Region: { Ref: 'AWS::Region' },
                  OutputName: 'ClientId',
                },
              },
            },
          },
        },
      },
      Missing: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              A: { 'Fn::ImportValue': 'elsewhere:Thing' },
              B: { 'Fn::GetStackOutput': { StackName: 'other', OutputName: 'X' } },
              C: { 'Fn::GetStackOutput': { StackName: 'dev-shared', OutputName: 'Nope' } },
            },
          },
        },
      },
    },
  },
};

describe('cross-stack references', () => {
  it('Fn::ImportValue reads the exporting stack’s output; Fn::GetStackOutput reads any output', () => {
    const { assembly, gaps } = resolvers([shared, notes]);
    const poolId = assembly.stack('dev-shared')?.refOf('Pool');
    const clientId = assembly.stack('dev-shared')?.refOf('Client');
    const env = assembly.stack('dev-notes')?.property('Fn', 'Environment') as {
      Variables: Record<string, string>;
    };
    expect(env.Variables.POOL).toBe(poolId);
    expect(env.Variables.ISSUER2).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);
    expect(env.Variables.CLIENT).toBe(clientId);
    // `dev-notes:x` is exported by no stack.
    expect(env.Variables.ISSUER).toMatch(/^<<unresolved/);
    expect(gaps.list().map((gap) => gap.message)).toEqual([
      'Fn::ImportValue: no stack of this assembly exports dev-notes:x',
    ]);
  });

  it('names that no stack exports are gaps unless given in importValues', () => {
    const { assembly, gaps } = resolvers([shared, notes], { importValues: { 'elsewhere:Thing': 'given' } });
    const env = assembly.stack('dev-notes')?.property('Missing', 'Environment') as {
      Variables: Record<string, string>;
    };
    expect(env.Variables.A).toBe('given');
    expect(gaps.list().map((gap) => gap.message)).toEqual([
      'Fn::GetStackOutput: no stack other in this assembly',
      'Fn::GetStackOutput: dev-shared has no output Nope',
    ]);
  });

  it('the order of stacks does not matter (resolution is lazy)', () => {
    const { assembly } = resolvers([notes, shared]);
    const env = assembly.stack('dev-notes')?.property('Fn', 'Environment') as {
      Variables: Record<string, string>;
    };
    expect(env.Variables.POOL).toBe(assembly.stack('dev-shared')?.refOf('Pool'));
  });

  it('a duplicate export name is a gap', () => {
    const copy = {
      stackName: 'dev-copy',
      template: { Outputs: { Same: { Value: 'x', Export: { Name: 'dev-shared:PoolId' } } } },
    };
    const { assembly, gaps } = resolvers([shared, copy, notes]);
    assembly.stack('dev-notes')?.property('Fn', 'Environment');
    expect(gaps.list()).toContainEqual(
      expect.objectContaining({
        stack: 'dev-copy',
        logicalId: 'Same',
        message: 'export name dev-shared:PoolId is also exported by dev-shared',
      }),
    );
  });
});
