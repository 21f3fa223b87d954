/**
 * Lambda's synchronous payload limits (6 MB each way). Both are enforced where the size is cheap to know:
 * the request by the host, which encodes a large payload for the queue anyway (pool.ts); the response by
 * the worker, which bounds a result's JSON size without serialising it unless it may be too large.
 */

/**
 * The largest invocation payload (the event's JSON) a synchronous invoke takes: 6 MB. Lambda refuses a
 * larger one before anything runs (`RequestEntityTooLargeException`, HTTP 413).
 */
export const REQUEST_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * The largest response: Lambda's errors print 6291556 bytes (6 MB + 100) as the maximum allowed payload
 * size. The reference notes only say "6 MB"; the 100 bytes are as observed in published error messages.
 */
export const RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024 + 100;

export const REQUEST_TOO_LARGE = {
  errorType: 'RequestEntityTooLargeException',
  errorMessage: `Request must be smaller than ${REQUEST_LIMIT_BYTES} bytes for the InvokeFunction operation`,
} as const;

export const RESPONSE_TOO_LARGE = {
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
} as const;

/**
 * The size of the event in a queued payload's bytes: the payload wraps it as
 * `{"requestId":…,"event":…[,"traceId":…]}`.
 */
export function eventBytes(payloadBytes: number, requestId: string, traceId: string | undefined): number {
  const envelope =
    '{"requestId":,"event":}'.length +
    Buffer.byteLength(JSON.stringify(requestId)) +
    (traceId === undefined ? 0 : ',"traceId":'.length + Buffer.byteLength(JSON.stringify(traceId)));
  return payloadBytes - envelope;
}

/**
 * The JSON size of a handler's result when it is over {@link RESPONSE_LIMIT_BYTES}, else undefined. Lambda's
 * runtime sends a result as JSON; here it crosses to the host by structured clone, so its size is first
 * bounded without serialising (a typical `{statusCode, headers, body}` is a handful of steps); only a result
 * whose bound passes the limit is serialised and measured.
 */
export function oversizedResult(value: unknown, limit = RESPONSE_LIMIT_BYTES): number | undefined {
  if (jsonBound(value, limit, 0) <= limit) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined; // not JSON (a cycle, a BigInt): what the result's marshalling makes of it stands
  }
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json);
  return bytes > limit ? bytes : undefined;
}

/** Bigger than any JSON number (`-1.7976931348623157e+308` is 24 characters), `true`, `false` or `null`. */
const SCALAR_BOUND = 24;
/** Deeper than this (or cyclic), a result is measured rather than bounded. */
const MAX_DEPTH = 64;

/**
 * An upper bound of `value`'s JSON size in bytes: a string counts 6 bytes per UTF-16 unit (the longest
 * escape, `\u001f`; UTF-8 needs at most 3). Stops adding once past `limit`. A value that serialises its own
 * way (a `Date`, a `Buffer`, a class instance) gives `Infinity`: measure it.
 */
function jsonBound(value: unknown, limit: number, depth: number): number {
  if (typeof value === 'string') return 6 * value.length + 2;
  if (typeof value !== 'object' || value === null) return SCALAR_BOUND;
  if (depth > MAX_DEPTH) return Number.POSITIVE_INFINITY;
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      total += jsonBound(item, limit, depth + 1) + 1;
      if (total > limit) return total;
    }
    return total;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return Number.POSITIVE_INFINITY;
  for (const key in value) {
    total += 6 * key.length + 4 + jsonBound((value as Record<string, unknown>)[key], limit, depth + 1);
    if (total > limit) return total;
  }
  return total;
}
