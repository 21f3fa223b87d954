import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeBundleRoot, removeDir, resourcesOfType, testStack } from '../../../test/helpers/cdk';
import { bundle, MissingBundleError } from '../../bundles';
import { stageConfigs } from '../../config/stages';
import { ServiceFunction } from './service-function';

const { dev, prod } = stageConfigs;
let bundleRoot: string;
beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
});
afterAll(() => removeDir(bundleRoot));

function health(config = dev, extra: Partial<ConstructorParameters<typeof ServiceFunction>[2]> = {}) {
  const stack = testStack(bundleRoot);
  const fn = new ServiceFunction(stack, 'Health', {
    config,
    bundle: bundle('apps/http-api', 'health'),
    serviceName: 'notes',
    ...extra,
  });
  return { stack, fn, template: () => Template.fromStack(stack) };
}

describe('ServiceFunction', () => {
  it('bakes in runtime, ARM64, active tracing, JSON logs and the Powertools environment', () => {
    const { template } = health();
    template().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'DEBUG',
        SystemLogLevel: 'INFO',
        LogGroup: { Ref: Match.stringLikeRegexp('^HealthLogGroup') },
      },
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'notes',
          POWERTOOLS_METRICS_NAMESPACE: 'ServerlessReference/dev',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
        },
      },
    });
  });

  it('owns an explicit log group with the stage retention and removal policy, without a physical name', () => {
    const devLogs = resourcesOfType(health(dev).template(), 'AWS::Logs::LogGroup');
    const prodLogs = resourcesOfType(health(prod).template(), 'AWS::Logs::LogGroup');
    expect(Object.values(devLogs)).toEqual([
      expect.objectContaining({ Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' }),
    ]);
    expect(Object.values(prodLogs)).toEqual([
      expect.objectContaining({ Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Retain' }),
    ]);
  });

  it('sets no function name', () => {
    const fns = resourcesOfType(health().template(), 'AWS::Lambda::Function');
    for (const fn of Object.values(fns)) expect(fn.Properties).not.toHaveProperty('FunctionName');
  });

  it('applies memory, timeout, description and extra environment', () => {
    const { template } = health(dev, {
      memorySize: 1024,
      timeout: Duration.seconds(3),
      description: 'health check',
      environment: { CORS_ALLOWED_ORIGINS: 'http://localhost:5173' },
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 3,
      Description: 'health check',
      Environment: { Variables: Match.objectLike({ CORS_ALLOWED_ORIGINS: 'http://localhost:5173' }) },
    });
  });

  it('refuses extra environment that would override a managed variable', () => {
    expect(() => health(dev, { environment: { POWERTOOLS_LOG_LEVEL: 'TRACE' } })).toThrow(
      /cannot override POWERTOOLS_LOG_LEVEL/,
    );
  });

  it('adds an errors alarm only in stages with alarms', () => {
    expect(health(dev).fn.errorsAlarm).toBeUndefined();
    health(dev).template().resourceCountIs('AWS::CloudWatch::Alarm', 0);

    const { fn, template } = health(prod);
    expect(fn.errorsAlarm).toBeDefined();
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const alarms = resourcesOfType(template(), 'AWS::CloudWatch::Alarm');
    for (const alarm of Object.values(alarms)) expect(alarm.Properties).not.toHaveProperty('AlarmName');
  });

  it('fails at synth time with a build hint when the bundle is missing', () => {
    const empty = makeFakeBundleRoot([]);
    try {
      const create = () =>
        new ServiceFunction(testStack(empty), 'Health', {
          config: dev,
          bundle: bundle('apps/http-api', 'health'),
          serviceName: 'notes',
        });
      expect(create).toThrow(MissingBundleError);
      expect(create).toThrow(/apps\/http-api\/dist\/health\/index\.mjs not found.*Run `npm run build` first/);
    } finally {
      removeDir(empty);
    }
  });

  describe('bindTable', () => {
    function withTable(access: 'read' | 'readwrite', envVar?: string) {
      const { stack, fn, template } = health();
      const table = new dynamodb.TableV2(stack, 'Table', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      });
      fn.bindTable(table, access, envVar);
      return { fn, table, template };
    }

    function grantedActions(template: Template): string[] {
      const policies = resourcesOfType(template, 'AWS::IAM::Policy');
      return Object.values(policies).flatMap((policy) => {
        const doc = policy.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] };
        return doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      });
    }

    it('read: grants read actions only and sets TABLE_NAME', () => {
      const { template } = withTable('read');
      const t = template();
      const actions = grantedActions(t);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(actions).not.toContain('dynamodb:PutItem');
      t.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') } }),
        },
      });
    });

    it('readwrite: grants write actions too, under a chosen variable name', () => {
      const { template } = withTable('readwrite', 'NOTES_TABLE');
      const t = template();
      expect(grantedActions(t)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
      t.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ NOTES_TABLE: { Ref: Match.stringLikeRegexp('^Table') } }),
        },
      });
    });

    it('rejects a taken or malformed variable name', () => {
      const { fn, table } = withTable('read');
      expect(() => fn.bindTable(table, 'read')).toThrow(/TABLE_NAME is already set/);
      expect(() => fn.bindTable(table, 'read', 'POWERTOOLS_LOG_LEVEL')).toThrow(/already set/);
      expect(() => fn.bindTable(table, 'read', 'tableName')).toThrow(/UPPER_SNAKE_CASE/);
    });
  });
});
