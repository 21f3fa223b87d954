/**
 * Where the catalog is and how a consumer reaches it, for either target: the stage URL (stack output
 * `ApiUrl`), the API key values of the usage-plan tiers, and — local cloud only — the stage cache's admin
 * URLs.
 *
 * Key values are never in a template or an output (API Gateway generates them). The local cloud lists the
 * ones it generated in its endpoints file; for a deployed stage they come from the environment:
 *
 *   E2E_API_KEY_FREE=$(aws apigateway get-api-key --api-key <FreeApiKeyId> --include-value --query value --output text)
 */
import { output, type Target } from './target';

export type Tier = 'free' | 'pro';

const KEY_OUTPUT: Record<Tier, string> = { free: 'FreeApiKeyId', pro: 'ProApiKeyId' };

/** Base URL of the catalog's stage, ending in `/` (`…/dev/`). */
export function catalogApiUrl(target: Target): string {
  const url = output(target, 'rest-api', 'ApiUrl');
  return url.endsWith('/') ? url : `${url}/`;
}

/** The value of the stack's API key for `tier`. */
export function apiKeyValue(target: Target, tier: Tier): string {
  const id = output(target, 'rest-api', KEY_OUTPUT[tier]);
  if (target.local) {
    const key = target.local.apiKeys.find((k) => k.id === id);
    if (key === undefined) {
      throw new Error(
        `the local cloud's endpoints file lists no API key ${id} (${KEY_OUTPUT[tier]}); keys: ${target.local.apiKeys.map((k) => k.id).join(', ') || 'none'}`,
      );
    }
    return key.value;
  }
  const variable = `E2E_API_KEY_${tier.toUpperCase()}`;
  const value = process.env[variable];
  if (!value) {
    throw new Error(
      `${variable} is not set: aws apigateway get-api-key --api-key ${id} --include-value --query value --output text`,
    );
  }
  return value;
}

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  flushes: number;
}

/** The local stage cache's admin endpoints (FlushStageCache and counters); undefined for a deployed stage. */
export function localStageCache(
  target: Target,
): { stats(): Promise<CacheStats>; flush(): Promise<number> } | undefined {
  if (!target.local) return undefined;
  const stage = target.local.restStages.find((s) => s.stack === 'rest-api' || s.stack.endsWith('-rest-api'));
  const { cacheStatsUrl, cacheFlushUrl } = stage ?? {};
  if (cacheStatsUrl === undefined || cacheFlushUrl === undefined) {
    throw new Error(`the endpoints file has no cache URLs for the catalog stage (${JSON.stringify(stage)})`);
  }
  return {
    async stats() {
      const response = await fetch(cacheStatsUrl);
      if (!response.ok) throw new Error(`cache stats: ${response.status}`);
      return (await response.json()) as CacheStats;
    },
    async flush() {
      const response = await fetch(cacheFlushUrl, { method: 'DELETE' });
      await response.arrayBuffer();
      return response.status;
    },
  };
}
