import { describe, expect, it } from 'vitest';
import { resolveFake, resolvers } from './helpers';

describe('Fn::GetAtt forms', () => {
  it.each([
    ['array', { 'Fn::GetAtt': ['Fn', 'Arn'] }],
    ['dotted string', { 'Fn::GetAtt': 'Fn.Arn' }],
    ['attribute from an intrinsic', { 'Fn::GetAtt': ['Fn', { 'Fn::Join': ['', ['A', 'rn']] }] }],
  ])('%s', (_name, input) => {
    expect(resolveFake(input, { attributes: { 'Fn.Arn': 'arn:x' } }).value).toBe('arn:x');
  });

  it('bad arguments are unresolved', () => {
    expect(resolveFake({ 'Fn::GetAtt': ['OnlyOne'] }).unresolved).toEqual([
      'Fn::GetAtt needs [LogicalId, Attribute]',
    ]);
  });
});

describe('Ref and Fn::GetAtt per resource type', () => {
  const template = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'notes-list' } },
      GenFn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Alias: {
        Type: 'AWS::Lambda::Alias',
        Properties: { FunctionName: { Ref: 'Fn' }, Name: 'live', FunctionVersion: '1' },
      },
      Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: { LayerName: 'deps' } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'notes' } },
      Global: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: 'chat' } },
      Pool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
      Client: {
        Type: 'AWS::Cognito::UserPoolClient',
        Properties: { UserPoolId: { Ref: 'Pool' }, ClientName: 'web' },
      },
      Server: {
        Type: 'AWS::Cognito::UserPoolResourceServer',
        Properties: { Identifier: 'notes', Name: 'n' },
      },
      Group: { Type: 'AWS::Cognito::UserPoolGroup', Properties: { GroupName: 'admins' } },
      Domain: { Type: 'AWS::Cognito::UserPoolDomain', Properties: { Domain: 'notes-dev' } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'fn-role', Path: '/service/' } },
      Logs: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Fn' }]] } },
      },
      Rest: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
      HttpStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { StageName: '$default' } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'events' } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'files' } },
      Thing: { Type: 'AWS::Made::Up', Properties: {} },
    },
  };
  const { assembly } = resolvers([{ stackName: 'dev-notes', template, region: 'eu-west-1' }]);
  const stack = assembly.stacks[0];
  if (!stack) throw new Error('no stack');
  const att = (logicalId: string, attribute: string) =>
    stack.resolve({ 'Fn::GetAtt': [logicalId, attribute] }, { logicalId: 'Test', type: 'Test' });
  const pool = stack.refOf('Pool');
  const api = stack.refOf('Http');

  it.each([
    ['Fn', 'notes-list'],
    ['Alias', 'arn:aws:lambda:eu-west-1:000000000000:function:notes-list:live'],
    ['Version', 'arn:aws:lambda:eu-west-1:000000000000:function:notes-list:1'],
    ['Layer', 'arn:aws:lambda:eu-west-1:000000000000:layer:deps:1'],
    ['Table', 'notes'],
    ['Global', 'chat'],
    ['Server', 'notes'],
    ['Group', 'admins'],
    ['Domain', 'notes-dev'],
    ['Role', 'fn-role'],
    ['Logs', '/aws/lambda/notes-list'],
    ['HttpStage', '$default'],
    ['Queue', 'https://sqs.eu-west-1.amazonaws.com/000000000000/jobs'],
    ['Topic', 'arn:aws:sns:eu-west-1:000000000000:events'],
    ['Bucket', 'files'],
  ])('Ref %s', (logicalId, expected) => {
    expect(stack.refOf(logicalId)).toBe(expected);
  });

  it('generated ids have AWS shapes', () => {
    expect(stack.refOf('GenFn')).toMatch(/^dev-notes-GenFn-[A-Z0-9]{12}$/);
    expect(pool).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(stack.refOf('Client')).toMatch(/^[a-z0-9]{26}$/);
    expect(api).toMatch(/^[a-z0-9]{10}$/);
    expect(stack.refOf('Rest')).toMatch(/^[a-z0-9]{10}$/);
    expect(stack.refOf('Thing')).toMatch(/^dev-notes-Thing-[A-Z0-9]{12}$/);
  });

  it.each([
    ['Fn', 'Arn', 'arn:aws:lambda:eu-west-1:000000000000:function:notes-list'],
    ['Alias', 'AliasArn', 'arn:aws:lambda:eu-west-1:000000000000:function:notes-list:live'],
    ['Version', 'Version', '1'],
    ['Layer', 'LayerVersionArn', 'arn:aws:lambda:eu-west-1:000000000000:layer:deps:1'],
    ['Table', 'Arn', 'arn:aws:dynamodb:eu-west-1:000000000000:table/notes'],
    [
      'Table',
      'StreamArn',
      'arn:aws:dynamodb:eu-west-1:000000000000:table/notes/stream/2026-01-01T00:00:00.000',
    ],
    ['Global', 'Arn', 'arn:aws:dynamodb:eu-west-1:000000000000:table/chat'],
    ['Role', 'Arn', 'arn:aws:iam::000000000000:role/service/fn-role'],
    ['Logs', 'Arn', 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/lambda/notes-list:*'],
    ['Queue', 'Arn', 'arn:aws:sqs:eu-west-1:000000000000:jobs'],
    ['Queue', 'QueueName', 'jobs'],
    ['Topic', 'TopicName', 'events'],
    ['Bucket', 'Arn', 'arn:aws:s3:::files'],
    ['Bucket', 'RegionalDomainName', 'files.s3.eu-west-1.amazonaws.com'],
  ])('%s.%s', (logicalId, attribute, expected) => {
    expect(att(logicalId, attribute)).toBe(expected);
  });

  it('Cognito attributes', () => {
    expect(att('Pool', 'Arn')).toBe(`arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${pool}`);
    expect(att('Pool', 'ProviderName')).toBe(`cognito-idp.eu-west-1.amazonaws.com/${pool}`);
    expect(att('Pool', 'ProviderURL')).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${pool}`);
    expect(att('Client', 'ClientSecret')).toMatch(/^[a-z0-9]{51}$/);
    expect(att('Client', 'Name')).toBe('web');
  });

  it('API Gateway attributes', () => {
    expect(att('Http', 'ApiEndpoint')).toBe(`https://${api}.execute-api.eu-west-1.amazonaws.com`);
    expect(att('Ws', 'ApiEndpoint')).toBe(`wss://${stack.refOf('Ws')}.execute-api.eu-west-1.amazonaws.com`);
    expect(att('Rest', 'RootResourceId')).toMatch(/^[a-z0-9]{10}$/);
    expect(att('Rest', 'RootResourceId')).not.toBe(stack.refOf('Rest'));
  });

  it('an unknown attribute is a gap at the referencing site, with a placeholder (or a made-up ARN)', () => {
    const { assembly: fresh, gaps } = resolvers([
      {
        stackName: 'dev-notes',
        template: {
          Resources: {
            ...template.Resources,
            User: {
              Type: 'AWS::Lambda::Function',
              Properties: {
                Environment: {
                  Variables: {
                    A: { 'Fn::GetAtt': ['Table', 'Nope'] },
                    B: { 'Fn::GetAtt': ['Thing', 'Arn'] },
                  },
                },
              },
            },
          },
        },
      },
    ]);
    const env = fresh.stacks[0]?.property('User', 'Environment') as { Variables: Record<string, string> };
    expect(env.Variables.A).toBe('<<unresolved Fn::GetAtt Table.Nope>>');
    expect(env.Variables.B).toMatch(/^arn:aws:made:us-east-1:000000000000:up\/dev-notes-Thing-/);
    expect(gaps.list()).toEqual([
      expect.objectContaining({
        kind: 'unsupported-attribute',
        stack: 'dev-notes',
        logicalId: 'User',
        type: 'AWS::Lambda::Function',
        property: 'Properties.Environment',
        message: 'Fn::GetAtt Table.Nope is not known for AWS::DynamoDB::Table; used a placeholder',
      }),
      expect.objectContaining({
        kind: 'unsupported-attribute',
        message: 'Fn::GetAtt Thing.Arn is not known for AWS::Made::Up; used a made-up ARN',
      }),
    ]);
  });
});
