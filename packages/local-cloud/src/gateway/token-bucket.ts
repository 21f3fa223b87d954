/**
 * API Gateway throttling: a token bucket with one token per request. `burstLimit` is the capacity,
 * `rateLimit` the refill in tokens per second; the bucket starts full. Time comes from a Clock, so tests
 * refill it by moving a ManualClock.
 */
import type { Clock } from '../clock.js';

export interface ThrottleLimits {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Bucket capacity. 0 rejects every request. */
  readonly burstLimit: number;
}

export class TokenBucket {
  readonly #clock: Clock;
  readonly #perMs: number;
  readonly #capacity: number;
  #tokens: number;
  #last: number;

  constructor(limits: ThrottleLimits, clock: Clock) {
    this.#clock = clock;
    this.#perMs = Math.max(0, limits.rateLimit) / 1000;
    this.#capacity = Math.max(0, Math.floor(limits.burstLimit));
    this.#tokens = this.#capacity;
    this.#last = clock.now();
  }

  /** Takes one token; false when the request is to be throttled. */
  tryTake(): boolean {
    const now = this.#clock.now();
    if (now > this.#last) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#perMs);
      this.#last = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
