/**
 * Note ids: UUID version 7 (RFC 9562). The first 48 bits are the Unix time in milliseconds, so ids sort
 * by creation time — as strings too, since lowercase hex sorts like the numbers it encodes. That makes
 * the id usable as the sort key: a query over a user's notes comes back in creation order for free.
 *
 * Within one millisecond the 12-bit `rand_a` field is a counter (RFC 9562 §6.2, method 1) seeded at a
 * random value, so ids made by one execution environment are strictly increasing even when several are
 * made in the same millisecond or the clock steps back. Across environments, ids of the same millisecond
 * are ordered arbitrarily — fine for "newest first".
 */
import { randomBytes, randomInt } from 'node:crypto';

const COUNTER_MAX = 0xfff;

export interface IdGeneratorOptions {
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** A generator of strictly increasing UUIDv7 strings (one per execution environment). */
export function uuidv7Generator(options: IdGeneratorOptions = {}): () => string {
  const now = options.now ?? Date.now;
  let lastMs = Number.NEGATIVE_INFINITY;
  let counter = 0;

  return () => {
    const ms = now();
    if (ms > lastMs) {
      lastMs = ms;
      counter = randomInt(0, (COUNTER_MAX + 1) / 2); // lower half: room to count up within this ms
    } else if (counter < COUNTER_MAX) {
      counter += 1; // same millisecond, or the clock went back: keep increasing
    } else {
      lastMs += 1; // counter exhausted: borrow the next millisecond
      counter = 0;
    }

    const bytes = randomBytes(16);
    bytes.writeUIntBE(lastMs, 0, 6); // unix_ts_ms, 48 bits
    bytes[6] = 0x70 | (counter >> 8); // version 7 + counter high bits
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
