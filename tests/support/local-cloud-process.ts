/**
 * Runs `local-cloud up` as a child process — the way a developer runs it — on free ports, and waits for
 * its endpoints file. Shared by the e2e global setup and the benchmarks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The parts of the local cloud's endpoints file the tests read (the file has more). */
export interface EndpointsFile {
  region: string;
  outputs: Record<string, Record<string, string>>;
  cognito: { endpoint: string };
  apis?: Array<{
    kind: 'http' | 'rest' | 'websocket';
    stack: string;
    apiId: string;
    url: string;
    stages: Array<{ name: string; url: string; cacheStatsUrl?: string; cacheFlushUrl?: string }>;
  }>;
  apiKeys?: Array<{ id: string; stack: string; logicalId: string; value: string; enabled: boolean }>;
  /** The API Gateway control plane (management calls). */
  apiGateway: { endpoint: string };
}

export interface LocalCloudProcess {
  endpoints: EndpointsFile;
  /** Everything the process printed so far (function logs, access logs). */
  output(): string;
  /** The file that output goes to as it comes (test workers read it; they cannot call output()). */
  outputFile: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

export interface LocalCloudProcessOptions {
  /** Cloud assembly directory; default: this repository's (`infra/cdk.out`, from `npm run synth`). */
  assembly?: string;
  /** CDK Stage to run; leave out for an assembly without stages. */
  stage?: string;
  /** Print the process's output live. */
  echo?: boolean;
  /** `--quiet --no-seed`: no function output or access-log lines (benchmarks: nothing piles up in memory). */
  quiet?: boolean;
}

export async function startLocalCloudProcess(options: LocalCloudProcessOptions): Promise<LocalCloudProcess> {
  const cli = path.join(repoRoot, 'packages', 'local-cloud', 'dist', 'cli.js');
  const assembly = options.assembly ?? path.join(repoRoot, 'infra', 'cdk.out');
  for (const [what, file] of [
    ['the local cloud (npm run build)', cli],
    ['the assembly (npm run synth)', assembly],
  ] as const) {
    if (!existsSync(file)) throw new Error(`needs ${what}: ${file} is missing`);
  }
  const workDir = await mkdtemp(path.join(tmpdir(), 'local-cloud-'));
  const endpointsFile = path.join(workDir, 'endpoints.json');
  const outputFile = path.join(workDir, 'output.log');
  // The process's output goes straight to a file. The local cloud never blocks on its stdout, but it
  // drops lines (and says how many) when a pipe is read too late, and the access-log tests need every
  // line: a file never falls behind. Only `echo` needs a pipe, to copy the output to the terminal too.
  const file = await open(outputFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      'up',
      '--assembly',
      assembly,
      ...(options.stage ? ['--stage', options.stage] : []),
      '--port',
      '0',
      '--endpoints-file',
      endpointsFile,
      '--no-watch',
      ...(options.quiet ? ['--quiet', '--no-seed'] : []),
    ],
    {
      cwd: repoRoot,
      stdio: options.echo ? ['ignore', 'pipe', 'pipe'] : ['ignore', file.fd, file.fd],
      env: { ...process.env, TZ: 'UTC' },
    },
  );
  const copy = options.echo ? createWriteStream('', { fd: file.fd, autoClose: false }) : undefined;
  const echo = (chunk: Buffer) => {
    copy?.write(chunk);
    process.stderr.write(chunk);
  };
  child.stdout?.on('data', echo);
  child.stderr?.on('data', echo);
  const printed = () => readFileSync(outputFile, 'utf8');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (copy) await new Promise((resolve) => copy.end(resolve));
    await file.close().catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!existsSync(endpointsFile)) {
      if (child.exitCode !== null)
        throw new Error(`local cloud exited with ${child.exitCode}:\n${printed()}`);
      if (Date.now() > deadline)
        throw new Error(`local cloud did not start in ${START_TIMEOUT_MS} ms:\n${printed()}`);
      await sleep(100);
    }
    const endpoints = JSON.parse(await readFile(endpointsFile, 'utf8')) as EndpointsFile;
    return { endpoints, output: printed, outputFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
