/**
 * Request ids shaped like HTTP API's `apigw-requestid` / `requestContext.requestId` (e.g.
 * `ZhMpgigvDoEEPlg=`): 11 bytes in standard base64, 16 characters ending in `=`. Like AWS's, they start
 * with a time component; then a per-generator random part and a counter, so they are unique within a
 * process without calling the CSPRNG per request.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';

/** `now`: the request's time by the same Clock, when the caller has read it already. */
export type RequestIdGenerator = (now?: number) => string;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function createRequestIdGenerator(clock: Clock = systemClock): RequestIdGenerator {
  // 40 bits of milliseconds (wraps every ~35 years), 24 random bits, 24-bit counter.
  const time = Buffer.alloc(6);
  const random = randomBytes(3);
  time[5] = random[0] as number;
  // Bytes 6–7 (random) start the second half; the counter fills the rest of it.
  const randomHigh = ((random[1] as number) << 16) | ((random[2] as number) << 8);
  let counter = randomBytes(3).readUIntBE(0, 3);
  let lastMs = Number.NaN;
  let head = '';
  return (now = clock.now()) => {
    // The first 6 bytes encode to 8 characters on their own, and change once per millisecond.
    const ms = now % 0x10000000000;
    if (ms !== lastMs) {
      time.writeUIntBE(ms, 0, 5);
      head = time.toString('base64');
      lastMs = ms;
    }
    counter = (counter + 1) & 0xffffff;
    // Per request only the tail: bytes 6–8, then 9–10 padded with two zero bits and `=`.
    const a = randomHigh | (counter >>> 16);
    const b = (counter & 0xffff) << 2;
    return `${head}${BASE64[a >>> 18]}${BASE64[(a >>> 12) & 63]}${BASE64[(a >>> 6) & 63]}${BASE64[a & 63]}${BASE64[b >>> 12]}${BASE64[(b >>> 6) & 63]}${BASE64[b & 63]}=`;
  };
}
