/**
 * `npm run bench`: the local cloud's throughput and latency against a bare node:http server returning the
 * same body, in one run on loopback. Two routes of the benchmark's own CDK app (./bench-app.ts),
 * synthesized here:
 *
 * - `GET /trivial`, a one-line handler: the local cloud's own overhead (gateway, routing, event building,
 *   a Lambda worker, response mapping). The ≥ 0.5× target refers to this row.
 * - `GET /health`, the notes service's real bundle: the same plus middy + Powertools per call (informational).
 *
 * A fourth row is a reference, not the product: the least any worker-thread Lambda emulator can do per
 * request (./worker-dispatch-server.ts) — what the trivial route's ratio is up against on this machine.
 *
 * Every server runs in its own process so none competes with the load generator's event loop; rounds are
 * interleaved (bare, trivial, health, reference, bare, …) so a noisy moment on a shared machine hits all
 * rows alike. About a minute with the defaults.
 * Knobs: BENCH_SECONDS (per round, default 4), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloudProcess } from '../support/local-cloud-process';
import { output, type Target } from '../support/target';
import { HEALTH_BODY, synthBenchApp, TRIVIAL_RESPONSE, writeTrivialHandler } from './bench-app';
import { type Figures, measure, median } from './measure';
import { workerDispatchServerSource } from './worker-dispatch-server';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_RATIO = 0.5;

interface Server {
  readonly url: string;
  stop(): void;
}

/** Runs `source` (CommonJS) in its own Node process; it prints the port it listens on. */
async function startServer(source: string, urlPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}${urlPath}`, stop: () => child.kill() };
}

/** A bare node:http server answering exactly what the health function answers. */
function startBareServer(body: string): Promise<Server> {
  return startServer(
    `
    const http = require('node:http');
    const body = ${JSON.stringify(body)};
    const server = http.createServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`,
    '/health',
  );
}

interface Row {
  readonly name: string;
  readonly url: string;
  readonly results: Figures[];
}

const NAME_WIDTH = 44;

function row(name: string, f: Figures, baseline?: Figures): string {
  const ratio = baseline ? `${(f.rps / baseline.rps).toFixed(2)}×` : '1.00×';
  return `${name.padEnd(NAME_WIDTH)} ${f.rps.toFixed(0).padStart(8)} ${`${f.p50} ms`.padStart(8)} ${`${f.p99} ms`.padStart(8)} ${ratio.padStart(7)} ${String(f.non2xx + f.errors).padStart(9)}`;
}

/** GET url must answer 200 with exactly `body`: each row measures the same response. */
async function probe(url: string, body: string): Promise<void> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200 || text !== body) {
    throw new Error(`GET ${url} answered ${response.status} ${text}; expected 200 ${body}`);
  }
}

async function main(): Promise<void> {
  console.log(`bench: ${rounds} rounds × ${seconds} s per target, ${connections} connections, medians\n`);
  const work = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const servers: Server[] = [];
  let cloud: Awaited<ReturnType<typeof startLocalCloudProcess>> | undefined;
  try {
    const assembly = path.join(work, 'cdk.out');
    const trivialCode = path.join(work, 'trivial');
    await writeTrivialHandler(trivialCode);
    synthBenchApp(assembly, trivialCode);
    cloud = await startLocalCloudProcess({ assembly, quiet: true });
    const target: Target = {
      kind: 'local',
      region: cloud.endpoints.region,
      outputs: cloud.endpoints.outputs,
      cognitoEndpoint: undefined,
    };
    const apiUrl = `${output(target, 'bench', 'ApiUrl')}/`;
    const trivialUrl = new URL('trivial', apiUrl).toString();
    const healthUrl = new URL('health', apiUrl).toString();
    await probe(trivialUrl, HEALTH_BODY);
    await probe(healthUrl, HEALTH_BODY);
    const bare = await startBareServer(HEALTH_BODY);
    servers.push(bare);
    const dispatch = await startServer(workerDispatchServerSource(TRIVIAL_RESPONSE), '/trivial');
    servers.push(dispatch);
    await probe(dispatch.url, HEALTH_BODY);

    const rows: Row[] = [
      { name: 'bare node:http', url: bare.url, results: [] },
      { name: 'local cloud: trivial handler (target)', url: trivialUrl, results: [] },
      { name: 'local cloud: health (middy + Powertools)', url: healthUrl, results: [] },
      { name: 'reference: minimal worker-thread dispatch', url: dispatch.url, results: [] },
    ];
    // Warm-up: cold starts (one per worker) and JIT out of the figures.
    for (const r of rows) await measure(r.url, { seconds: 1, connections });
    for (let round = 0; round < rounds; round++) {
      for (const r of rows) r.results.push(await measure(r.url, { seconds, connections }));
      const rps = rows.map((r) => r.results.at(-1)?.rps.toFixed(0)).join(' / ');
      process.stdout.write(`  round ${round + 1}/${rounds}: ${rps} req/s\n`);
    }
    const [baseline, trivial, health, reference] = rows.map((r) => median(r.results)) as [
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    console.log(
      `\n${'target'.padEnd(NAME_WIDTH)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'ratio'.padStart(7)} ${'non-2xx'.padStart(9)}`,
    );
    rows.forEach((r, i) => {
      console.log(
        row(r.name, [baseline, trivial, health, reference][i] as Figures, i === 0 ? undefined : baseline),
      );
    });
    const ratio = trivial.rps / baseline.rps;
    console.log(
      `\nlocal cloud (trivial route) / bare = ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); ` +
        `a minimal worker-thread dispatch reaches ${(reference.rps / baseline.rps).toFixed(2)}× here`,
    );
  } finally {
    for (const server of servers) server.stop();
    await cloud?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
