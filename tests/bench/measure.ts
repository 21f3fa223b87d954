/**
 * One autocannon measurement, summarised, and the table both benchmarks print.
 *
 * Every figure carries the server's CPU time per request next to its throughput. Why: the load generator
 * (autocannon, in the bench process) and the servers share the machine's 2 cores, so req/s also measures
 * how the cores were shared at that moment — steal from other VMs, frequency changes, the load generator
 * itself; the same bare server swings 2× between rounds. The CPU time the server process spent per request
 * moves much less: it is what the request costs the server, whoever else wanted the cores. "CPU ratio" =
 * bare µs/req ÷ row µs/req: the throughput ratio the row would reach if the server were the only limit.
 * The targets are throughput ratios, so the req/s verdict stays the verdict; the CPU one is a steadier
 * second opinion.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU time (user + system, all threads) per completed request, in µs. */
  cpuUsPerRequest: number;
}

export interface MeasureTarget {
  url: string;
  headers?: Record<string, string>;
  /** The process serving `url`: its CPU time is read before and after the run. */
  pid: number;
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** CPU time the process has used so far (utime + stime, fields 14 and 15: all its threads), in µs. */
function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (the command name, in parentheses) may contain spaces: count from after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6;
}

export async function measure(
  target: MeasureTarget,
  options: { seconds: number; connections: number },
): Promise<Figures> {
  const cpuBefore = processCpuUs(target.pid);
  const result = await autocannon({
    url: target.url,
    headers: target.headers ?? {},
    connections: options.connections,
    duration: options.seconds,
  });
  const cpuAfter = processCpuUs(target.pid);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuUsPerRequest: result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : Number.NaN,
  };
}

/** Medians per figure over rounds: one noisy round on a shared 2-core machine does not decide. */
export function median(rounds: Figures[]): Figures {
  const mid = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  return {
    rps: mid(rounds.map((r) => r.rps)),
    p50: mid(rounds.map((r) => r.p50)),
    p99: mid(rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    cpuUsPerRequest: mid(rounds.map((r) => r.cpuUsPerRequest)),
  };
}

/** Throughput ratio to `baseline`. */
export const rpsRatio = (f: Figures, baseline: Figures) => f.rps / baseline.rps;
/** Baseline CPU per request ÷ this row's: the throughput ratio if the server were the only limit. */
export const cpuRatio = (f: Figures, baseline: Figures) => baseline.cpuUsPerRequest / f.cpuUsPerRequest;

/** Prints the table of medians; the first row is the baseline the ratios refer to. */
export function printTable(rows: ReadonlyArray<{ name: string; figures: Figures }>): void {
  const baseline = rows[0]?.figures;
  if (baseline === undefined) return;
  const nameWidth = Math.max(...rows.map((r) => r.name.length), 'target'.length);
  const columns = (cells: string[]) =>
    [cells[0]?.padEnd(nameWidth), ...cells.slice(1).map((cell, i) => cell.padStart(WIDTHS[i] ?? 0))].join(
      ' ',
    );
  console.log(
    `\n${columns(['target', 'req/s', 'p50', 'p99', 'ratio', 'CPU µs/req', 'CPU ratio', 'non-2xx'])}`,
  );
  for (const { name, figures: f } of rows) {
    console.log(
      columns([
        name,
        f.rps.toFixed(0),
        `${f.p50} ms`,
        `${f.p99} ms`,
        `${rpsRatio(f, baseline).toFixed(2)}×`,
        f.cpuUsPerRequest.toFixed(1),
        `${cpuRatio(f, baseline).toFixed(2)}×`,
        String(f.non2xx + f.errors),
      ]),
    );
  }
}
const WIDTHS = [8, 8, 8, 7, 10, 9, 9];

/**
 * The row's req/s ÷ the baseline's, round by round (`0.58 / 0.46 / 0.35`): rounds are interleaved, so each
 * pair ran under the same conditions, and the spread shows how much the machine moved the verdict.
 */
export function roundRatios(row: readonly Figures[], baseline: readonly Figures[]): string {
  return row.map((f, i) => (f.rps / (baseline[i]?.rps ?? Number.NaN)).toFixed(2)).join(' / ');
}

/** E.g. `cached GET / bare = 0.97× req/s, 0.79× by server CPU (target ≥ 0.8×: met by req/s, NOT met by CPU)`. */
export function verdict(label: string, f: Figures, baseline: Figures, target: number): string {
  const byRps = rpsRatio(f, baseline);
  const byCpu = cpuRatio(f, baseline);
  const met = (ratio: number) => (ratio >= target ? 'met' : 'NOT met');
  return (
    `${label} = ${byRps.toFixed(2)}× req/s, ${byCpu.toFixed(2)}× by server CPU ` +
    `(target ≥ ${target}×: ${met(byRps)} by req/s, ${met(byCpu)} by CPU)`
  );
}
