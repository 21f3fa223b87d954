// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${…}` syntax in plain strings
import { afterAll, describe, expect, it } from 'vitest';
import { formatGap, loadAssembly } from '../../src/assembly';
import type { Template } from '../../src/assembly/template';
import { removeTempDirs, resolveFake, resolvers, tempDir, writeAssembly } from './helpers';

afterAll(removeTempDirs);

/** Loads one template as the stack `dev-notes` of a written assembly. */
async function loadTemplate(template: Template) {
  const dir = tempDir();
  writeAssembly(dir, { stacks: [{ id: 'devnotes', stackName: 'dev-notes', template }] });
  return loadAssembly({ dir });
}

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
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'orders' } },
      GenMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'app-bus' } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Name: 'nightly' } },
      BusRule: {
        Type: 'AWS::Events::Rule',
        Properties: { Name: 'on-order', EventBusName: { Ref: 'Bus' } },
      },
      ArnBusRule: {
        Type: 'AWS::Events::Rule',
        Properties: { Name: 'on-arn', EventBusName: { 'Fn::GetAtt': ['Bus', 'Arn'] } },
      },
      Stream: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks' } },
      Firehose: { Type: 'AWS::KinesisFirehose::DeliveryStream', Properties: { DeliveryStreamName: 'sink' } },
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      KeyAlias: {
        Type: 'AWS::KMS::Alias',
        Properties: { AliasName: 'alias/app', TargetKeyId: { Ref: 'Key' } },
      },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'db' } },
      Param: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/app/flag', Type: 'String', Value: 'on' } },
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
    ['Machine', 'arn:aws:states:eu-west-1:000000000000:stateMachine:orders'],
    ['Bus', 'app-bus'],
    ['Rule', 'nightly'],
    ['BusRule', 'app-bus|on-order'],
    ['ArnBusRule', 'app-bus|on-arn'],
    ['Stream', 'clicks'],
    ['Firehose', 'sink'],
    ['KeyAlias', 'alias/app'],
    ['Param', '/app/flag'],
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
    expect(stack.refOf('GenMachine')).toMatch(
      /^arn:aws:states:eu-west-1:000000000000:stateMachine:GenMachine-[A-Za-z0-9]{12}$/,
    );
    expect(att('GenMachine', 'Name')).toBe(stack.refOf('GenMachine').split(':').at(-1));
    expect(stack.refOf('Key')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(stack.refOf('Secret')).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:000000000000:secret:db-[A-Za-z0-9]{6}$/,
    );
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
    ['Bucket', 'DomainName', 'files.s3.amazonaws.com'],
    ['Queue', 'QueueUrl', 'https://sqs.eu-west-1.amazonaws.com/000000000000/jobs'],
    ['Topic', 'TopicArn', 'arn:aws:sns:eu-west-1:000000000000:events'],
    ['Machine', 'Arn', 'arn:aws:states:eu-west-1:000000000000:stateMachine:orders'],
    ['Machine', 'Name', 'orders'],
    ['Bus', 'Arn', 'arn:aws:events:eu-west-1:000000000000:event-bus/app-bus'],
    ['Bus', 'Name', 'app-bus'],
    ['Rule', 'Arn', 'arn:aws:events:eu-west-1:000000000000:rule/nightly'],
    ['BusRule', 'Arn', 'arn:aws:events:eu-west-1:000000000000:rule/app-bus/on-order'],
    ['BusRule', 'RuleName', 'on-order'],
    ['Stream', 'Arn', 'arn:aws:kinesis:eu-west-1:000000000000:stream/clicks'],
    ['Firehose', 'Arn', 'arn:aws:firehose:eu-west-1:000000000000:deliverystream/sink'],
    ['Param', 'Arn', 'arn:aws:ssm:eu-west-1:000000000000:parameter/app/flag'],
    ['Param', 'Value', 'on'],
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

  it('the state machine ARN a function gets is the Ref, not a generated name', () => {
    expect(att('Machine', 'Arn')).toBe(stack.refOf('Machine'));
    expect(att('Key', 'Arn')).toBe(`arn:aws:kms:eu-west-1:000000000000:key/${stack.refOf('Key')}`);
    expect(att('Secret', 'Id')).toBe(stack.refOf('Secret'));
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
      // A type the table does not know: one gap for the resource (next test).
      expect.objectContaining({ kind: 'unsupported-attribute', logicalId: 'Thing', type: 'AWS::Made::Up' }),
    ]);
  });
});

describe('Ref / Fn::GetAtt of a type the table does not know', () => {
  const env = (variables: Record<string, unknown>) => ({ Environment: { Variables: variables } });
  const template = {
    Resources: {
      Thing: { Type: 'AWS::Made::Up', Properties: {} },
      Other: { Type: 'AWS::Made::Up', Properties: {} },
      Quiet: { Type: 'AWS::Made::Up', Properties: {} },
      A: {
        Type: 'AWS::Lambda::Function',
        Properties: env({ REF: { Ref: 'Thing' }, ARN: { 'Fn::GetAtt': ['Thing', 'Arn'] } }),
      },
      B: {
        Type: 'AWS::Lambda::Function',
        Properties: env({
          REF: { Ref: 'Thing' },
          SUB: { 'Fn::Sub': 'x-${Thing.Endpoint}' },
          OTHER: { 'Fn::GetAtt': ['Other', 'Url'] },
        }),
      },
      // IAM does nothing locally: its values are resolved quietly.
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyDocument: { Statement: [{ Resource: { Ref: 'Quiet' } }] } },
      },
      Known: { Type: 'AWS::Lambda::Function', Properties: env({ SM: { Ref: 'Machine' } }) },
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    },
    Outputs: { ThingOut: { Value: { Ref: 'Thing' } } },
  };

  it('is one gap per referenced resource, saying the values are placeholders; not per reference', async () => {
    const model = await loadTemplate(template);
    const placeholderGaps = model.gaps.filter((gap) => gap.kind === 'unsupported-attribute').map(formatGap);
    const message =
      'Ref / Fn::GetAtt of it are placeholders: what CloudFormation returns for this type is not known locally';
    expect(placeholderGaps).toEqual([
      `UNSUPPORTED  dev-notes/Thing  AWS::Made::Up (${message})`,
      `UNSUPPORTED  dev-notes/Other  AWS::Made::Up (${message})`,
    ]);
    // The resources' own type gaps stay, once each.
    expect(
      model.gaps.filter((gap) => gap.kind === 'unsupported-resource-type').map((g) => g.logicalId),
    ).toEqual(['Thing', 'Other', 'Quiet', 'Machine']);
    // The values are still there (placeholders), the functions still load.
    const fn = model.functions.find((f) => f.logicalId === 'B');
    expect(fn?.environment.REF).toMatch(/^dev-notes-Thing-/);
    expect(fn?.environment.SUB).toBe('x-<<unresolved Fn::GetAtt Thing.Endpoint>>');
    expect(model.functions.find((f) => f.logicalId === 'Known')?.environment.SM).toMatch(
      /^arn:aws:states:us-east-1:000000000000:stateMachine:Machine-/,
    );
  });
});
