import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type StageConfig, type StageName, validateStageConfig } from './stage-config';

/**
 * dev: cheap and disposable. Verbose logs kept a week, everything deleted with the stack, low throttles
 * that catch runaway loops, no alarms. This is also the stage the local cloud runs.
 */
const dev: StageConfig = {
  stageName: 'dev',
  removalPolicy: RemovalPolicy.DESTROY,
  logging: { level: 'DEBUG', retention: RetentionDays.ONE_WEEK },
  metricsNamespace: 'ServerlessReference/dev',
  throttle: { rateLimit: 100, burstLimit: 200 },
  corsAllowedOrigins: ['http://localhost:5173', 'http://localhost:3000'],
  alarms: { enabled: false },
  auth: {
    callbackUrls: ['http://localhost:5173/auth/callback'],
    logoutUrls: ['http://localhost:5173/'],
    deletionProtection: false,
  },
};

/**
 * prod: data and logs survive a stack deletion, the user pool has deletion protection, INFO logs kept
 * three months, higher throttles, and every function and API has an error alarm.
 * Replace the example.com URLs with your web app's origin before deploying.
 */
const prod: StageConfig = {
  stageName: 'prod',
  removalPolicy: RemovalPolicy.RETAIN,
  logging: { level: 'INFO', retention: RetentionDays.THREE_MONTHS },
  metricsNamespace: 'ServerlessReference/prod',
  throttle: { rateLimit: 1000, burstLimit: 2000 },
  corsAllowedOrigins: ['https://app.example.com'],
  alarms: {
    enabled: true,
    functionErrors: 1,
    serverErrors: 5,
    period: Duration.minutes(5),
    evaluationPeriods: 1,
  },
  auth: {
    callbackUrls: ['https://app.example.com/auth/callback'],
    logoutUrls: ['https://app.example.com/'],
    deletionProtection: true,
  },
};

/** The configuration of every deployment stage, validated once at load. */
export const stageConfigs: Readonly<Record<StageName, StageConfig>> = {
  dev: validateStageConfig(dev),
  prod: validateStageConfig(prod),
};
