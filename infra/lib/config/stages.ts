import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type StageConfig, type StageName, validateStageConfig } from './stage-config';

/**
 * dev: cheap and disposable. Verbose logs kept a week, everything deleted with the stack, low throttles
 * that catch runaway loops, no alarms, short cache TTLs. This is also the stage the local cloud runs.
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
  catalog: {
    // Short TTLs: changes show up quickly while developing.
    cache: { clusterSize: '0.5', productTtl: Duration.seconds(60), listTtl: Duration.seconds(10) },
    authorizerCacheTtl: Duration.seconds(60),
    writeThrottle: { rateLimit: 10, burstLimit: 20 },
    usagePlans: {
      free: { throttle: { rateLimit: 2, burstLimit: 5 }, quota: { limit: 100, period: 'DAY' } },
      pro: { throttle: { rateLimit: 20, burstLimit: 40 }, quota: { limit: 10_000, period: 'DAY' } },
    },
  },
};

/**
 * prod: data and logs survive a stack deletion, the user pool has deletion protection, INFO logs kept
 * three months, higher throttles, longer cache TTLs, and every function and API has an error alarm.
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
  catalog: {
    cache: { clusterSize: '0.5', productTtl: Duration.seconds(300), listTtl: Duration.seconds(30) },
    // Saves authorizer calls; it is no revocation bound. The authorizer verifies tokens offline, so a
    // revoked token, or a user removed from admins, keeps working until the access token expires (1 h,
    // shared-stack.ts), and a cached Allow can add up to this TTL on top (docs/lambda-authorizers.md).
    authorizerCacheTtl: Duration.seconds(300),
    writeThrottle: { rateLimit: 50, burstLimit: 100 },
    usagePlans: {
      free: { throttle: { rateLimit: 2, burstLimit: 5 }, quota: { limit: 100, period: 'DAY' } },
      pro: { throttle: { rateLimit: 20, burstLimit: 40 }, quota: { limit: 10_000, period: 'DAY' } },
    },
  },
};

/** The configuration of every deployment stage, validated once at load. */
export const stageConfigs: Readonly<Record<StageName, StageConfig>> = {
  dev: validateStageConfig(dev),
  prod: validateStageConfig(prod),
};
