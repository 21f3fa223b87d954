/**
 * An open-loop load generator: each stream sends at a fixed rate whatever the answers are (unlike a
 * closed loop of N connections, which slows down with the server and hides throttling). Every answer is
 * kept, so a test can assert on each status and act on the acknowledged ones.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Stream<T> {
  readonly name: string;
  readonly ratePerSecond: number;
  /** Sends request number `i` (from 0) and resolves to what the test wants to keep of the answer. */
  send(i: number): Promise<T>;
}

export interface StreamOutcome<T> {
  readonly name: string;
  readonly sent: number;
  /** Requests per second actually started. */
  readonly achievedRate: number;
  readonly answers: T[];
  /** Requests that got no HTTP answer at all (connection refused, reset…), with the error text. */
  readonly failures: string[];
}

const TICK_MS = 5;

/** Runs every stream for `durationMs`, then waits for the requests still in flight. */
export async function runPaced<T>(
  streams: ReadonlyArray<Stream<T>>,
  durationMs: number,
): Promise<Array<StreamOutcome<T>>> {
  const state = streams.map((stream) => ({
    stream,
    sent: 0,
    answers: [] as T[],
    failures: [] as string[],
    inFlight: [] as Array<Promise<void>>,
  }));
  const start = performance.now();
  for (;;) {
    const elapsed = Math.min(performance.now() - start, durationMs);
    for (const s of state) {
      // Catch up to the schedule: a late tick sends what it owes, so the rate holds on a busy machine.
      const due = Math.floor((elapsed / 1000) * s.stream.ratePerSecond);
      while (s.sent < due) {
        const i = s.sent++;
        s.inFlight.push(
          s.stream.send(i).then(
            (answer) => void s.answers.push(answer),
            (error: unknown) => void s.failures.push(error instanceof Error ? error.message : String(error)),
          ),
        );
      }
    }
    if (elapsed >= durationMs) break;
    await sleep(TICK_MS);
  }
  const seconds = durationMs / 1000;
  await Promise.all(state.flatMap((s) => s.inFlight));
  return state.map((s) => ({
    name: s.stream.name,
    sent: s.sent,
    achievedRate: s.sent / seconds,
    answers: s.answers,
    failures: s.failures,
  }));
}

/** Counts of each distinct value, e.g. `{ '200': 412, '429': 3988 }`. */
export function tally(values: ReadonlyArray<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
