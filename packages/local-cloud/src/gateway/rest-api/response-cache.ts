/**
 * A stage's response cache (§1): entries expire by the Clock after their method's TTL; responses over
 * 1 MB are not stored; the stage's `cacheClusterSize` bounds the total (oldest entries go first). Counts
 * hits and misses the way CloudWatch's `CacheHitCount`/`CacheMissCount` do, so tests can see that a hit
 * did not reach the backend. API Gateway adds no cache header of its own to a hit.
 */
import type { Clock } from '../../clock.js';
import type { HeaderPairs } from './http-response.js';

export interface CachedResponse {
  readonly status: number;
  readonly headers: HeaderPairs;
  readonly body: Buffer;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
  readonly bytes: number;
  readonly flushes: number;
}

/** The largest cacheable response (§1.2). */
export const MAX_CACHED_RESPONSE_BYTES = 1_048_576;

const SIZES_GB = new Set(['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237']);

export function cacheCapacityBytes(size: string | undefined): number {
  const gb = size ?? '0.5';
  if (!SIZES_GB.has(gb))
    throw new Error(`cacheClusterSize ${JSON.stringify(gb)} is not one of ${[...SIZES_GB].join(', ')}`);
  return Math.floor(Number(gb) * 1024 ** 3);
}

interface Entry {
  readonly response: CachedResponse;
  readonly expires: number;
  readonly bytes: number;
}

export class ResponseCache {
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  hits = 0;
  misses = 0;
  flushes = 0;

  constructor(clock: Clock, capacityBytes: number) {
    this.#clock = clock;
    this.#capacity = capacityBytes;
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#clock.now()) {
      this.#delete(key, entry);
      return undefined;
    }
    return entry.response;
  }

  /** Stores (replacing any entry for the key) unless the body is over 1 MB; false when not stored. */
  set(key: string, response: CachedResponse, ttlMs: number): boolean {
    if (ttlMs <= 0 || response.body.length > MAX_CACHED_RESPONSE_BYTES) return false;
    const previous = this.#entries.get(key);
    if (previous !== undefined) this.#delete(key, previous);
    let bytes = response.body.length + key.length;
    for (const [name, value] of response.headers) bytes += name.length + value.length;
    const now = this.#clock.now();
    // Oldest first (a Map iterates in insertion order) until the new entry fits.
    for (const [k, e] of this.#entries) {
      if (this.#bytes + bytes <= this.#capacity) break;
      this.#delete(k, e);
    }
    this.#entries.set(key, { response, expires: now + ttlMs, bytes });
    this.#bytes += bytes;
    return true;
  }

  /** FlushStageCache. */
  flush(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.flushes++;
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      entries: this.#entries.size,
      bytes: this.#bytes,
      flushes: this.flushes,
    };
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
