/**
 * The local Lambda runtime: a registry of functions, each with its own pool of worker threads.
 *
 * ```ts
 * const lambda = new LambdaRuntime({ functions, hostRewrites: [{ host: '*.execute-api.*.amazonaws.com', target: gatewayUrl }] });
 * const result = await lambda.invoke('dev-notes-list', event, { deadline: Date.now() + 29_000 });
 * await lambda.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { stdoutLogSink } from './logs';
import { compileHostRewrites } from './network';
import { FunctionPool, failure, type PoolContext } from './pool';
import type {
  FunctionConfig,
  FunctionStats,
  HostRewrite,
  InvokeOptions,
  InvokeResult,
  LambdaRuntimeOptions,
} from './types';
import { CodeWatcher } from './watch';
import { workerEntry } from './worker-entry';

const DEFAULT_MAX_CONCURRENCY = 10;
/** Workers per function that may compute at once: one per CPU core (see FunctionPool#mayStart). */
const DEFAULT_EAGER_WORKERS = availableParallelism();
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_INIT_TIMEOUT_MS = 10_000;
const DEFAULT_WATCH_DEBOUNCE_MS = 100;

export interface RuntimeUpdate {
  /** The complete new set of functions: new ones are added, missing ones removed, changed ones reloaded. */
  readonly functions?: readonly FunctionConfig[];
  /** New extra environment for every function (all functions reload if it differs). */
  readonly environment?: Readonly<Record<string, string>>;
  /** New host rewrites (all functions reload if they differ). */
  readonly hostRewrites?: readonly HostRewrite[];
}

export interface UpdateSummary {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly reloaded: readonly string[];
}

/** Deep equality of plain data (configs, environments, rewrite rules). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a);
  return (
    keysA.length === Object.keys(b).length &&
    keysA.every((key) => sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}

/** Lambda runs in UTC; a worker cannot have its own time zone (it is process-wide in Node). */
function hostIsUtc(): boolean {
  return [0, 6].every((month) => new Date(Date.UTC(2026, month, 1)).getTimezoneOffset() === 0);
}

export class LambdaRuntime {
  readonly #context: PoolContext;
  readonly #pools = new Map<string, FunctionPool>();
  readonly #byArn = new Map<string, FunctionPool>();
  readonly #watcher: CodeWatcher | undefined;
  readonly #reaper: NodeJS.Timeout;
  /** Pools removed by `update` that are still terminating their workers. */
  readonly #removing = new Set<Promise<void>>();
  #closed: Promise<void> | undefined;

  constructor(options: LambdaRuntimeOptions = {}) {
    const hostRewrites = [...(options.hostRewrites ?? [])];
    compileHostRewrites(hostRewrites);
    this.#context = {
      entry: undefined,
      environment: { ...options.environment },
      hostRewrites,
      maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
      eagerWorkers: options.eagerWorkers ?? DEFAULT_EAGER_WORKERS,
      initTimeoutMs: options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS,
      log: options.logSink ?? stdoutLogSink,
    };
    if (options.watch) {
      const debounceMs =
        (options.watch === true ? undefined : options.watch.debounceMs) ?? DEFAULT_WATCH_DEBOUNCE_MS;
      this.#watcher = new CodeWatcher((dir) => this.#codeChanged(dir), debounceMs);
    }
    const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#reaper = setInterval(
      () => {
        for (const pool of this.#pools.values()) pool.reapIdle(idleTimeoutMs);
      },
      Math.min(Math.max(idleTimeoutMs / 2, 10), 30_000),
    );
    this.#reaper.unref();
    for (const fn of options.functions ?? []) this.#add(fn);
    this.#watcher?.sync(this.#codeDirs());
    if (!hostIsUtc()) {
      this.#context.log({
        functionName: '*',
        source: 'platform',
        line: 'this process does not run in UTC like Lambda does; start it with TZ=UTC for the same dates',
      });
    }
  }

  /**
   * Invokes a function by name or unqualified ARN. Never rejects: every failure is an `InvokeFailure`.
   * Not an `async` function: once the worker bootstrap is resolved, the pool's promise is returned as it is,
   * with no extra promise and await per call.
   */
  invoke(nameOrArn: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    const pool = this.#pools.get(nameOrArn) ?? this.#byArn.get(nameOrArn);
    if (pool === undefined) {
      return Promise.resolve(
        failure(requestId, 'error', {
          errorType: 'ResourceNotFoundException',
          errorMessage: `Function not found: ${nameOrArn}`,
        }),
      );
    }
    if (!pool.config.runtime.startsWith('nodejs')) {
      return Promise.resolve(
        failure(requestId, 'error', {
          errorType: 'Local.UnsupportedRuntime',
          errorMessage: `${pool.config.name} uses ${pool.config.runtime}; the local cloud runs nodejs* functions only`,
        }),
      );
    }
    if (this.#context.entry === undefined) return this.#invokeFirst(pool, requestId, event, options);
    return pool.invoke(requestId, event, options);
  }

  /** The first invocation resolves the worker bootstrap (bundling it when running from source). */
  async #invokeFirst(
    pool: FunctionPool,
    requestId: string,
    event: unknown,
    options: InvokeOptions,
  ): Promise<InvokeResult> {
    try {
      this.#context.entry ??= await workerEntry();
    } catch (error) {
      return failure(requestId, 'error', {
        errorType: 'Local.RuntimeError',
        errorMessage: `could not start a worker for ${pool.config.name}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    return pool.invoke(requestId, event, options);
  }

  /** The next invocation of this function loads its bundle afresh (cold start). */
  reload(name: string): void {
    const pool = this.#pools.get(name);
    if (pool === undefined) throw new Error(`no function named ${name}`);
    pool.reload();
  }

  /** Applies a new set of functions / environment / host rewrites; only what changed reloads. */
  update(update: RuntimeUpdate): UpdateSummary {
    const added: string[] = [];
    const removed: string[] = [];
    const reloaded = new Set<string>();
    let reloadAll = false;
    if (update.hostRewrites !== undefined && !sameData(update.hostRewrites, this.#context.hostRewrites)) {
      compileHostRewrites(update.hostRewrites);
      this.#context.hostRewrites = [...update.hostRewrites];
      reloadAll = true;
    }
    if (update.environment !== undefined && !sameData(update.environment, this.#context.environment)) {
      this.#context.environment = { ...update.environment };
      reloadAll = true;
    }
    if (update.functions !== undefined) {
      const names = new Set(update.functions.map((fn) => fn.name));
      for (const [name, pool] of this.#pools) {
        if (names.has(name)) continue;
        this.#pools.delete(name);
        this.#byArn.delete(pool.config.arn);
        const closing = pool.close();
        this.#removing.add(closing);
        void closing.finally(() => this.#removing.delete(closing));
        removed.push(name);
      }
      for (const fn of update.functions) {
        const pool = this.#pools.get(fn.name);
        if (pool === undefined) {
          this.#add(fn);
          added.push(fn.name);
        } else if (!sameData(pool.config, fn)) {
          this.#byArn.delete(pool.config.arn);
          this.#byArn.set(fn.arn, pool);
          pool.config = fn;
          reloaded.add(fn.name);
        }
      }
      this.#watcher?.sync(this.#codeDirs());
    }
    if (reloadAll) {
      for (const [name, pool] of this.#pools) {
        if (added.includes(name) || reloaded.has(name)) continue;
        pool.reload();
        reloaded.add(name);
      }
    }
    return { added, removed, reloaded: [...reloaded] };
  }

  stats(): FunctionStats[] {
    return [...this.#pools.values()].map((pool) => pool.stats());
  }

  /** Stops watching and terminates every worker. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearInterval(this.#reaper);
      this.#watcher?.close();
      await Promise.all([...[...this.#pools.values()].map((pool) => pool.close()), ...this.#removing]);
    })();
    return this.#closed;
  }

  #add(fn: FunctionConfig): void {
    if (this.#pools.has(fn.name)) throw new Error(`duplicate function name ${fn.name}`);
    const pool = new FunctionPool(fn, this.#context);
    this.#pools.set(fn.name, pool);
    this.#byArn.set(fn.arn, pool);
  }

  #codeDirs(): string[] {
    return [...this.#pools.values()].map((pool) => pool.config.codeDir);
  }

  #codeChanged(dir: string): void {
    for (const pool of this.#pools.values()) {
      if (pool.config.codeDir !== dir) continue;
      pool.reload();
      this.#context.log({
        functionName: pool.config.name,
        source: 'platform',
        line: `code changed in ${dir}: reloaded, the next invocation starts cold`,
      });
    }
  }
}
