/**
 * A small expiring map for authorizer results: entries live `ttlMs` by the injected Clock. Expired
 * entries are dropped when read, and swept when the map grows, so it stays bounded by the live set.
 */
import type { Clock } from '../clock.js';

const SWEEP_EVERY = 1024;

export class TtlCache<V> {
  readonly #clock: Clock;
  readonly #entries = new Map<string, { value: V; expires: number }>();
  #sweepAt = SWEEP_EVERY;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.#clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    const now = this.#clock.now();
    this.#entries.set(key, { value, expires: now + ttlMs });
    if (this.#entries.size >= this.#sweepAt) {
      for (const [k, e] of this.#entries) if (e.expires <= now) this.#entries.delete(k);
      this.#sweepAt = Math.max(SWEEP_EVERY, this.#entries.size * 2);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
