/**
 * `npm run bench` (second part): the local REST gateway's response cache against a bare node:http server
 * returning the same body, in one run on loopback, with the benchmark's own CDK app (./rest-bench-app.ts):
 *
 * - cached GET: every answer from the stage cache, no Lambda worker — the ≥ 0.8× bare target is this row;
 * - uncached GET: the same route shape with a worker round trip per request;
 * - authorizer cache hit: the uncached route behind a TOKEN authorizer with a cached result; its difference
 *   to the uncached row is what an authorizer cache hit costs per request.
 *
 * Like local-cloud-vs-bare.ts: each server in its own process, rounds interleaved (every other one in
 * reverse order), medians.
 * Knobs: BENCH_SECONDS (per round, default 4), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { type LocalCloudProcess, startLocalCloudProcess } from '../support/local-cloud-process';
import { output } from '../support/target';
import { type Figures, median } from './measure';
import {
  BENCH_AUTHORIZATION,
  BENCH_BODY,
  REST_BENCH_STACK,
  REST_BENCH_STAGE,
  synthRestBenchApp,
  writeRestBenchHandlers,
} from './rest-bench-app';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_RATIO = 0.8;

interface Row {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly results: Figures[];
}

/** measure.ts's measurement, with request headers (the authorizer row needs one). */
async function measure(row: Pick<Row, 'url' | 'headers'>, durationSeconds: number): Promise<Figures> {
  const result = await autocannon({
    url: row.url,
    headers: row.headers,
    connections,
    duration: durationSeconds,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** A bare node:http server in its own process, answering what the bench routes answer. */
async function startBareServer(): Promise<{ url: string; stop(): void }> {
  const source = `
    const http = require('node:http');
    const body = ${JSON.stringify(BENCH_BODY)};
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/`, stop: () => child.kill() };
}

/** Each row must answer 200 with exactly the bench body: every row measures the same response. */
async function probe(row: Row): Promise<void> {
  const response = await fetch(row.url, { headers: row.headers });
  const text = await response.text();
  if (response.status !== 200 || text !== BENCH_BODY) {
    throw new Error(`${row.name}: GET ${row.url} answered ${response.status} ${text}`);
  }
}

async function cacheHits(cloud: LocalCloudProcess): Promise<number | undefined> {
  const api = cloud.endpoints.apis?.find((a) => a.kind === 'rest' && a.stack === REST_BENCH_STACK);
  const statsUrl = api?.stages.find((s) => s.name === REST_BENCH_STAGE)?.cacheStatsUrl;
  if (statsUrl === undefined) return undefined;
  return ((await (await fetch(statsUrl)).json()) as { hits: number }).hits;
}

const NAME_WIDTH = 40;
const ms = (value: number) => `${value} ms`;

function line(name: string, f: Figures, bare: Figures): string {
  return `${name.padEnd(NAME_WIDTH)} ${f.rps.toFixed(0).padStart(8)} ${ms(f.p50).padStart(8)} ${ms(f.p99).padStart(8)} ${`${(f.rps / bare.rps).toFixed(2)}×`.padStart(7)} ${String(f.non2xx + f.errors).padStart(9)}`;
}

async function main(): Promise<void> {
  console.log(
    `\nbench (REST cache): ${rounds} rounds × ${seconds} s per target, ${connections} connections, medians\n`,
  );
  const work = await mkdtemp(path.join(tmpdir(), 'bench-rest-'));
  let cloud: LocalCloudProcess | undefined;
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  try {
    const assembly = path.join(work, 'cdk.out');
    const code = path.join(work, 'code');
    await writeRestBenchHandlers(code);
    synthRestBenchApp(assembly, code);
    cloud = await startLocalCloudProcess({ assembly, quiet: true });
    const apiUrl = output(
      {
        kind: 'local',
        region: cloud.endpoints.region,
        outputs: cloud.endpoints.outputs,
        cognitoEndpoint: undefined,
      },
      REST_BENCH_STACK,
      'ApiUrl',
    );
    const route = (name: string) => new URL(name, apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`).toString();
    bare = await startBareServer();

    const rows: Row[] = [
      { name: 'bare node:http', url: bare.url, headers: {}, results: [] },
      { name: 'REST GET, cached (target)', url: route('cached'), headers: {}, results: [] },
      { name: 'REST GET, uncached', url: route('uncached'), headers: {}, results: [] },
      {
        name: 'REST GET, uncached + authorizer hit',
        url: route('authorized'),
        headers: { authorization: BENCH_AUTHORIZATION },
        results: [],
      },
    ];
    for (const r of rows) await probe(r);
    // Warm-up: cold starts, the first cache miss and the first authorizer call out of the figures.
    for (const r of rows) await measure(r, 1);
    const hitsBefore = await cacheHits(cloud);
    let cachedRequests = 0;
    for (let round = 0; round < rounds; round++) {
      // Every other round in reverse: no row always runs right after the same one (after the authorizer
      // row, the local cloud's workers may still be busy while the next row is measured).
      for (const r of round % 2 === 0 ? rows : [...rows].reverse()) {
        const figures = await measure(r, seconds);
        r.results.push(figures);
        if (r === rows[1]) cachedRequests += figures.rps * seconds;
      }
      process.stdout.write(
        `  round ${round + 1}/${rounds}: ${rows.map((r) => r.results.at(-1)?.rps.toFixed(0)).join(' / ')} req/s\n`,
      );
    }
    const [baseline, cached, uncached, authorized] = rows.map((r) => median(r.results)) as [
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    console.log(
      `\n${'target'.padEnd(NAME_WIDTH)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'ratio'.padStart(7)} ${'non-2xx'.padStart(9)}`,
    );
    for (const [r, f] of [
      [rows[0], baseline],
      [rows[1], cached],
      [rows[2], uncached],
      [rows[3], authorized],
    ] as const) {
      console.log(line(r?.name ?? '', f, baseline));
    }

    const hitsAfter = await cacheHits(cloud);
    if (hitsBefore !== undefined && hitsAfter !== undefined) {
      console.log(
        `\ncache hits during the measured rounds: ${hitsAfter - hitsBefore} (≈ ${cachedRequests.toFixed(0)} cached-row requests)`,
      );
    }
    const ratio = cached.rps / baseline.rps;
    console.log(
      `cached GET / bare = ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}); ` +
        `cached / uncached = ${(cached.rps / uncached.rps).toFixed(2)}×`,
    );
    // With a fixed number of connections, server time per request ≈ 1 / throughput.
    const perRequestUs = (f: Figures) => 1e6 / f.rps;
    console.log(
      `authorizer cache hit: ${(authorized.rps / uncached.rps).toFixed(2)}× the uncached throughput, ` +
        `+${(perRequestUs(authorized) - perRequestUs(uncached)).toFixed(1)} µs per request, ` +
        `p50 ${uncached.p50} → ${authorized.p50} ms, p99 ${uncached.p99} → ${authorized.p99} ms`,
    );
  } finally {
    bare?.stop();
    await cloud?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
