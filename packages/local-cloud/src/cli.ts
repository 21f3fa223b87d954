/**
 * `local-cloud up`: runs a synthesized CDK app offline until Ctrl-C; `local-cloud flush-cache` flushes a
 * REST API stage cache of a running one (cli-flush-cache.ts). See README.md, "CLI".
 * Built to `dist/cli.js` (the package's bin); from source: `tsx src/cli.ts up …`.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AssemblyError } from './assembly';
import { FLUSH_CACHE_HELP, flushCache } from './cli-flush-cache';
import {
  formatSummary,
  type LocalCloud,
  LocalCloudError,
  removeEndpointsFile,
  startLocalCloud,
  writeEndpointsFile,
} from './cloud';
import { stdoutLines } from './stdout-lines';

const HELP = `Usage: local-cloud up [options]

Runs a synthesized CDK app (its cloud assembly) on this machine: HTTP and REST APIs, Lambda functions,
DynamoDB tables and Cognito user pools, from the templates. Ctrl-C stops it.

Options:
  --assembly DIR         the cloud assembly (cdk.out); default ./infra/cdk.out if present, else ./cdk.out
  --stage NAME           the CDK stage to run (e.g. dev); needed when the assembly has several
  --port N               base port: gateway N (every API by Host), identity provider N+1, DynamoDB N+2,
                         API Gateway control plane N+3 (GetUsagePlan, GetUsage, UpdateUsage,
                         FlushStageCache, GetApiKey), each API N+10… (HTTP APIs, then REST APIs)
                         (default 4000; 0 = free ports)
  --persist DIR          keep DynamoDB data in DIR across restarts (default: in memory)
  --dynamodb ENGINE      dynalite (default, embedded) or dynamodb-local (AWS's DynamoDB Local, needs Java)
  --seed FILE            demo users to create (default: local-cloud.seed.json next to the assembly, if any)
  --no-seed              create no demo users
  --endpoints-file PATH  where to write the endpoints JSON (default .local-cloud/endpoints.json)
  --region REGION        region of environment-agnostic stacks (default us-east-1)
  --no-watch             do not reload functions on a rebuild or a new synth
  --quiet                no function output, access logs, identity provider or control-plane calls
  -h, --help             this help

${FLUSH_CACHE_HELP}`;

const DEFAULT_PORT = 4000;
const ENGINES = ['dynalite', 'dynamodb-local'] as const;

class UsageError extends Error {}

interface UpOptions {
  readonly assemblyDir: string;
  readonly assemblyGiven: boolean;
  readonly stage: string | undefined;
  readonly port: number;
  readonly persistDir: string | undefined;
  readonly engine: (typeof ENGINES)[number];
  readonly seedFile: string | undefined;
  readonly endpointsFile: string;
  readonly region: string | undefined;
  readonly watch: boolean;
  readonly quiet: boolean;
}

/** Parses `up`'s arguments; `undefined` means help was asked for. */
export function parseUpArgs(args: readonly string[], cwd: string): UpOptions | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    // Node's own text goes on about positional arguments; the first sentence says it all.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command: local-cloud up');
  if (command === 'help') return undefined;
  if (command !== 'up')
    throw new UsageError(`unknown command '${command}': the commands are up and flush-cache`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);

  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65_535) {
      throw new UsageError(`--port must be 0 (free ports) or a port number, not '${values.port}'`);
    }
    port = Number(values.port);
  }
  const engine = values.dynamodb ?? 'dynalite';
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new UsageError(`--dynamodb must be ${ENGINES.join(' or ')}, not '${engine}'`);
  }
  if (values.seed !== undefined && values['no-seed'])
    throw new UsageError('--seed and --no-seed exclude each other');

  const assemblyGiven = values.assembly !== undefined;
  const assemblyDir = path.resolve(
    cwd,
    values.assembly ?? (existsSync(path.join(cwd, 'infra', 'cdk.out')) ? 'infra/cdk.out' : 'cdk.out'),
  );
  // A seed file kept with the CDK app: next to its cdk.out.
  const defaultSeed = path.join(path.dirname(assemblyDir), 'local-cloud.seed.json');
  const seedFile = values['no-seed']
    ? undefined
    : values.seed !== undefined
      ? path.resolve(cwd, values.seed)
      : existsSync(defaultSeed)
        ? defaultSeed
        : undefined;
  return {
    assemblyDir,
    assemblyGiven,
    stage: values.stage,
    port,
    persistDir: values.persist === undefined ? undefined : path.resolve(cwd, values.persist),
    engine: engine as UpOptions['engine'],
    seedFile,
    endpointsFile: path.resolve(cwd, values['endpoints-file'] ?? path.join('.local-cloud', 'endpoints.json')),
    region: values.region,
    watch: !values['no-watch'],
    quiet: values.quiet ?? false,
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      assembly: { type: 'string' },
      stage: { type: 'string' },
      port: { type: 'string' },
      persist: { type: 'string' },
      dynamodb: { type: 'string' },
      seed: { type: 'string' },
      'no-seed': { type: 'boolean' },
      'endpoints-file': { type: 'string' },
      region: { type: 'string' },
      'no-watch': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function report(error: unknown, options: UpOptions): void {
  const cause = error instanceof LocalCloudError ? error.cause : error;
  if (error instanceof LocalCloudError && error.expected) {
    console.error(`local-cloud: ${error.message}`);
    if (cause instanceof AssemblyError && cause.code === 'NOT_AN_ASSEMBLY' && !options.assemblyGiven) {
      console.error('  (no --assembly given: synthesize the app first — in this repository `npm run synth`)');
    }
    return;
  }
  console.error(`local-cloud: ${error instanceof Error ? error.message : String(error)}`);
  if (cause instanceof Error && cause.stack) console.error(cause.stack);
}

/** Runs until SIGINT / SIGTERM; resolves with the exit code. */
async function up(options: UpOptions): Promise<number> {
  // Lambda runs in UTC, and the time zone is process-wide: the workers share this one.
  process.env.TZ = 'UTC';
  // The SDK clients of the local cloud itself (not the functions'): nothing for the user to act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let stopRequested: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      console.error(`local-cloud: ${signal} again, exiting now`);
      process.exit(130);
    }
    stopRequested?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await serve(options, stopped, () => signals > 0);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function serve(options: UpOptions, stopped: Promise<void>, stopping: () => boolean): Promise<number> {
  // Every line of a running local cloud goes through one non-blocking writer (see stdout-lines.ts).
  const out = stdoutLines();
  const print = (line: string) => out.line(line);
  // A reader polling for the file must never see the previous run's.
  await removeEndpointsFile(options.endpointsFile);
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      assemblyDir: options.assemblyDir,
      ...(options.stage === undefined ? {} : { stage: options.stage }),
      ...(options.region === undefined ? {} : { region: options.region }),
      port: options.port,
      ...(options.persistDir === undefined ? {} : { persistDir: options.persistDir }),
      dynamoDbEngine: options.engine,
      ...(options.seedFile === undefined ? {} : { seedFile: options.seedFile }),
      watch: options.watch,
      log: print,
      ...(options.quiet ? { functionLogs: () => undefined } : { requestLog: print }),
    });
  } catch (error) {
    await out.flush(); // the gaps and progress printed so far come before the error
    report(error, options);
    return 1;
  }

  if (!stopping()) {
    await writeEndpointsFile(options.endpointsFile, cloud.endpoints);
    const relative = (file: string) => {
      const rel = path.relative(process.cwd(), file);
      return rel === '' || rel.startsWith('..') ? file : rel;
    };
    for (const line of formatSummary(cloud.endpoints, {
      endpointsFile: relative(options.endpointsFile),
      ...(options.seedFile === undefined ? {} : { seedFile: relative(options.seedFile) }),
      watch: options.watch,
    })) {
      print(line);
    }
  }
  await stopped;
  print('stopping the local cloud…');
  await cloud.close();
  await removeEndpointsFile(options.endpointsFile);
  print('stopped');
  await out.flush();
  return 0;
}

export async function main(args: readonly string[]): Promise<number> {
  if (args[0] === 'flush-cache') return flushCache(args.slice(1), process.cwd());
  let options: UpOptions | undefined;
  try {
    options = parseUpArgs(args, process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`local-cloud: ${error.message}\nRun 'local-cloud --help' for the options.`);
    return 2;
  }
  if (options === undefined) {
    console.log(HELP);
    return 0;
  }
  return up(options);
}

/** Run as a program (also through the `node_modules/.bin` symlink), not imported. */
function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
