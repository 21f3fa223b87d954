/**
 * Public types of the local Lambda runtime. Everything here is plain data, so the part of the local
 * cloud that reads the CDK template can produce it without knowing how functions run.
 */

/** One Lambda function, as the template describes it (after intrinsics are resolved). */
export interface FunctionConfig {
  /** Function name, e.g. `dev-notes-list`. Invocations address a function by this name or by `arn`. */
  readonly name: string;
  /** Unqualified function ARN; becomes `context.invokedFunctionArn`. */
  readonly arn: string;
  /** Lambda handler string, e.g. `index.handler` or `src/handlers/list.handler`. */
  readonly handler: string;
  /** Absolute path of the code bundle folder (the asset directory); becomes `LAMBDA_TASK_ROOT`. */
  readonly codeDir: string;
  /** Lambda runtime identifier, e.g. `nodejs22.x`. Only `nodejs*` runtimes can run locally. */
  readonly runtime: string;
  /** The function's environment variables from the template. */
  readonly environment: Readonly<Record<string, string>>;
  /** Function timeout; the worker is terminated when it is exceeded. */
  readonly timeoutSeconds: number;
  /** Memory size; reported in REPORT lines and used as the worker's heap limit. */
  readonly memoryMb: number;
  /**
   * Reserved concurrency. When set, at most this many invocations run at once and any further one is
   * throttled immediately (like Lambda: no queue). `0` throttles every invocation.
   */
  readonly reservedConcurrency?: number;
  readonly region: string;
  readonly accountId: string;
}

export interface InvokeOptions {
  /** Request id (`context.awsRequestId`); a random UUID when omitted. */
  readonly requestId?: string;
  /**
   * Wall-clock time (epoch ms, `Date.now()` scale) after which the caller stops waiting — e.g. API
   * Gateway's integration timeout. At the deadline `invoke` resolves with `kind: 'timeout'`
   * (`errorType: 'Local.DeadlineExceeded'`) while the function keeps running until it returns or hits
   * its own timeout, as it would in AWS. An invocation still waiting for a free worker at the deadline
   * is dropped and never runs.
   */
  readonly deadline?: number;
  /** X-Ray trace header for `process.env._X_AMZN_TRACE_ID`; an unsampled one is generated when omitted. */
  readonly traceId?: string;
}

/**
 * Why an invocation failed; the gateways map this to a status code:
 * - `error`: the handler threw, rejected or called back with an error, or init failed (import error,
 *   handler not found, module scope threw) → REST 502 / HTTP API 500.
 * - `crash`: the runtime died during the invocation (uncaught exception, unhandled rejection,
 *   `process.exit`, out of memory). The worker is replaced; other invocations are unaffected → 502 / 500.
 * - `timeout`: the function ran longer than its timeout (worker terminated, next call is a cold start),
 *   or the caller's `deadline` passed → REST 504 / HTTP API 503.
 * - `throttled`: reserved concurrency exhausted → 429 `TooManyRequestsException`.
 * - `request-too-large`: the event's JSON is over 6 MB; refused before anything runs
 *   (`RequestEntityTooLargeException`, Lambda's 413) → REST and HTTP API 413 `{"message":"Request Too Long"}`.
 * - `response-too-large`: the handler's result is over 6 MB of JSON (`Function.ResponseSizeTooLarge`; the
 *   function ran) → REST 502 / HTTP API 500, like any failed invocation.
 */
export type InvokeFailureKind =
  | 'error'
  | 'crash'
  | 'timeout'
  | 'throttled'
  | 'request-too-large'
  | 'response-too-large';

export interface InvokeSuccess {
  readonly ok: true;
  readonly requestId: string;
  /** The handler's result after structured clone (`undefined` becomes `null`, like Lambda's JSON). */
  readonly result: unknown;
}

export interface InvokeFailure {
  readonly ok: false;
  readonly requestId: string;
  readonly kind: InvokeFailureKind;
  /** Lambda's error type, e.g. `Error`, `Runtime.ImportModuleError`, `Sandbox.Timedout`. */
  readonly errorType: string;
  readonly errorMessage: string;
  /** Stack lines, as in Lambda's error payload. Never forward it to HTTP clients. */
  readonly trace?: readonly string[];
}

export type InvokeResult = InvokeSuccess | InvokeFailure;

/**
 * Sends requests for matching hosts to a local listener instead. `host` is a hostname pattern where
 * `*` matches one DNS label (`*.execute-api.*.amazonaws.com`), or a RegExp tested against the hostname.
 * `target` is a base URL: `https://abc.execute-api.us-east-1.amazonaws.com/dev/x?q` with target
 * `http://127.0.0.1:4000/prefix` becomes `http://127.0.0.1:4000/prefix/dev/x?q`, with the original host in
 * `x-forwarded-host` (fetch cannot set `Host`; `node:https` requests keep their `Host` header too).
 */
export interface HostRewrite {
  readonly host: string | RegExp;
  readonly target: string;
}

/** One line of log output. `platform` lines are the runtime's own (START, END, REPORT, timeouts). */
export interface LogRecord {
  /** The function the line belongs to; `*` for runtime-wide notices. */
  readonly functionName: string;
  readonly source: 'platform' | 'stdout' | 'stderr';
  /** The line without its trailing newline; the function's own JSON lines arrive untouched. */
  readonly line: string;
}

export type LogSink = (record: LogRecord) => void;

export interface LambdaRuntimeOptions {
  readonly functions?: readonly FunctionConfig[];
  /** Where log lines go; default: stdout, each line prefixed with `[function-name] `. */
  readonly logSink?: LogSink;
  /**
   * Extra environment for every function, overriding the template's values (not Lambda's reserved
   * variables): e.g. `AWS_ENDPOINT_URL_DYNAMODB`, `POWERTOOLS_TRACE_ENABLED=false`, credentials.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** Installed in every worker before the handler is imported (fetch and `node:https`). */
  readonly hostRewrites?: readonly HostRewrite[];
  /**
   * Most workers per function without reserved concurrency (default 10). Further invocations wait in a
   * FIFO queue for a free worker — a local limit, so it does not throttle as AWS would not.
   */
  readonly maxConcurrency?: number;
  /**
   * Workers per function (without reserved concurrency) started as soon as invocations need them; default
   * one per CPU core. Beyond it, up to `maxConcurrency`, another worker starts only while the busy ones wait
   * rather than compute — their handler has yielded to its event loop (it awaits I/O or a timer) — so
   * CPU-bound functions do not oversubscribe the cores. Invocations meanwhile wait in the FIFO queue.
   */
  readonly eagerWorkers?: number;
  /** Idle workers are terminated after this long (default 10 minutes). */
  readonly idleTimeoutMs?: number;
  /** Limit for a cold start's init phase (default 10 s, Lambda's limit). */
  readonly initTimeoutMs?: number;
  /** Watch every function's `codeDir` and reload functions whose code changed (default off). */
  readonly watch?: boolean | { readonly debounceMs?: number };
}

/** A snapshot of one function's workers, for tests and live views. */
export interface FunctionStats {
  readonly name: string;
  /** Workers alive (starting, idle or busy). */
  readonly workers: number;
  readonly idle: number;
  /** Invocations running or starting (what reserved concurrency counts). */
  readonly inFlight: number;
  /** Invocations waiting for a worker (only without reserved concurrency). */
  readonly queued: number;
  readonly coldStarts: number;
}
