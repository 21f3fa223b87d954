import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeBundleRoot, removeDir, resourcesOfType, testStack } from '../../../test/helpers/cdk';
import { stageConfigs } from '../../config/stages';
import { ACCESS_LOG_FORMATS, ApiAccessLog } from './api-access-log';

let bundleRoot: string;
beforeAll(() => {
  bundleRoot = makeFakeBundleRoot([]);
});
afterAll(() => removeDir(bundleRoot));

describe('ApiAccessLog', () => {
  it('creates an unnamed log group with the stage retention and removal policy', () => {
    for (const [config, days, policy] of [
      [stageConfigs.dev, 7, 'Delete'],
      [stageConfigs.prod, 90, 'Retain'],
    ] as const) {
      const stack = testStack(bundleRoot);
      new ApiAccessLog(stack, 'AccessLog', { config });
      const groups = Object.values(resourcesOfType(Template.fromStack(stack), 'AWS::Logs::LogGroup'));
      expect(groups).toEqual([
        expect.objectContaining({ Properties: { RetentionInDays: days }, DeletionPolicy: policy }),
      ]);
    }
  });

  it('wires an HTTP API stage to the log group with the JSON format', () => {
    const stack = testStack(bundleRoot);
    const accessLog = new ApiAccessLog(stack, 'AccessLog', { config: stageConfigs.dev });
    const api = new apigwv2.HttpApi(stack, 'Api', { createDefaultStage: false });
    api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: accessLog.forHttpApi(),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogLogGroup'), 'Arn'] },
        Format: JSON.stringify(ACCESS_LOG_FORMATS.http),
      },
    });
  });

  it('offers REST deploy options with the REST format', () => {
    const stack = testStack(bundleRoot);
    const accessLog = new ApiAccessLog(stack, 'AccessLog', { config: stageConfigs.dev });
    const api = new apigateway.RestApi(stack, 'Api', {
      cloudWatchRole: false,
      deployOptions: accessLog.forRestApi(),
    });
    api.root.addMethod('GET', new apigateway.MockIntegration());
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { Format: JSON.stringify(ACCESS_LOG_FORMATS.rest) },
    });
  });

  it('formats are one JSON object per line of $context variables', () => {
    for (const format of Object.values(ACCESS_LOG_FORMATS)) {
      expect(Object.values(format).every((v) => v.startsWith('$context.'))).toBe(true);
      expect(format).toHaveProperty('requestId', '$context.requestId');
      expect(format).toHaveProperty('status', '$context.status');
    }
    expect(ACCESS_LOG_FORMATS.websocket).toHaveProperty('connectionId', '$context.connectionId');
  });
});
