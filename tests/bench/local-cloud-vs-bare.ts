/**
 * `npm run bench`: the local cloud's throughput and latency on a simple route (GET /health with the
 * notes service's real bundle — gateway, routing, event building, a Lambda worker, response mapping)
 * against a bare node:http server returning the same body, in one run on loopback. The route lives in
 * the benchmark's own small CDK app (./bench-app.ts), synthesized here.
 *
 * Both servers run in their own processes so neither competes with the load generator's event loop.
 * Knobs: BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalCloudProcess } from '../support/local-cloud-process';
import { output, type Target } from '../support/target';
import { synthBenchApp } from './bench-app';
import { type Figures, measure, median } from './measure';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_RATIO = 0.5;

/** A bare node:http server answering exactly what the health function answers. */
async function startBareServer(body: string): Promise<{ url: string; stop(): void }> {
  const source = `
    const http = require('node:http');
    const body = ${JSON.stringify(body)};
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/health`, stop: () => child.kill() };
}

async function run(name: string, url: string): Promise<Figures> {
  await measure(url, { seconds: 1, connections }); // warm-up: cold starts and JIT out of the figures
  const results: Figures[] = [];
  for (let round = 0; round < rounds; round++) results.push(await measure(url, { seconds, connections }));
  const figures = median(results);
  process.stdout.write(`  measured ${name}\n`);
  return figures;
}

function row(name: string, f: Figures, baseline?: Figures): string {
  const ratio = baseline ? `${(f.rps / baseline.rps).toFixed(2)}×` : '1.00×';
  return `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(8)} ${`${f.p50} ms`.padStart(8)} ${`${f.p99} ms`.padStart(8)} ${ratio.padStart(7)} ${String(f.non2xx + f.errors).padStart(9)}`;
}

async function main(): Promise<void> {
  console.log(`bench: ${rounds} rounds × ${seconds} s, ${connections} connections, medians\n`);
  const assembly = await mkdtemp(path.join(tmpdir(), 'bench-assembly-'));
  synthBenchApp(assembly);
  const cloud = await startLocalCloudProcess({ assembly, quiet: true });
  const target: Target = {
    kind: 'local',
    region: cloud.endpoints.region,
    outputs: cloud.endpoints.outputs,
    cognitoEndpoint: undefined,
  };
  const healthUrl = new URL('health', `${output(target, 'bench', 'ApiUrl')}/`).toString();
  const probe = await fetch(healthUrl);
  const body = await probe.text();
  if (probe.status !== 200) throw new Error(`GET /health answered ${probe.status}: ${body}`);
  const bare = await startBareServer(body);
  try {
    const bareFigures = await run('bare node:http', bare.url);
    const cloudFigures = await run('local cloud: HTTP API → Lambda', healthUrl);
    console.log(
      `\n${'target'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'ratio'.padStart(7)} ${'non-2xx'.padStart(9)}`,
    );
    console.log(row('bare node:http', bareFigures));
    console.log(row('local cloud: HTTP API → Lambda', cloudFigures, bareFigures));
    const ratio = cloudFigures.rps / bareFigures.rps;
    console.log(
      `\nlocal cloud / bare = ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
  } finally {
    bare.stop();
    await cloud.stop();
    await rm(assembly, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
