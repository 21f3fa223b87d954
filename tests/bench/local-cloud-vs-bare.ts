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
 * rows alike. Each row also gets the server process's CPU time per request (all threads: the local cloud's
 * Lambda workers are worker threads) and the ratio that implies — steadier than req/s on a shared 2-core
 * machine (see ./measure.ts). About a minute with the defaults.
 * Knobs: BENCH_SECONDS (per round, default 4), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloudProcess } from '../support/local-cloud-process';
import { output, type Target } from '../support/target';
import { HEALTH_BODY, synthBenchApp, TRIVIAL_RESPONSE, writeTrivialHandler } from './bench-app';
import {
  cpuRatio,
  type Figures,
  type MeasureTarget,
  measure,
  median,
  printTable,
  roundRatios,
  rpsRatio,
  verdict,
} from './measure';
import { localCloudPid, type Server, startBareServer, startServer } from './servers';
import { workerDispatchServerSource } from './worker-dispatch-server';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_RATIO = 0.5;

interface Row extends MeasureTarget {
  readonly name: string;
  readonly results: Figures[];
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
    const bare = await startBareServer(HEALTH_BODY, {
      urlPath: '/health',
      headers: { 'cache-control': 'no-store' },
    });
    servers.push(bare);
    const dispatch = await startServer(workerDispatchServerSource(TRIVIAL_RESPONSE), '/trivial');
    servers.push(dispatch);
    await probe(dispatch.url, HEALTH_BODY);

    const cloudPid = localCloudPid(cloud.endpoints);
    const rows: Row[] = [
      { name: 'bare node:http', url: bare.url, pid: bare.pid, results: [] },
      { name: 'local cloud: trivial handler (target)', url: trivialUrl, pid: cloudPid, results: [] },
      { name: 'local cloud: health (middy + Powertools)', url: healthUrl, pid: cloudPid, results: [] },
      {
        name: 'reference: minimal worker-thread dispatch',
        url: dispatch.url,
        pid: dispatch.pid,
        results: [],
      },
    ];
    // Warm-up: cold starts (one per worker) and JIT out of the figures.
    for (const r of rows) await measure(r, { seconds: 1, connections });
    for (let round = 0; round < rounds; round++) {
      for (const r of rows) r.results.push(await measure(r, { seconds, connections }));
      const rps = rows.map((r) => r.results.at(-1)?.rps.toFixed(0)).join(' / ');
      const cpu = rows.map((r) => r.results.at(-1)?.cpuUsPerRequest.toFixed(1)).join(' / ');
      process.stdout.write(`  round ${round + 1}/${rounds}: ${rps} req/s; ${cpu} µs CPU/req\n`);
    }
    const medians = rows.map((r) => ({ name: r.name, figures: median(r.results) }));
    printTable(medians);
    const [baseline, trivial, , reference] = medians.map((m) => m.figures) as [
      Figures,
      Figures,
      Figures,
      Figures,
    ];
    console.log(
      `\n${verdict('local cloud (trivial route) / bare', trivial, baseline, TARGET_RATIO)}; ` +
        `a minimal worker-thread dispatch reaches ${rpsRatio(reference, baseline).toFixed(2)}× req/s, ` +
        `${cpuRatio(reference, baseline).toFixed(2)}× by CPU here`,
    );
    const [bareRow, trivialRow] = rows as [Row, Row];
    console.log(`trivial / bare round by round: ${roundRatios(trivialRow.results, bareRow.results)}`);
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
