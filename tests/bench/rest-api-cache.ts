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
 * reverse order), medians, req/s and server CPU per request side by side (see ./measure.ts).
 * Knobs: BENCH_SECONDS (per round, default 4), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalCloudProcess, startLocalCloudProcess } from '../support/local-cloud-process';
import { output } from '../support/target';
import {
  type Figures,
  type MeasureTarget,
  measure,
  median,
  printTable,
  roundRatios,
  verdict,
} from './measure';
import {
  BENCH_AUTHORIZATION,
  BENCH_BODY,
  REST_BENCH_STACK,
  REST_BENCH_STAGE,
  synthRestBenchApp,
  writeRestBenchHandlers,
} from './rest-bench-app';
import { localCloudPid, type Server, startBareServer } from './servers';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_RATIO = 0.8;

interface Row extends MeasureTarget {
  readonly name: string;
  readonly headers: Record<string, string>;
  readonly results: Figures[];
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

async function main(): Promise<void> {
  console.log(
    `\nbench (REST cache): ${rounds} rounds × ${seconds} s per target, ${connections} connections, medians\n`,
  );
  const work = await mkdtemp(path.join(tmpdir(), 'bench-rest-'));
  let cloud: LocalCloudProcess | undefined;
  let bare: Server | undefined;
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
    bare = await startBareServer(BENCH_BODY, { urlPath: '/' });
    const cloudPid = localCloudPid(cloud.endpoints);

    const rows: Row[] = [
      { name: 'bare node:http', url: bare.url, pid: bare.pid, headers: {}, results: [] },
      { name: 'REST GET, cached (target)', url: route('cached'), pid: cloudPid, headers: {}, results: [] },
      { name: 'REST GET, uncached', url: route('uncached'), pid: cloudPid, headers: {}, results: [] },
      {
        name: 'REST GET, uncached + authorizer hit',
        url: route('authorized'),
        pid: cloudPid,
        headers: { authorization: BENCH_AUTHORIZATION },
        results: [],
      },
    ];
    for (const r of rows) await probe(r);
    // Warm-up: cold starts, the first cache miss and the first authorizer call out of the figures.
    for (const r of rows) await measure(r, { seconds: 1, connections });
    const hitsBefore = await cacheHits(cloud);
    let cachedRequests = 0;
    for (let round = 0; round < rounds; round++) {
      // Every other round in reverse: no row always runs right after the same one (after the authorizer
      // row, the local cloud's workers may still be busy while the next row is measured).
      for (const r of round % 2 === 0 ? rows : [...rows].reverse()) {
        const figures = await measure(r, { seconds, connections });
        r.results.push(figures);
        if (r === rows[1]) cachedRequests += figures.rps * seconds;
      }
      const rps = rows.map((r) => r.results.at(-1)?.rps.toFixed(0)).join(' / ');
      const cpu = rows.map((r) => r.results.at(-1)?.cpuUsPerRequest.toFixed(1)).join(' / ');
      process.stdout.write(`  round ${round + 1}/${rounds}: ${rps} req/s; ${cpu} µs CPU/req\n`);
    }
    const medians = rows.map((r) => ({ name: r.name, figures: median(r.results) }));
    printTable(medians);
    const [baseline, cached, uncached, authorized] = medians.map((m) => m.figures) as [
      Figures,
      Figures,
      Figures,
      Figures,
    ];

    const hitsAfter = await cacheHits(cloud);
    if (hitsBefore !== undefined && hitsAfter !== undefined) {
      console.log(
        `\ncache hits during the measured rounds: ${hitsAfter - hitsBefore} (≈ ${cachedRequests.toFixed(0)} cached-row requests)`,
      );
    }
    console.log(
      `${verdict('cached GET / bare', cached, baseline, TARGET_RATIO)}; ` +
        `cached / uncached = ${(cached.rps / uncached.rps).toFixed(2)}×`,
    );
    const [bareRow, cachedRow] = rows as [Row, Row];
    console.log(`cached / bare round by round: ${roundRatios(cachedRow.results, bareRow.results)}`);
    // With a fixed number of connections, server time per request ≈ 1 / throughput.
    const perRequestUs = (f: Figures) => 1e6 / f.rps;
    const signed = (us: number) => `${us >= 0 ? '+' : ''}${us.toFixed(1)} µs`;
    console.log(
      `authorizer cache hit: ${(authorized.rps / uncached.rps).toFixed(2)}× the uncached throughput, ` +
        `${signed(perRequestUs(authorized) - perRequestUs(uncached))} per request ` +
        `(${signed(authorized.cpuUsPerRequest - uncached.cpuUsPerRequest)} server CPU), ` +
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
