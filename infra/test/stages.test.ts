/**
 * What dev and prod MUST differ in, checked on the synthesized templates of both stages as `bin/app.ts`
 * builds them.
 */
import { Token } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfigs } from '../lib/config/stages';
import type { ServerlessReferenceStage } from '../lib/stage';
import { buildStages, makeFakeBundleRoot, removeDir, resourcesOfType, stageTemplates } from './helpers/cdk';

let bundleRoot: string;
let templates: Record<'dev' | 'prod', Record<string, Template>>;
let stages: ServerlessReferenceStage[];

beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
  stages = buildStages(bundleRoot);
  const [dev, prod] = stages;
  if (!dev || !prod) throw new Error('expected two stages');
  templates = { dev: stageTemplates(dev), prod: stageTemplates(prod) };
});
afterAll(() => removeDir(bundleRoot));

const all = (stage: 'dev' | 'prod') => Object.values(templates[stage]);
const resources = (stage: 'dev' | 'prod', type: string) =>
  all(stage).flatMap((template) => Object.values(resourcesOfType(template, type)));

const expected = {
  dev: { retention: 7, deletion: 'Delete', level: 'DEBUG', rate: 100, burst: 200, protection: 'INACTIVE' },
  prod: { retention: 90, deletion: 'Retain', level: 'INFO', rate: 1000, burst: 2000, protection: 'ACTIVE' },
} as const;

describe('stages', () => {
  it('one stage per config, named after it, four stacks each with stage-prefixed names', () => {
    expect(stages.map((s) => s.stageName)).toEqual(['dev', 'prod']);
    for (const stage of stages) {
      expect(
        [stage.shared, stage.restApi, stage.httpApi, stage.webSocketChat].map((s) => s.stackName),
      ).toEqual([
        `${stage.stageName}-shared`,
        `${stage.stageName}-rest-api`,
        `${stage.stageName}-http-api`,
        `${stage.stageName}-websocket-chat`,
      ]);
    }
  });

  it('are environment-agnostic (synth needs no credentials)', () => {
    for (const stage of stages) {
      for (const stack of [stage.shared, stage.restApi, stage.httpApi, stage.webSocketChat]) {
        expect(Token.isUnresolved(stack.account)).toBe(true);
        expect(Token.isUnresolved(stack.region)).toBe(true);
        expect(stack.environment).toBe('aws://unknown-account/unknown-region');
      }
    }
  });

  describe.each(['dev', 'prod'] as const)('%s', (stage) => {
    const want = expected[stage];

    it('log groups: retention and removal policy', () => {
      const groups = resources(stage, 'AWS::Logs::LogGroup');
      expect(groups.length).toBeGreaterThanOrEqual(17); // 16 functions + the HTTP API access log
      for (const group of groups) {
        expect(group.Properties?.RetentionInDays).toBe(want.retention);
        expect(group.DeletionPolicy).toBe(want.deletion);
        expect(group.UpdateReplacePolicy).toBe(want.deletion);
      }
    });

    it('user pool: removal policy and deletion protection', () => {
      const [pool] = resources(stage, 'AWS::Cognito::UserPool');
      expect(pool?.DeletionPolicy).toBe(want.deletion);
      expect(pool?.Properties?.DeletionProtection).toBe(want.protection);
    });

    it('functions: log level for Powertools and for Lambda log filtering', () => {
      const fns = resources(stage, 'AWS::Lambda::Function');
      // 3 health + 6 notes routes + 5 catalog routes + the catalog's and chat's authorizers
      expect(fns.length).toBe(16);
      for (const fn of fns) {
        const props = fn.Properties as {
          Environment: { Variables: Record<string, unknown> };
          LoggingConfig: object;
        };
        expect(props.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe(want.level);
        expect(props.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(`ServerlessReference/${stage}`);
        expect(props.LoggingConfig).toMatchObject({ ApplicationLogLevel: want.level });
      }
    });

    it('API throttles: REST stage, HTTP API and WebSocket default route settings', () => {
      // The stage-wide entry; per-method entries (caching, write throttle) are in rest-api-stack.test.ts.
      templates[stage]['rest-api']?.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: stage,
        MethodSettings: Match.arrayWith([
          {
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: want.rate,
            ThrottlingBurstLimit: want.burst,
            CachingEnabled: false,
            DataTraceEnabled: false,
          },
        ]),
      });
      for (const key of ['http-api', 'websocket-chat']) {
        templates[stage][key]?.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
          DefaultRouteSettings: { ThrottlingRateLimit: want.rate, ThrottlingBurstLimit: want.burst },
        });
      }
    });
  });

  it('alarms: none in dev; in prod one per function and one per API', () => {
    expect(resources('dev', 'AWS::CloudWatch::Alarm')).toEqual([]);
    const alarms = resources('prod', 'AWS::CloudWatch::Alarm').map((a) => a.Properties ?? {});
    expect(alarms.filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors')).toHaveLength(16);
    expect(alarms.filter((a) => a.Namespace === 'AWS/ApiGateway').map((a) => a.MetricName)).toEqual(
      expect.arrayContaining(['5XXError', '5xx', 'ExecutionError']),
    );
    for (const alarm of alarms) expect(alarm).not.toHaveProperty('AlarmName');
  });

  it('CORS origins and OAuth redirect URLs come from the stage config', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const config = stageConfigs[stage];
      templates[stage]['http-api']?.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: { AllowOrigins: [...config.corsAllowedOrigins] },
      });
      templates[stage].shared?.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: [...config.auth.callbackUrls],
        LogoutURLs: [...config.auth.logoutUrls],
      });
    }
  });
});
