/**
 * API keys and usage plans (§2.2, §2.3), account-wide: plans and keys of every served API, merged by id.
 *
 * For a method with `apiKeyRequired`, the key (from `x-api-key`, or the authorizer's
 * `usageIdentifierKey` with `apiKeySource: AUTHORIZER`) must exist, be enabled and belong to a plan that
 * lists the API's stage; otherwise 403 `{"message":"Forbidden"}`. Then, per key: the plan's per-method
 * throttle for the stage (else the plan's throttle) → 429 `Too Many Requests`; the quota → 429
 * `Limit Exceeded`. Throttled requests do not use quota (unverified).
 *
 * Quota periods are UTC calendar periods (unverified): DAY from midnight, WEEK from Monday, MONTH from the
 * 1st. `offset` is subtracted from the limit in the period the gateway started in.
 */
import type { Clock } from '../../clock.js';
import { type ThrottleLimits, TokenBucket } from '../token-bucket.js';
import type {
  ApiKeyConfig,
  QuotaSettings,
  RestApiConfig,
  ThrottleSettings,
  UsagePlanConfig,
} from './config.js';
import type { ApiKeyIdentity } from './exchange.js';
import { type GatewayError, invalidApiKey, quotaExceeded, throttled } from './gateway-responses.js';

const ACCOUNT_DEFAULT: ThrottleLimits = { rateLimit: 10_000, burstLimit: 5_000 };

export class UsagePlanConfigError extends Error {}

/** Both limits, filling a missing one with the account default; undefined when neither is set. */
export function throttleLimits(settings: ThrottleSettings | undefined): ThrottleLimits | undefined {
  if (settings === undefined || (settings.rateLimit === undefined && settings.burstLimit === undefined)) {
    return undefined;
  }
  return {
    rateLimit: settings.rateLimit ?? ACCOUNT_DEFAULT.rateLimit,
    burstLimit: settings.burstLimit ?? ACCOUNT_DEFAULT.burstLimit,
  };
}

const DAY_MS = 86_400_000;

/** Start (epoch ms) of the UTC calendar period containing `now`. */
export function periodStart(period: QuotaSettings['period'], now: number): number {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  if (period === 'DAY') return day;
  const date = new Date(day);
  if (period === 'WEEK') return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

interface Plan {
  readonly id: string;
  readonly throttle: ThrottleLimits | undefined;
  readonly quota: QuotaSettings | undefined;
  /** `apiId/stage` → per-method throttles (`/path/VERB`). */
  readonly stages: ReadonlyMap<string, ReadonlyMap<string, ThrottleLimits>>;
}

interface Key {
  readonly id: string;
  readonly value: string;
  readonly enabled: boolean;
  /** `apiId/stage` → the key's plan for it. */
  readonly planByStage: ReadonlyMap<string, Plan>;
}

interface QuotaCounter {
  start: number;
  used: number;
}

const stageKey = (apiId: string, stage: string): string => `${apiId}/${stage}`;

function mergeById<T extends { readonly id: string }>(items: readonly T[], what: string): Map<string, T> {
  const byId = new Map<string, T>();
  for (const item of items) {
    const known = byId.get(item.id);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(item)) {
      throw new UsagePlanConfigError(`${what} ${item.id} is defined twice, differently`);
    }
    byId.set(item.id, item);
  }
  return byId;
}

function validThrottle(settings: ThrottleSettings | undefined, where: string): ThrottleLimits | undefined {
  const limits = throttleLimits(settings);
  if (limits !== undefined && !(limits.rateLimit >= 0 && limits.burstLimit >= 0)) {
    throw new UsagePlanConfigError(`${where}: throttle limits must not be negative`);
  }
  return limits;
}

function compilePlan(config: UsagePlanConfig): Plan {
  const where = `usage plan ${config.id}`;
  const quota = config.quota;
  if (quota !== undefined) {
    if (!['DAY', 'WEEK', 'MONTH'].includes(quota.period)) {
      throw new UsagePlanConfigError(`${where}: quota period must be DAY, WEEK or MONTH`);
    }
    if (!(Number.isInteger(quota.limit) && quota.limit >= 0)) {
      throw new UsagePlanConfigError(`${where}: quota limit must be a non-negative integer`);
    }
    const offset = quota.offset ?? 0;
    if (!(Number.isInteger(offset) && offset >= 0 && offset <= quota.limit)) {
      throw new UsagePlanConfigError(`${where}: quota offset must be between 0 and the limit`);
    }
  }
  const stages = new Map<string, Map<string, ThrottleLimits>>();
  for (const apiStage of config.apiStages) {
    const methods = new Map<string, ThrottleLimits>();
    for (const [method, settings] of Object.entries(apiStage.throttle ?? {})) {
      const limits = validThrottle(settings, `${where} ${apiStage.apiId}/${apiStage.stage} ${method}`);
      if (limits !== undefined) methods.set(method, limits);
    }
    stages.set(stageKey(apiStage.apiId, apiStage.stage), methods);
  }
  return { id: config.id, throttle: validThrottle(config.throttle, where), quota, stages };
}

export class UsagePlans {
  readonly #clock: Clock;
  readonly #startedAt: number;
  readonly #keysByValue = new Map<string, Key>();
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #quotas = new Map<string, QuotaCounter>();

  /** Throws UsagePlanConfigError on conflicting or invalid plans and keys. */
  constructor(apis: readonly RestApiConfig[], clock: Clock) {
    this.#clock = clock;
    this.#startedAt = clock.now();
    const plans = new Map<string, Plan>();
    for (const [id, config] of mergeById(
      apis.flatMap((a) => a.usagePlans ?? []),
      'usage plan',
    )) {
      plans.set(id, compilePlan(config));
    }
    const values = new Set<string>();
    for (const config of mergeById<ApiKeyConfig>(
      apis.flatMap((a) => a.apiKeys ?? []),
      'API key',
    ).values()) {
      const where = `API key ${config.id}`;
      if (typeof config.value !== 'string' || config.value.length < 20 || config.value.length > 128) {
        throw new UsagePlanConfigError(`${where}: the value must be 20 to 128 characters long`);
      }
      if (values.has(config.value))
        throw new UsagePlanConfigError(`${where}: another key has the same value`);
      values.add(config.value);
      const planByStage = new Map<string, Plan>();
      for (const planId of config.planIds) {
        const plan = plans.get(planId);
        if (plan === undefined) throw new UsagePlanConfigError(`${where}: unknown usage plan ${planId}`);
        for (const stage of plan.stages.keys()) {
          const other = planByStage.get(stage);
          if (other !== undefined && other !== plan) {
            throw new UsagePlanConfigError(
              `${where} is in usage plans ${other.id} and ${plan.id}, which both cover ${stage} (one plan per stage)`,
            );
          }
          planByStage.set(stage, plan);
        }
      }
      this.#keysByValue.set(config.value, {
        id: config.id,
        value: config.value,
        enabled: config.enabled ?? true,
        planByStage,
      });
    }
  }

  /**
   * Checks the key for `apiId/stage` and, when valid, takes a throttle token and a unit of quota.
   * `method` is `{resourcePath}/{httpMethod}`, the key of per-method plan throttles.
   */
  admit(
    keyValue: string | undefined,
    apiId: string,
    stage: string,
    method: string,
  ): ApiKeyIdentity | GatewayError {
    if (keyValue === undefined || keyValue === '') return invalidApiKey('no API key');
    const key = this.#keysByValue.get(keyValue);
    if (key === undefined) return invalidApiKey('unknown API key');
    if (!key.enabled) return invalidApiKey(`API key ${key.id} is disabled`);
    const where = stageKey(apiId, stage);
    const plan = key.planByStage.get(where);
    if (plan === undefined) return invalidApiKey(`API key ${key.id} is in no usage plan for ${where}`);

    const methodLimits = plan.stages.get(where)?.get(method);
    const limits = methodLimits ?? plan.throttle;
    if (limits !== undefined) {
      const bucketKey =
        methodLimits === undefined ? `${plan.id}\0${key.id}` : `${plan.id}\0${key.id}\0${where}\0${method}`;
      let bucket = this.#buckets.get(bucketKey);
      if (bucket === undefined) {
        bucket = new TokenBucket(limits, this.#clock);
        this.#buckets.set(bucketKey, bucket);
      }
      if (!bucket.tryTake()) {
        return throttled(
          `API key ${key.id} exceeded the throttle limit of usage plan ${plan.id} (rate ${limits.rateLimit}, burst ${limits.burstLimit})`,
        );
      }
    }

    const quota = plan.quota;
    if (quota !== undefined) {
      const now = this.#clock.now();
      const start = periodStart(quota.period, now);
      const counterKey = `${plan.id}\0${key.id}`;
      let counter = this.#quotas.get(counterKey);
      if (counter === undefined || counter.start !== start) {
        counter = { start, used: 0 };
        this.#quotas.set(counterKey, counter);
      }
      const initial = start === periodStart(quota.period, this.#startedAt);
      const limit = quota.limit - (initial ? (quota.offset ?? 0) : 0);
      if (counter.used >= limit) {
        return quotaExceeded(
          `API key ${key.id} exhausted the quota of usage plan ${plan.id} (${quota.limit} per ${quota.period})`,
        );
      }
      counter.used++;
    }
    return { id: key.id, value: key.value };
  }
}
