/**
 * Request ids shaped like HTTP API's `apigw-requestid` / `requestContext.requestId` (e.g.
 * `ZhMpgigvDoEEPlg=`): 11 bytes in standard base64, 16 characters ending in `=`. Like AWS's, they start
 * with a time component; then a per-generator random part and a counter, so they are unique within a
 * process without calling the CSPRNG per request.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';

export type RequestIdGenerator = () => string;

export function createRequestIdGenerator(clock: Clock = systemClock): RequestIdGenerator {
  const bytes = Buffer.alloc(11);
  randomBytes(3).copy(bytes, 5);
  let counter = randomBytes(3).readUIntBE(0, 3);
  return () => {
    // 40 bits of milliseconds (wraps every ~35 years), 24 random bits, 24-bit counter.
    bytes.writeUIntBE(clock.now() % 0x10000000000, 0, 5);
    counter = (counter + 1) & 0xffffff;
    bytes.writeUIntBE(counter, 8, 3);
    return bytes.toString('base64');
  };
}
