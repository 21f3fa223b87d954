/**
 * How a gateway calls a Lambda function. The local Lambda runtime implements this; gateway tests use a
 * fake. Kept structurally compatible with the runtime's own `invoke` (extra fields on either side are
 * fine), so the runtime can be passed in as it is.
 */

export interface InvokeOptions {
  /** The gateway's request id, reused as the invocation's request id. */
  readonly requestId: string;
  /**
   * Wall-clock time (epoch ms, `Date.now()` scale) after which the gateway stops waiting: its integration
   * timeout. A runtime that honours it resolves `{ ok: false, kind: 'timeout', errorType:
   * 'Local.DeadlineExceeded' }`; the gateway also keeps its own timer, so a runtime may ignore it.
   */
  readonly deadline?: number;
  /** The same limit as a duration, for runtimes that prefer one. */
  readonly timeoutMs?: number;
}

/**
 * Why an invocation failed:
 * - `error`: the handler threw / rejected, or init failed (Lambda's `Unhandled` function error);
 * - `crash`: the runtime died during the invocation;
 * - `timeout`: the function exceeded its own timeout (Lambda's "Task timed out"), or — with
 *   `errorType: 'Local.DeadlineExceeded'` — the caller's deadline passed;
 * - `throttled`: Lambda refused the invocation (429 `TooManyRequestsException`);
 * - `request-too-large`: Lambda refused the event, over its 6 MB synchronous payload limit (its 413
 *   `RequestEntityTooLargeException`; nothing ran);
 * - `response-too-large`: the function's response was over 6 MB (`Function.ResponseSizeTooLarge`): a failed
 *   invocation.
 */
export type InvokeFailureKind =
  | 'timeout'
  | 'crash'
  | 'error'
  | 'throttled'
  | 'request-too-large'
  | 'response-too-large';

export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      readonly kind: InvokeFailureKind;
      readonly errorType: string;
      readonly errorMessage: string;
    };

export interface LambdaInvoker {
  invoke(functionName: string, event: unknown, opts: InvokeOptions): Promise<InvokeOutcome>;
}

/** The `errorType` a runtime reports when the caller's deadline (not the function's timeout) passed. */
export const DEADLINE_EXCEEDED = 'Local.DeadlineExceeded';

/** Returned by {@link invokeWithDeadline} when the gateway's own timer fired first. */
export const GATEWAY_TIMEOUT = Symbol('gateway-timeout');

/**
 * Invokes with an integration timeout that the gateway enforces itself: resolves {@link GATEWAY_TIMEOUT}
 * when `timeoutMs` passes first (the invocation keeps running and its result is dropped, as in AWS), and
 * turns a rejected `invoke` into a `crash` outcome so a buggy invoker cannot take the gateway down.
 *
 * On every proxied request: one promise settled by whichever comes first, rather than an async function
 * racing the invocation against a second promise (`Promise.race` + `.catch` + `finally` cost four extra
 * promises per request).
 */
export function invokeWithDeadline(
  invoker: LambdaInvoker,
  functionName: string,
  event: unknown,
  requestId: string,
  timeoutMs: number,
): Promise<InvokeOutcome | typeof GATEWAY_TIMEOUT> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve(GATEWAY_TIMEOUT);
    }, timeoutMs);
    const settle = (outcome: InvokeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let invocation: Promise<InvokeOutcome>;
    try {
      invocation = invoker.invoke(functionName, event, {
        requestId,
        deadline: Date.now() + timeoutMs,
        timeoutMs,
      });
    } catch (error) {
      // As before: an invoker throwing synchronously is a gateway bug (answered 500 by the pipeline).
      clearTimeout(timer);
      reject(error);
      return;
    }
    invocation.then(settle, (error: unknown) =>
      settle({
        ok: false,
        kind: 'crash',
        errorType: 'Local.InvokerError',
        errorMessage: error instanceof Error ? error.message : String(error),
      }),
    );
  });
}
