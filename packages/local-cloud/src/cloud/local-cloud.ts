/**
 * The local cloud: runs a synthesized CDK app (its cloud assembly) on this machine.
 *
 * ```
 * load the assembly → report gaps → DynamoDB → identity provider (+ seed users) → Lambda runtime
 *   → the gateways' front door, HTTP API and REST API gateways, the API Gateway control plane
 *   → rewrite AWS URLs to local ones
 *   → functions get their config → endpoints
 * ```
 *
 * The Lambda runtime starts empty and is handed to the gateways as their invoker; the functions are added
 * once the gateways listen, because their environments need the gateways' URLs. `close()` stops
 * everything in reverse order; a failed start closes what it had started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AssemblyError,
  type AssemblyModel,
  formatGap,
  type Gap,
  type LoadAssemblyOptions,
  loadAssembly,
} from '../assembly';
import type { Clock } from '../clock';
import {
  type DynamoDbEngine,
  DynamoDbLocalNotInstalledError,
  DynamoDbSchemaChangedError,
  describeGaps,
  type RunningDynamoDb,
  startDynamoDb,
} from '../dynamodb';
import {
  HttpApiConfigError,
  type HttpApiGateway,
  type LambdaInvoker,
  startHttpApiGateway,
} from '../gateway/http-api';
import { FrontDoor } from '../gateway/listener';
import {
  RestApiConfigError,
  type RestApiGateway,
  startManagementApi,
  startRestApiGateway,
} from '../gateway/rest-api';
import { type IdentityProvider, type SeedUser, startIdentityProvider } from '../identity';
import { formatLogRecord, LambdaRuntime, type LogSink } from '../lambda';
import type { RunningService } from '../service';
import { stdoutLines } from '../stdout-lines';
import { watchAssembly } from './assembly-watch';
import { findAssetSources, projectRootOf } from './asset-sources';
import { buildEndpointsFile, type EndpointsFile } from './endpoints-file';
import { LocalCloudError, messageOf } from './errors';
import { type FunctionMapping, mapFunctions, serviceEnvironment, writeInlineCode } from './functions';
import { printedGapLines } from './gaps';
import { mapHttpApis } from './http-apis';
import { portLayout } from './ports';
import { mapRestApis, type RestApiMapping } from './rest-apis';
import { type EndpointRewrites, endpointRewrites, unservedEndpointGaps } from './rewrite';
import { readSeedFile, resolveSeedUsers, type SeedFileUser } from './seed';
import { mapTables } from './tables';
import { mapUserPools } from './user-pools';

export interface StartLocalCloudOptions {
  /** The cloud assembly directory (`cdk.out`). */
  readonly assemblyDir: string;
  /** The CDK stage to run (`dev`); needed when the assembly has several. */
  readonly stage?: string;
  /** Region / account of environment-agnostic stacks (defaults `us-east-1` / `000000000000`). */
  readonly region?: string;
  readonly accountId?: string;
  /**
   * 0 (default): every listener on a free port. N: fixed ports — the gateways' shared listener (HTTP and
   * REST APIs by Host) on N, the identity provider on N+1, DynamoDB on N+2, the API Gateway control plane
   * on N+3, each API's own listener on N+10, N+11, … (HTTP APIs first, then REST APIs)
   */
  readonly port?: number;
  /** Keep DynamoDB data in this directory across restarts (default: in memory). */
  readonly persistDir?: string;
  readonly dynamoDbEngine?: DynamoDbEngine;
  /** A seed users file (see seed.ts). Default: none. */
  readonly seedFile?: string;
  /** Seed users given in code, after the file's. */
  readonly seedUsers?: readonly SeedFileUser[];
  /** Reload functions when their code is rebuilt or the app is synthesized again (default false). */
  readonly watch?: boolean;
  /** Progress, gaps and notices, one line each. Default: stdout, never blocking (stdout-lines.ts). */
  readonly log?: (line: string) => void;
  /** Per-request lines: gateway access logs, identity provider and control-plane calls. Default: none. */
  readonly requestLog?: (line: string) => void;
  /** Function output and START/END/REPORT lines. Default: stdout, `[function-name] line`. */
  readonly functionLogs?: LogSink;
  /** Time source of token expiry, TTLs and throttling (tests pass a ManualClock). */
  readonly clock?: Clock;
}

export interface LocalCloud {
  /** What is served where (what the endpoints file holds). */
  readonly endpoints: EndpointsFile;
  readonly model: AssemblyModel;
  readonly lambda: LambdaRuntime;
  readonly dynamoDb: RunningDynamoDb;
  readonly identity: IdentityProvider & RunningService;
  /** Stops every service, last started first. Idempotent. */
  close(): Promise<void>;
}

const DYNAMODB_SWEEP_INTERVAL_MS = 5_000;

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function elapsed(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

/** Known failures become LocalCloudErrors with the message alone; the rest stays a bug report. */
function startError(what: string, error: unknown): LocalCloudError {
  if (error instanceof LocalCloudError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const causeCode = ((error as Error | undefined)?.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new LocalCloudError(
      `${what}: ${messageOf(error)} — is another local cloud running? Port 0 picks free ports`,
      { cause: error },
    );
  }
  const expected =
    error instanceof AssemblyError ||
    error instanceof DynamoDbSchemaChangedError ||
    error instanceof DynamoDbLocalNotInstalledError ||
    error instanceof HttpApiConfigError ||
    error instanceof RestApiConfigError ||
    causeCode === 'EADDRINUSE' || // DynamoDB's own message says what to do
    // The identity provider refuses what Cognito refuses (bad pool config, seed passwords breaking the policy).
    messageOf(error).startsWith('identity:');
  return new LocalCloudError(expected ? messageOf(error) : `${what}: ${messageOf(error)}`, {
    cause: error,
    expected,
  });
}

/** Runs `work`, turning its failure into a LocalCloudError about `what`. */
async function attempt<T>(what: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw startError(what, error);
  }
}

export async function startLocalCloud(options: StartLocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? ((line: string) => stdoutLines().line(line));
  const startedAt = performance.now();
  const stops: { name: string; stop: () => Promise<void> | void }[] = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const { name, stop } of stops.splice(0).reverse()) {
        try {
          await stop();
        } catch (error) {
          log(`could not stop ${name} cleanly: ${messageOf(error)}`);
        }
      }
    })();
    return closing;
  };

  try {
    // 1. The assembly, and everything that can be refused before a port is opened.
    let since = performance.now();
    const loadOptions: LoadAssemblyOptions = {
      dir: options.assemblyDir,
      ...(options.stage === undefined ? {} : { stage: options.stage }),
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    };
    const model = await attempt('loading the assembly', () => loadAssembly(loadOptions));
    log(
      `assembly ${path.relative(process.cwd(), model.assemblyDir) || '.'}` +
        `${model.stage === undefined ? '' : ` (stage ${model.stage})`}: ${count(model.stacks.length, 'stack')}, ` +
        `${count(model.functions.length, 'function')}, ${count(model.tables.length, 'table')}, ` +
        `${count(model.userPools.length, 'user pool')}, ${count(model.httpApis.length, 'HTTP API')}, ` +
        `${count(model.restApis.length, 'REST API')} (${elapsed(since)})`,
    );
    const seedUsers = await loadSeedUsers(options, model);
    const plan = planServices(model, options.dynamoDbEngine ?? 'dynalite');
    const gaps = plan.gaps;
    log(gaps.length === 0 ? 'gaps: none' : `GAPS — not run locally (${gaps.length}):`);
    // The same gap on several resources is one line here; the endpoints file lists each.
    for (const line of plan.printedGaps) log(`  ${line}`);
    const ports = portLayout(options.port ?? 0, {
      http: plan.httpApis.map((api) => api.apiId),
      rest: plan.restApis.apis.map((api) => api.apiId),
    });
    since = performance.now();
    const code = await prepareCode(model, options, log);
    stops.push({ name: 'inline code', stop: () => code.dispose() });
    if (options.watch) {
      log(
        `watch: ${count(code.sources.size, 'code asset')} found in the project, reloaded on a rebuild; ` +
          `the others on a new synth (${elapsed(since)})`,
      );
    }

    // 2. DynamoDB.
    since = performance.now();
    const dynamoGapLines = new Set(plan.dynamoDbGaps);
    const dynamoDb = await attempt('starting DynamoDB', () =>
      startDynamoDb({
        tables: plan.tables,
        port: ports.dynamoDb,
        ...(options.persistDir === undefined ? {} : { persistDir: options.persistDir }),
        engine: plan.dynamoDbEngine,
        region: model.region,
        ttlSweepIntervalMs: DYNAMODB_SWEEP_INTERVAL_MS,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        // Its gap lines were printed with the others.
        log: (line) => {
          if (!dynamoGapLines.has(line)) log(`[dynamodb] ${line}`);
        },
      }),
    );
    stops.push({ name: 'DynamoDB', stop: () => dynamoDb.close() });
    const kept = dynamoDb.tables.filter((t) => t.action === 'kept').length;
    log(
      `DynamoDB (${dynamoDb.engine}) ${dynamoDb.endpoint}: ${count(plan.tables.length, 'table')}` +
        `${kept === 0 ? '' : ` (${kept} with their data from ${options.persistDir})`} (${elapsed(since)})`,
    );

    // 3. The identity provider, with the seed users.
    since = performance.now();
    const requestLog = options.requestLog;
    const identity = await attempt('starting the identity provider', () =>
      startIdentityProvider({
        pools: plan.userPools,
        seedUsers: [...seedUsers],
        port: ports.identity,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(requestLog === undefined ? {} : { log: (line: string) => requestLog(`[cognito] ${line}`) }),
      }),
    );
    stops.push({ name: 'the identity provider', stop: () => identity.close() });
    log(
      `identity provider ${identity.url}: ${count(plan.userPools.length, 'user pool')}, ` +
        `${count(seedUsers.length, 'demo user')} (${elapsed(since)})`,
    );

    // 4. The Lambda runtime, empty for now, and a gateway invoking through it.
    const lambda = new LambdaRuntime({
      logSink: options.functionLogs ?? ((record) => stdoutLines().line(formatLogRecord(record))),
      watch: options.watch ?? false,
    });
    stops.push({ name: 'the Lambda runtime', stop: () => lambda.close() });
    let mapping: FunctionMapping = { functions: [], unavailable: new Map(), gaps: [] };
    const invoker: LambdaInvoker = {
      // Not async: on every request the runtime's promise is handed on as it is (no extra promise to adopt it).
      invoke: (name, event, invokeOptions) => {
        const reason = mapping.unavailable.get(name);
        if (reason !== undefined) {
          return Promise.resolve({
            ok: false,
            kind: 'error',
            errorType: 'Local.FunctionUnavailable',
            errorMessage: `${name} cannot run locally: ${reason}`,
          });
        }
        return lambda.invoke(name, event, invokeOptions);
      },
    };

    // 5. The gateways behind one front door. Authorizers need the local issuers, which the identity provider
    // knows now.
    since = performance.now();
    const local = {
      identityUrl: identity.url,
      issuerFor: (poolId: string) => identity.issuerFor(poolId),
      oauthBaseUrlFor: (poolId: string) => identity.oauthBaseUrlFor(poolId),
    };
    const identityOnly = endpointRewrites(model.endpoints, {
      ...local,
      apiUrlFor: () => undefined,
      gatewayUrl: undefined,
    });
    let door: FrontDoor | undefined;
    if (plan.httpApis.length + plan.restApis.apis.length > 0) {
      const opened = await attempt('starting the gateways', () => FrontDoor.start({ port: ports.gateway }));
      door = opened;
      stops.push({ name: 'the gateways’ front door', stop: () => opened.close() });
    }
    const gatewayOptions = {
      invoker,
      ...(door === undefined ? {} : { frontDoor: door }),
      apiPorts: ports.apis,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    };
    const accessLog = (kind: string) =>
      requestLog === undefined ? {} : { accessLog: (line: string) => requestLog(`[${kind}] ${line}`) };
    let gateway: HttpApiGateway | undefined;
    if (plan.httpApis.length > 0) {
      const { apis } = mapHttpApis(model.httpApis, { rewrite: identityOnly.rewrite });
      const started = await attempt('starting the HTTP API gateway', () =>
        startHttpApiGateway({
          apis,
          ...gatewayOptions,
          ...accessLog('http-api'),
          onError: (error) => log(`[http-api] internal error: ${messageOf(error)}`),
        }),
      );
      gateway = started;
      stops.push({ name: 'the HTTP API gateway', stop: () => started.close() });
      log(`HTTP API gateway ${started.url}: ${count(apis.length, 'API')} (${elapsed(since)})`);
    }
    let restGateway: RestApiGateway | undefined;
    if (plan.restApis.apis.length > 0) {
      since = performance.now();
      const started = await attempt('starting the REST API gateway', () =>
        startRestApiGateway({
          apis: plan.restApis.apis,
          ...gatewayOptions,
          ...accessLog('rest-api'),
          onError: (error) => log(`[rest-api] internal error: ${messageOf(error)}`),
        }),
      );
      restGateway = started;
      stops.push({ name: 'the REST API gateway', stop: () => started.close() });
      log(
        `REST API gateway ${started.url}: ${count(plan.restApis.apis.length, 'API')}, ` +
          `${count(plan.restApis.usagePlans.length, 'usage plan')}, ${count(plan.restApis.apiKeys.length, 'API key')} ` +
          `(${elapsed(since)})`,
      );
    }
    const servedApis = [...(gateway?.apis ?? []), ...(restGateway?.apis ?? [])];

    // The API Gateway control plane: the management calls of REST APIs (usage, quotas, cache, keys), for the
    // SDK's endpoint option. It runs without REST APIs too (every id is then unknown), as AWS's does.
    since = performance.now();
    const managementApi = await attempt('starting the API Gateway control plane', () =>
      startManagementApi({
        gateway: restGateway,
        port: ports.apiGateway,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(requestLog === undefined ? {} : { log: (line: string) => requestLog(`[apigateway] ${line}`) }),
      }),
    );
    stops.push({ name: 'the API Gateway control plane', stop: () => managementApi.close() });
    log(
      `API Gateway control plane ${managementApi.url}: GetUsagePlan, GetUsage, UpdateUsage, FlushStageCache, GetApiKey (${elapsed(since)})`,
    );

    // 6. The endpoints step, then the functions.
    since = performance.now();
    const rewrites = endpointRewrites(model.endpoints, {
      ...local,
      apiUrlFor: (apiId) => servedApis.find((api) => api.apiId === apiId)?.url,
      gatewayUrl: door?.url,
    });
    mapping = mapFunctions(model.functions, {
      rewrite: rewrites.rewrite,
      inlineCodeDirs: code.inlineDirs,
      codeDirFor: (dir) => code.sources.get(dir),
    });
    lambda.update({
      functions: mapping.functions,
      environment: serviceEnvironment({
        dynamoDb: dynamoDb.endpoint,
        cognito: identity.url,
        apiGateway: managementApi.url,
      }),
      hostRewrites: rewrites.hostRewrites,
    });
    log(
      `Lambda runtime: ${count(mapping.functions.length, 'function')}` +
        `${mapping.unavailable.size === 0 ? '' : `, ${mapping.unavailable.size} cannot run`} (${elapsed(since)})`,
    );

    const endpoints = buildEndpointsFile({
      model,
      rewrite: rewrites.rewrite,
      httpApis: gateway?.apis ?? [],
      restApis: restGateway?.apis ?? [],
      restMapping: plan.restApis,
      identity,
      seedUsers,
      dynamoDb,
      apiGateway: managementApi,
      unavailableFunctions: mapping.unavailable,
      gaps,
    });

    // 7. Watching for a new synth.
    if (options.watch) {
      let current = model;
      const onSynth = async () => {
        const next = await reloadFunctions({ current, loadOptions, rewrites, code, lambda, log });
        if (next === undefined) return;
        current = next.model;
        mapping = next.mapping;
      };
      const watcher = watchAssembly(path.join(model.assemblyDir, 'manifest.json'), onSynth);
      stops.push({ name: 'the assembly watcher', stop: () => watcher.close() });
    }

    log(`local cloud ready in ${elapsed(startedAt)}`);
    return { endpoints, model, lambda, dynamoDb, identity, close };
  } catch (error) {
    await close();
    throw startError('starting the local cloud', error);
  }
}

// -------------------------------------------------------------------------------------------------

interface ServicePlan {
  readonly tables: ReturnType<typeof mapTables>;
  readonly userPools: ReturnType<typeof mapUserPools>['pools'];
  /** The HTTP APIs that will be served (their issuers not rewritten yet). */
  readonly httpApis: ReturnType<typeof mapHttpApis>['apis'];
  /** The REST APIs that will be served, with their usage plans and keys. */
  readonly restApis: RestApiMapping;
  readonly dynamoDbEngine: DynamoDbEngine;
  readonly dynamoDbGaps: readonly string[];
  /** Every gap, one line each: the loader's, the services', DynamoDB's engine. */
  readonly gaps: readonly string[];
  /** The same, as printed at start: a gap repeated on several resources is one line (printedGapLines). */
  readonly printedGaps: readonly string[];
}

/** What each service will run, and every gap, before anything starts. */
function planServices(model: AssemblyModel, dynamoDbEngine: DynamoDbEngine): ServicePlan {
  const tables = mapTables(model.tables);
  const userPools = mapUserPools(model.userPools);
  const knownIssuers = new Set(model.userPools.map((pool) => pool.providerUrl));
  const httpApis = mapHttpApis(model.httpApis, { knownIssuers });
  const restApis = mapRestApis(model);
  // Inline code is written to disk before the functions start (prepareCode): not a gap.
  const inline = model.functions.filter((fn) => fn.code.kind === 'inline');
  const functions = mapFunctions(model.functions, {
    inlineCodeDirs: new Map(inline.map((fn) => [fn.name, '(written at start)'])),
  });
  const served = new Set([...httpApis.apis, ...restApis.apis].map((api) => api.apiId));
  const serviceGaps: Gap[] = [
    ...functions.gaps,
    ...userPools.gaps,
    ...httpApis.gaps,
    ...restApis.gaps,
    ...unservedEndpointGaps(model, served),
  ];
  const dynamoDbGaps = describeGaps(dynamoDbEngine, tables, DYNAMODB_SWEEP_INTERVAL_MS);
  // The loader's gaps are in stack order; the services' join them there (a stable sort keeps the rest).
  const stackRank = new Map(model.stacks.map((stack, i) => [stack.name, i]));
  const rank = (gap: Gap) => stackRank.get(gap.stack) ?? model.stacks.length;
  const resourceGaps = [...model.gaps, ...serviceGaps].sort((a, b) => rank(a) - rank(b));
  return {
    tables,
    userPools: userPools.pools,
    httpApis: httpApis.apis,
    restApis,
    dynamoDbEngine,
    dynamoDbGaps,
    gaps: [...resourceGaps.map(formatGap), ...dynamoDbGaps],
    printedGaps: [...printedGapLines(resourceGaps), ...dynamoDbGaps],
  };
}

async function loadSeedUsers(options: StartLocalCloudOptions, model: AssemblyModel): Promise<SeedUser[]> {
  const fromFile = options.seedFile === undefined ? [] : await readSeedFile(options.seedFile);
  return [
    ...resolveSeedUsers(fromFile, model.userPools, options.seedFile ?? ''),
    ...resolveSeedUsers(options.seedUsers ?? [], model.userPools, '(seedUsers option)'),
  ];
}

interface PreparedCode {
  readonly inlineDirs: Map<string, string>;
  /** Asset directory → its source directory (when watching). */
  readonly sources: Map<string, string>;
  /** Looks for sources of asset directories not seen before. */
  refresh(model: AssemblyModel): Promise<void>;
  dispose(): Promise<void>;
}

/** Inline code written to a temp folder; with watch, the source directory of each directory asset. */
async function prepareCode(
  model: AssemblyModel,
  options: StartLocalCloudOptions,
  log: (line: string) => void,
): Promise<PreparedCode> {
  let tempDir: string | undefined;
  const inlineDirs = new Map<string, string>();
  const sources = new Map<string, string>();
  const looked = new Set<string>();
  const searchRoot = projectRootOf(path.dirname(model.rootDir));

  const refresh = async (next: AssemblyModel) => {
    if (next.functions.some((fn) => fn.code.kind === 'inline')) {
      tempDir ??= await mkdtemp(path.join(os.tmpdir(), 'local-cloud-inline-'));
      for (const [name, dir] of await writeInlineCode(next.functions, tempDir)) inlineDirs.set(name, dir);
    }
    if (!options.watch) return;
    const assetDirs = next.functions.flatMap((fn) =>
      fn.code.kind === 'directory' && !looked.has(fn.code.path) ? [fn.code.path] : [],
    );
    if (assetDirs.length === 0) return;
    for (const dir of assetDirs) looked.add(dir);
    const found = await findAssetSources(assetDirs, { searchRoot, exclude: [next.rootDir] });
    for (const [asset, source] of found.sources) sources.set(asset, source);
    for (const [asset, candidates] of found.ambiguous) {
      log(
        `watch: ${path.basename(asset)} matches several directories (${candidates.join(', ')}); ` +
          'its functions reload on the next synth only',
      );
    }
  };
  await refresh(model);
  return {
    inlineDirs,
    sources,
    refresh,
    dispose: async () => {
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

/**
 * After a new synth: load the assembly again and hand the Lambda runtime the new function configs (only
 * functions whose code or configuration changed reload). Tables, pools, HTTP and REST APIs (with their
 * usage plans and keys) and outputs are not re-created: a change to them is reported as needing a restart. A failed load keeps what runs.
 */
async function reloadFunctions(context: {
  readonly current: AssemblyModel;
  readonly loadOptions: LoadAssemblyOptions;
  readonly rewrites: EndpointRewrites;
  readonly code: PreparedCode;
  readonly lambda: LambdaRuntime;
  readonly log: (line: string) => void;
}): Promise<{ model: AssemblyModel; mapping: FunctionMapping } | undefined> {
  const { current, code, log } = context;
  const since = performance.now();
  let next: AssemblyModel;
  try {
    next = await loadAssembly(context.loadOptions);
  } catch (error) {
    log(`new synth: the assembly cannot be loaded (${messageOf(error)}); still running the previous one`);
    return undefined;
  }
  await code.refresh(next);
  const mapping = mapFunctions(next.functions, {
    rewrite: context.rewrites.rewrite,
    inlineCodeDirs: code.inlineDirs,
    codeDirFor: (dir) => code.sources.get(dir),
  });
  const { reloaded, added, removed } = context.lambda.update({ functions: mapping.functions });
  const changes = [
    reloaded.length > 0 ? `reloaded ${reloaded.join(', ')}` : '',
    added.length > 0 ? `added ${added.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  log(`new synth: ${changes.length === 0 ? 'no function changed' : changes.join('; ')} (${elapsed(since)})`);

  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const restart = [
    same(mapTables(current.tables), mapTables(next.tables)) ? '' : 'DynamoDB tables',
    same(mapUserPools(current.userPools), mapUserPools(next.userPools)) ? '' : 'user pools',
    same(mapHttpApis(current.httpApis), mapHttpApis(next.httpApis)) ? '' : 'HTTP APIs',
    same(mapRestApis(current).apis, mapRestApis(next).apis) ? '' : 'REST APIs, usage plans or API keys',
    same(
      current.stacks.map((stack) => stack.outputs),
      next.stacks.map((stack) => stack.outputs),
    )
      ? ''
      : 'stack outputs',
  ].filter(Boolean);
  if (restart.length > 0) log(`new synth: ${restart.join(', ')} changed — restart the local cloud to apply`);
  return { model: next, mapping };
}
