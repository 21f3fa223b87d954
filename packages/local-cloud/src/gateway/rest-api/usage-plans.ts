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
 *
 * For the management calls (management-api.ts): usage is kept per plan, key and UTC day as
 * `[used, remaining]` (GetUsage), and the remaining quota of the current period can be set (UpdateUsage:
 * a "temporary extension", gone when the period rolls over). A plan without a quota reports remaining 0
 * (unverified: AWS documents no usage for such plans).
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
  readonly name: string | undefined;
  readonly value: string;
  readonly enabled: boolean;
  /** `apiId/stage` → the key's plan for it. */
  readonly planByStage: ReadonlyMap<string, Plan>;
  readonly planIds: readonly string[];
  readonly stageKeys: readonly string[];
  /** Plan id → the key's usage in that plan. */
  readonly usage: Map<string, KeyUsage>;
}

/** What GetApiKey tells about a key (the value only when asked to include it). */
export interface ApiKeyDescription {
  readonly id: string;
  readonly name: string | undefined;
  readonly value: string;
  readonly enabled: boolean;
  /** `restApiId/stageName` (legacy stage keys). */
  readonly stageKeys: readonly string[];
}

/** One UTC day of a key's usage in a plan: requests admitted that day, and the quota left at its end. */
interface DayUsage {
  readonly day: number;
  used: number;
  remaining: number;
}

/** A key's usage in a plan, for the current quota period (calendar period; DAY without a quota). */
interface KeyUsage {
  start: number;
  /** Requests admitted in the period. */
  used: number;
  /** Added to the period's limit by UpdateUsage: remaining = limit + extra - used. */
  extra: number;
  /** Day start → that day's usage, kept for GetUsage. */
  readonly days: Map<number, DayUsage>;
  /** The last entry of `days`. */
  today: DayUsage | undefined;
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

/** What the management calls read and change (management-api.ts). */
export type UsagePlanReports = Pick<
  UsagePlans,
  'usagePlan' | 'planKeyIds' | 'usage' | 'setRemaining' | 'apiKey'
>;

export class UsagePlans {
  readonly #clock: Clock;
  readonly #startedAt: number;
  readonly #keysByValue = new Map<string, Key>();
  readonly #keysById = new Map<string, Key>();
  readonly #plans = new Map<string, Plan>();
  readonly #planConfigs = new Map<string, UsagePlanConfig>();
  readonly #buckets = new Map<string, TokenBucket>();
  /** Plan id → start of the quota period the gateway started in (where `offset` applies). */
  readonly #initialPeriods = new Map<string, number>();

  /** Throws UsagePlanConfigError on conflicting or invalid plans and keys. */
  constructor(apis: readonly RestApiConfig[], clock: Clock) {
    this.#clock = clock;
    this.#startedAt = clock.now();
    const plans = this.#plans;
    for (const [id, config] of mergeById(
      apis.flatMap((a) => a.usagePlans ?? []),
      'usage plan',
    )) {
      const plan = compilePlan(config);
      plans.set(id, plan);
      this.#planConfigs.set(id, config);
      if (plan.quota !== undefined)
        this.#initialPeriods.set(id, periodStart(plan.quota.period, this.#startedAt));
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
      const key: Key = {
        id: config.id,
        name: config.name,
        value: config.value,
        enabled: config.enabled ?? true,
        planByStage,
        planIds: [...config.planIds],
        stageKeys: [...(config.stageKeys ?? [])],
        usage: new Map(),
      };
      this.#keysByValue.set(config.value, key);
      this.#keysById.set(config.id, key);
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

    const now = this.#clock.now();
    const usage = this.#usageOf(plan, key, now);
    const quota = plan.quota;
    const limit = this.#limit(plan, usage.start);
    if (quota !== undefined && usage.used >= limit + usage.extra) {
      return quotaExceeded(
        `API key ${key.id} exhausted the quota of usage plan ${plan.id} (${quota.limit} per ${quota.period})`,
      );
    }
    usage.used++;
    const today = this.#dayOf(usage, now);
    today.used++;
    today.remaining = quota === undefined ? 0 : limit + usage.extra - usage.used;
    return { id: key.id, value: key.value };
  }

  /** GetUsagePlan: the plan as configured; undefined for a plan the gateway does not serve. */
  usagePlan(planId: string): UsagePlanConfig | undefined {
    return this.#planConfigs.get(planId);
  }

  /** The ids of a plan's keys; undefined for a plan the gateway does not serve. */
  planKeyIds(planId: string): readonly string[] | undefined {
    if (!this.#plans.has(planId)) return undefined;
    return [...this.#keysById.values()].filter((key) => key.planIds.includes(planId)).map((key) => key.id);
  }

  /**
   * GetUsage for one key of a plan: `[used, remaining]` for each UTC day from `fromDay` to `toDay` (day
   * starts, epoch ms, both included). A day without requests shows the remaining quota it started with.
   */
  usage(planId: string, keyId: string, fromDay: number, toDay: number): Array<[number, number]> {
    const plan = this.#plans.get(planId);
    if (plan === undefined) return [];
    const days = this.#keysById.get(keyId)?.usage.get(plan.id)?.days;
    const period = plan.quota?.period ?? 'DAY';
    const items: Array<[number, number]> = [];
    for (let day = fromDay; day <= toDay; day += DAY_MS) {
      const entry = days?.get(day);
      if (entry !== undefined) {
        items.push([entry.used, entry.remaining]);
        continue;
      }
      // No request that day: what the last day of the same period left, else the period's whole limit.
      const start = periodStart(period, day);
      let left: DayUsage | undefined;
      for (const earlier of days?.values() ?? []) {
        if (earlier.day < day && earlier.day >= start && (left === undefined || earlier.day > left.day)) {
          left = earlier;
        }
      }
      items.push([0, plan.quota === undefined ? 0 : (left?.remaining ?? this.#limit(plan, start))]);
    }
    return items;
  }

  /**
   * UpdateUsage: the key's remaining quota in the plan's current period becomes `remaining` (the period's
   * requests so far are kept). False when the plan has no quota.
   */
  setRemaining(planId: string, keyId: string, remaining: number): boolean {
    const plan = this.#plans.get(planId);
    const key = this.#keysById.get(keyId);
    if (plan === undefined || key === undefined || plan.quota === undefined) return false;
    const now = this.#clock.now();
    const usage = this.#usageOf(plan, key, now);
    usage.extra = remaining - this.#limit(plan, usage.start) + usage.used;
    this.#dayOf(usage, now).remaining = remaining;
    return true;
  }

  /** GetApiKey: the key with this id, undefined when the gateway serves none. */
  apiKey(id: string): ApiKeyDescription | undefined {
    const key = this.#keysById.get(id);
    if (key === undefined) return undefined;
    return { id: key.id, name: key.name, value: key.value, enabled: key.enabled, stageKeys: key.stageKeys };
  }

  /** The key's usage in the plan, started again when the quota period (a day without quota) rolled over. */
  #usageOf(plan: Plan, key: Key, now: number): KeyUsage {
    const start = periodStart(plan.quota?.period ?? 'DAY', now);
    let usage = key.usage.get(plan.id);
    if (usage === undefined) {
      usage = { start, used: 0, extra: 0, days: new Map(), today: undefined };
      key.usage.set(plan.id, usage);
    } else if (usage.start !== start) {
      usage.start = start;
      usage.used = 0;
      usage.extra = 0;
    }
    return usage;
  }

  /** The plan's quota limit in the period starting at `start` (`offset` subtracted in the initial one). */
  #limit(plan: Plan, start: number): number {
    const quota = plan.quota;
    if (quota === undefined) return 0;
    return quota.limit - (start === this.#initialPeriods.get(plan.id) ? (quota.offset ?? 0) : 0);
  }

  /** Today's entry of the key's daily usage, added when the day is new. */
  #dayOf(usage: KeyUsage, now: number): DayUsage {
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    if (usage.today?.day === day) return usage.today;
    // Callers set `remaining` at once.
    const entry: DayUsage = { day, used: 0, remaining: 0 };
    usage.days.set(day, entry);
    usage.today = entry;
    return entry;
  }
}
