import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { StageConfig } from './config/stage-config';

/**
 * An alarm on an API stage's server-side errors (5xx for REST/HTTP, execution errors for WebSocket),
 * created only in stages with alarms.
 * @param metric a stage-scoped metric, e.g. `restApi.deploymentStage.metricServerError()`
 * @returns the alarm, or `undefined` when the stage has alarms off
 */
export function apiServerErrorsAlarm(
  scope: Construct,
  id: string,
  config: StageConfig,
  metric: cloudwatch.Metric,
  description: string,
): cloudwatch.Alarm | undefined {
  if (!config.alarms.enabled) return undefined;
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: `${description} (stage ${config.stageName})`,
    metric: metric.with({ period: config.alarms.period, statistic: cloudwatch.Stats.SUM }),
    threshold: config.alarms.serverErrors,
    evaluationPeriods: config.alarms.evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
