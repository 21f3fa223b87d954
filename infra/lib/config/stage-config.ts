import type { Duration, Environment, RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Every deployment stage the app knows. One `cdk.Stage` is created per name. */
export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/**
 * Log levels understood by both Powertools (`POWERTOOLS_LOG_LEVEL`) and Lambda's advanced logging
 * controls (`ApplicationLogLevel`), so one value drives both and they never disagree.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A token bucket: steady requests per second and the bucket size. */
export interface ThrottleConfig {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** API Gateway cache capacities in GB (`Stage.cacheClusterSize`). The price rises with the size. */
export type CacheClusterSize = '0.5' | '1.6' | '6.1' | '13.5' | '28.4' | '58.2' | '118' | '237';

/** The usage-plan tiers third-party consumers of the catalog get API keys in. */
export const USAGE_PLAN_TIERS = ['free', 'pro'] as const;
export type UsagePlanTier = (typeof USAGE_PLAN_TIERS)[number];

/** One usage-plan tier: its per-key token bucket and request quota. */
export interface UsagePlanConfig {
  /** Per API key: steady requests per second and burst. */
  readonly throttle: ThrottleConfig;
  /** Per API key: requests per period (UTC calendar periods). */
  readonly quota: { readonly limit: number; readonly period: 'DAY' | 'WEEK' | 'MONTH' };
}

/** The catalog REST API (rest-api stack): caching, authorizer cache, write throttle, usage plans. */
export interface CatalogApiConfig {
  /** API Gateway response cache of the public reads. */
  readonly cache: {
    /** Capacity of the stage's cache cluster. Billed per hour while it exists, even when idle. */
    readonly clusterSize: CacheClusterSize;
    /** TTL of `GET /products/{id}` (1 s – 1 h). */
    readonly productTtl: Duration;
    /** TTL of `GET /products` pages (1 s – 1 h). Short: a new product shows up in listings after this. */
    readonly listTtl: Duration;
  };
  /**
   * How long API Gateway keeps a TOKEN authorizer result per token (0 – 1 h; 0 = call it every time).
   * While an entry lives the authorizer is not called, so a cached Allow can outlive the token's `exp` by
   * up to this long. It does not bound revocation: the authorizer verifies the JWT offline and never asks
   * Cognito, so a revoked token, or one whose user left a group (`cognito:groups` is fixed at issue), keeps
   * working until it expires, plus up to this TTL. Faster revocation takes a shorter access-token validity
   * or an online check in the authorizer (docs/lambda-authorizers.md, "Revocation and the cache TTL").
   */
  readonly authorizerCacheTtl: Duration;
  /** Stricter throttle of the write methods (POST, PATCH, DELETE), below the stage throttle. */
  readonly writeThrottle: ThrottleConfig;
  /** One usage plan (and one API key) per tier. */
  readonly usagePlans: Readonly<Record<UsagePlanTier, UsagePlanConfig>>;
}

/** Alarms are either off for a stage or on with thresholds. Alarms have no actions yet (no SNS topic). */
export type AlarmConfig =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** Function `Errors` per period at or above which the function's alarm fires. */
      readonly functionErrors: number;
      /** API 5xx responses (REST/HTTP) or execution errors (WebSocket) per period that fire the API alarm. */
      readonly serverErrors: number;
      /** Metric period. */
      readonly period: Duration;
      /** Consecutive breaching periods before the alarm fires. */
      readonly evaluationPeriods: number;
    };

export interface AuthConfig {
  /**
   * Cognito prefix domain (`<prefix>.auth.<region>.amazoncognito.com`). Prefixes are global per region
   * across all AWS accounts, so the default derives one from the stage and the account id.
   * @default `serverless-ref-<stage>-<account id>`
   */
  readonly domainPrefix?: string;
  /** OAuth redirect URLs of the web client. Cognito accepts `https:` or `http://localhost` only. */
  readonly callbackUrls: readonly string[];
  /** Sign-out redirect URLs of the web client. Same rule as `callbackUrls`. */
  readonly logoutUrls: readonly string[];
  /** Cognito deletion protection: the pool cannot be deleted while this is on. */
  readonly deletionProtection: boolean;
}

/**
 * Everything that differs between deployment stages. Constructs read their stage-dependent decisions
 * from here instead of taking ad-hoc flags, so "what does prod do differently" has one answer.
 */
export interface StageConfig {
  readonly stageName: StageName;
  /**
   * Pin the stage to an account and/or region. Without it the stacks are environment-agnostic:
   * synth needs no credentials and `cdk deploy` targets the account/region of the current credentials.
   * @default - environment-agnostic
   */
  readonly env?: Environment;
  /** What CloudFormation does with stateful resources (log groups, user pool, later tables) on delete. */
  readonly removalPolicy: RemovalPolicy;
  readonly logging: {
    /** Application log level for every function (Powertools and Lambda log-level filter). */
    readonly level: LogLevel;
    /** Retention of every log group the app creates (functions and API access logs). */
    readonly retention: RetentionDays;
  };
  /** Powertools metrics namespace (`POWERTOOLS_METRICS_NAMESPACE`); per stage so dev never pollutes prod. */
  readonly metricsNamespace: string;
  /** Default throttle of every API stage (REST stage, HTTP API default route settings, WebSocket stage). */
  readonly throttle: ThrottleConfig;
  /** Browser origins the APIs answer CORS requests for (`CORS_ALLOWED_ORIGINS`). */
  readonly corsAllowedOrigins: readonly string[];
  readonly alarms: AlarmConfig;
  readonly auth: AuthConfig;
  readonly catalog: CatalogApiConfig;
}

/** Thrown for a stage config that would synthesize but fail (or misbehave) at deploy time. */
export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

function throttleProblems(where: string, throttle: ThrottleConfig): string[] {
  const problems: string[] = [];
  if (!(throttle.rateLimit > 0)) problems.push(`${where}.rateLimit must be > 0 (got ${throttle.rateLimit})`);
  if (!Number.isInteger(throttle.burstLimit) || throttle.burstLimit < 1) {
    problems.push(`${where}.burstLimit must be a positive integer (got ${throttle.burstLimit})`);
  }
  return problems;
}

/** Limits API Gateway enforces at deploy time, and settings that could never take effect. */
function catalogProblems(config: StageConfig): string[] {
  const { cache, authorizerCacheTtl, writeThrottle, usagePlans } = config.catalog;
  const problems: string[] = [];
  for (const [key, ttl] of [
    ['cache.productTtl', cache.productTtl],
    ['cache.listTtl', cache.listTtl],
  ] as const) {
    const seconds = ttl.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
      problems.push(`catalog.${key} must be 1–3600 whole seconds (got ${seconds})`);
    }
  }
  const authorizerSeconds = authorizerCacheTtl.toSeconds({ integral: false });
  if (!Number.isInteger(authorizerSeconds) || authorizerSeconds < 0 || authorizerSeconds > 3600) {
    problems.push(`catalog.authorizerCacheTtl must be 0–3600 whole seconds (got ${authorizerSeconds})`);
  }
  // A limit above the stage's is never reached: the stage throttle answers 429 first.
  const notAboveStage = (where: string, throttle: ThrottleConfig) => {
    problems.push(...throttleProblems(where, throttle));
    if (throttle.rateLimit > config.throttle.rateLimit || throttle.burstLimit > config.throttle.burstLimit) {
      problems.push(`${where} must not exceed the stage throttle (it could never take effect)`);
    }
  };
  notAboveStage('catalog.writeThrottle', writeThrottle);
  for (const [tier, plan] of Object.entries(usagePlans)) {
    notAboveStage(`catalog.usagePlans.${tier}.throttle`, plan.throttle);
    if (!Number.isInteger(plan.quota.limit) || plan.quota.limit < 1) {
      problems.push(`catalog.usagePlans.${tier}.quota.limit must be a positive integer`);
    }
  }
  return problems;
}

function isAllowedRedirect(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && parsed.hostname === 'localhost';
}

/**
 * Checks the rules CloudFormation/Cognito/API Gateway would only report during a deployment.
 * @returns the same config, for chaining
 * @throws StageConfigError listing every problem found
 */
export function validateStageConfig(config: StageConfig): StageConfig {
  const problems: string[] = [];
  const { rateLimit, burstLimit } = config.throttle;
  if (!(rateLimit > 0)) problems.push(`throttle.rateLimit must be > 0 (got ${rateLimit})`);
  if (!Number.isInteger(burstLimit) || burstLimit < 1) {
    problems.push(`throttle.burstLimit must be a positive integer (got ${burstLimit})`);
  }
  for (const key of ['callbackUrls', 'logoutUrls'] as const) {
    for (const url of config.auth[key]) {
      if (!isAllowedRedirect(url))
        problems.push(`auth.${key}: "${url}" must be https:// or http://localhost`);
    }
  }
  if (config.auth.callbackUrls.length === 0) problems.push('auth.callbackUrls must not be empty');
  for (const origin of config.corsAllowedOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
      problems.push(`corsAllowedOrigins: "${origin}" must be an origin (scheme://host[:port], no path)`);
    }
  }
  if (config.alarms.enabled) {
    const { functionErrors, serverErrors, evaluationPeriods } = config.alarms;
    if (functionErrors < 1 || serverErrors < 1 || evaluationPeriods < 1) {
      problems.push('alarms: thresholds and evaluationPeriods must be >= 1');
    }
  }
  problems.push(...catalogProblems(config));
  if (problems.length > 0) {
    throw new StageConfigError(
      `invalid config for stage "${config.stageName}":\n  - ${problems.join('\n  - ')}`,
    );
  }
  return config;
}
