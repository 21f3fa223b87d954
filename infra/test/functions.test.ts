/**
 * Settings every Lambda function in every stack must have, and the "no hard-coded physical names" rule
 * that lets several stages share one account.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildStages,
  type CfnResource,
  makeFakeBundleRoot,
  removeDir,
  resourcesOfType,
  stageTemplates,
} from './helpers/cdk';

let bundleRoot: string;
/** `<stage>/<stack>` → template. */
let templates: [string, Template][];

beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
  templates = buildStages(bundleRoot).flatMap((stage) =>
    Object.entries(stageTemplates(stage)).map(([id, template]): [string, Template] => [
      `${stage.stageName}/${id}`,
      template,
    ]),
  );
});
afterAll(() => removeDir(bundleRoot));

interface FunctionProps {
  Runtime: string;
  Architectures: string[];
  Handler: string;
  TracingConfig: { Mode: string };
  LoggingConfig: { LogFormat: string; LogGroup: { Ref: string } };
  Environment: { Variables: Record<string, unknown> };
  FunctionName?: unknown;
}

function functions(): [string, string, FunctionProps, Template][] {
  return templates.flatMap(([where, template]) =>
    Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).map(
      ([id, fn]): [string, string, FunctionProps, Template] => [
        where,
        id,
        fn.Properties as unknown as FunctionProps,
        template,
      ],
    ),
  );
}

describe('every function', () => {
  it('exists in every service stack of both stages', () => {
    const where = new Set(functions().map(([w]) => w));
    for (const stage of ['dev', 'prod']) {
      for (const stack of ['rest-api', 'http-api', 'websocket-chat'])
        expect(where).toContain(`${stage}/${stack}`);
    }
  });

  it('runs index.handler on nodejs24.x, ARM64, with active tracing and source maps', () => {
    for (const [where, id, fn] of functions()) {
      expect({ where, id, runtime: fn.Runtime }).toEqual({ where, id, runtime: 'nodejs24.x' });
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe('index.handler');
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('logs JSON to its own log group in the same stack, with a retention', () => {
    for (const [where, id, fn, template] of functions()) {
      expect(fn.LoggingConfig.LogFormat).toBe('JSON');
      const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
      const group = groups[fn.LoggingConfig.LogGroup.Ref];
      expect(group, `${where} ${id} log group`).toBeDefined();
      expect(group?.Properties?.RetentionInDays).toEqual(expect.any(Number));
      expect(group?.Properties).not.toHaveProperty('LogGroupName');
    }
  });

  it('carries the Powertools environment', () => {
    for (const [, , fn] of functions()) {
      expect(Object.keys(fn.Environment.Variables)).toEqual(
        expect.arrayContaining([
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_LOG_LEVEL',
        ]),
      );
      expect(['catalog', 'notes', 'chat']).toContain(fn.Environment.Variables.POWERTOOLS_SERVICE_NAME);
    }
  });
});

describe('physical names', () => {
  /** Name properties that would be account-/region-wide if set. */
  const globalNameProps = [
    'FunctionName',
    'TableName',
    'LogGroupName',
    'RoleName',
    'ManagedPolicyName',
    'AlarmName',
    'UserPoolName',
    'ClientName',
    'TopicName',
    'QueueName',
    'BucketName',
  ];

  it('no resource sets an account-wide physical name (references to other resources are fine)', () => {
    for (const [where, template] of templates) {
      const all = template.toJSON().Resources as Record<string, CfnResource>;
      for (const [id, resource] of Object.entries(all)) {
        for (const prop of globalNameProps) {
          const value = resource.Properties?.[prop];
          const literal =
            typeof value === 'string' || (typeof value === 'object' && value !== null && 'Fn::Join' in value);
          expect(literal ? value : undefined, `${where} ${id}.${prop}`).toBeUndefined();
        }
      }
    }
  });

  it('API names carry the stage; the Cognito domain prefix is derived from stage and account', () => {
    for (const [where, template] of templates) {
      const stage = where.split('/')[0];
      const apis = [
        ...Object.values(resourcesOfType(template, 'AWS::ApiGateway::RestApi')),
        ...Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Api')),
      ];
      for (const api of apis) expect(api.Properties?.Name).toMatch(new RegExp(`^${stage}-`));
      for (const domain of Object.values(resourcesOfType(template, 'AWS::Cognito::UserPoolDomain'))) {
        expect(domain.Properties?.Domain).toEqual({
          'Fn::Join': ['-', [`serverless-ref-${stage}`, { Ref: 'AWS::AccountId' }]],
        });
      }
    }
  });
});
