import { afterAll, describe, expect, it } from 'vitest';
import { GapSink } from '../../src/assembly/gaps';
import { formatGap, type Gap, loadAssembly, supportLevel } from '../../src/assembly/index';
import { removeTempDirs, tempDir, writeAssembly } from './helpers';

afterAll(removeTempDirs);

describe('support levels', () => {
  it.each([
    ['AWS::Lambda::Function', 'modelled'],
    ['AWS::DynamoDB::GlobalTable', 'modelled'],
    ['AWS::Cognito::UserPoolDomain', 'modelled'],
    ['AWS::ApiGatewayV2::Route', 'modelled'],
    ['AWS::IAM::Role', 'no-op'],
    ['AWS::Lambda::Permission', 'no-op'],
    ['AWS::Logs::LogGroup', 'no-op'],
    ['AWS::CDK::Metadata', 'no-op'],
    ['AWS::SQS::Queue', 'unsupported'],
    ['AWS::ApiGateway::RestApi', 'modelled'],
    ['AWS::ApiGateway::DomainName', 'unsupported'],
    ['Custom::Thing', 'unsupported'],
  ])('%s is %s', (type, level) => {
    expect(supportLevel(type)).toBe(level);
  });
});

describe('formatGap and GapSink', () => {
  const base = { stack: 'dev-notes', logicalId: 'Fn', type: 'AWS::Lambda::Function' };
  it.each<[Gap, string]>([
    [
      { ...base, kind: 'unsupported-resource-type', type: 'AWS::SQS::Queue', message: 'not implemented' },
      'UNSUPPORTED  dev-notes/Fn  AWS::SQS::Queue',
    ],
    [
      {
        ...base,
        kind: 'unsupported-resource-type',
        type: 'Custom::X',
        message: 'custom resources do not run locally',
      },
      'UNSUPPORTED  dev-notes/Fn  Custom::X (custom resources do not run locally)',
    ],
    [
      { ...base, kind: 'unsupported-property', property: 'Properties.VpcConfig', message: 'ignored' },
      'UNSUPPORTED  dev-notes/Fn  AWS::Lambda::Function.Properties.VpcConfig (ignored)',
    ],
    [
      {
        ...base,
        kind: 'unresolved',
        property: 'Properties.Environment',
        message: 'Fn::Cidr is not supported',
      },
      'UNRESOLVED   dev-notes/Fn  AWS::Lambda::Function.Properties.Environment (Fn::Cidr is not supported)',
    ],
  ])('%j', (gap, line) => {
    expect(formatGap(gap)).toBe(line);
  });

  it('lists each gap once', () => {
    const sink = new GapSink();
    const gap: Gap = {
      ...base,
      kind: 'unsupported-property',
      property: 'Properties.VpcConfig',
      message: 'ignored',
    };
    sink.add(gap);
    sink.add({ ...gap });
    sink.add({ ...gap, logicalId: 'Other' });
    expect(sink.list()).toHaveLength(2);
  });
});

describe('gap rules on a template', () => {
  it('reports unsupported types and properties, never no-op types or no-effect properties', async () => {
    const dir = writeAssembly(tempDir(), {
      stacks: [
        {
          id: 'S',
          stackName: 'dev-notes',
          template: {
            Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
            Resources: {
              Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
              Fn: {
                Type: 'AWS::Lambda::Function',
                Properties: {
                  Handler: 'index.handler',
                  Runtime: 'nodejs22.x',
                  Code: { ZipFile: 'x' },
                  Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
                  Tags: [{ Key: 'a', Value: 'b' }],
                  VpcConfig: { SubnetIds: ['s'] },
                  DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
                },
              },
              Py: {
                Type: 'AWS::Lambda::Function',
                Properties: { Handler: 'a.b', Runtime: 'python3.12', Code: { ZipFile: 'x' } },
              },
              Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: { 'Fn::Cidr': [] } } },
              Skipped: { Type: 'AWS::SNS::Topic', Condition: 'Never' },
              Perm: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { Ref: 'Fn' } } },
              Meta: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2' } },
              Table: {
                Type: 'AWS::DynamoDB::Table',
                Properties: {
                  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
                  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                  SSESpecification: { SSEEnabled: true },
                  KinesisStreamSpecification: { StreamArn: 'arn:aws:kinesis:x' },
                },
              },
            },
            Outputs: { Bad: { Value: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } } },
          },
        },
      ],
    });
    const model = await loadAssembly({ dir });
    expect(model.gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  dev-notes/Fn  AWS::Lambda::Function.Properties.VpcConfig (ignored: functions run on this machine’s network)',
      'UNSUPPORTED  dev-notes/Fn  AWS::Lambda::Function.Properties.DeadLetterConfig (ignored: asynchronous invocations are not emulated)',
      'UNSUPPORTED  dev-notes/Py  AWS::Lambda::Function.Properties.Runtime (runtime python3.12: only Node.js runtimes run locally)',
      'UNSUPPORTED  dev-notes/Queue  AWS::SQS::Queue',
      'UNSUPPORTED  dev-notes/Table  AWS::DynamoDB::Table.Properties.KinesisStreamSpecification (ignored)',
      'UNRESOLVED   dev-notes/Bad  Output.Value (Fn::Cidr is not supported)',
    ]);
    expect(model.resources.map((r) => [r.logicalId, r.support])).toEqual([
      ['Role', 'no-op'],
      ['Fn', 'modelled'],
      ['Py', 'modelled'],
      ['Queue', 'unsupported'],
      ['Perm', 'no-op'],
      ['Meta', 'no-op'],
      ['Table', 'modelled'],
    ]);
    // Values of unsupported resources are still resolved, quietly (the type is reported already).
    expect(model.resources.find((r) => r.logicalId === 'Queue')?.properties.VisibilityTimeout).toMatch(
      /^<<unresolved/,
    );
  });

  it('a template transform other than AWS::LanguageExtensions is a gap', async () => {
    const dir = writeAssembly(tempDir(), {
      stacks: [{ id: 'S', template: { Transform: 'AWS::Serverless-2016-10-31', Resources: {} } }],
    });
    const model = await loadAssembly({ dir });
    expect(model.gaps.map(formatGap)).toEqual([
      'UNSUPPORTED  S/Transform  AWS::CloudFormation::Template (template transform AWS::Serverless-2016-10-31 is not applied)',
    ]);
  });
});
