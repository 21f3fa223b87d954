/**
 * Load at a fixed rate with autocannon, keeping every answer (status and body) so a test can assert on
 * each one and act on the acknowledged ones.
 *
 * Why autocannon and not a loop of fetch calls: its connections stay open and busy for the whole run. A
 * fetch pool grows during a slow moment and then leaves sockets idle; on a starved machine the client
 * reuses one just as the server's keep-alive timeout (5 s) closes it, and the request dies with
 * `ECONNRESET` / `other side closed` — a client-side race that says nothing about the server.
 */
import autocannon from 'autocannon';

export interface LoadStream {
  readonly name: string;
  readonly url: string;
  readonly ratePerSecond: number;
  readonly connections: number;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  /** The body of request number `i` (from 0); none for GET. */
  readonly body?: (i: number) => string;
}

export interface LoadAnswer {
  readonly status: number;
  readonly body: string;
  /** The body of the request this answers (one request in flight per connection, so it is known). */
  readonly request: string | undefined;
}

export interface LoadOutcome {
  readonly name: string;
  readonly answers: LoadAnswer[];
  /** Answers per second over the run. */
  readonly achievedRate: number;
  /**
   * Request bodies prepared but never answered: in flight when the run ended (autocannon stops waiting
   * then). Their outcome is unknown to the client — as after any timeout.
   */
  readonly unanswered: string[];
  /** Connection errors (resets, refused) and timeouts: requests that got no HTTP answer. */
  readonly errors: number;
  readonly timeouts: number;
}

interface ConnectionContext {
  request?: string;
}

/** Runs every stream at once for `seconds`. */
export function runLoad(streams: readonly LoadStream[], seconds: number): Promise<LoadOutcome[]> {
  return Promise.all(
    streams.map(async (stream) => {
      const answers: LoadAnswer[] = [];
      const prepared = new Set<string>();
      let count = 0;
      const result = await autocannon({
        url: stream.url,
        connections: stream.connections,
        overallRate: stream.ratePerSecond,
        duration: seconds,
        requests: [
          {
            method: stream.method,
            headers: stream.headers,
            setupRequest: (req, context: ConnectionContext) => {
              const body = stream.body?.(count++);
              context.request = body;
              if (body !== undefined) prepared.add(body);
              return body === undefined ? req : { ...req, body };
            },
            onResponse: (status, body, context: ConnectionContext) => {
              answers.push({ status, body, request: context.request });
              if (context.request !== undefined) prepared.delete(context.request);
            },
          },
        ],
      });
      return {
        name: stream.name,
        answers,
        achievedRate: answers.length / seconds,
        unanswered: [...prepared],
        errors: result.errors,
        timeouts: result.timeouts,
      };
    }),
  );
}

/** Counts of each distinct value, e.g. `{ '200': 412, '429': 3988 }`. */
export function tally(values: ReadonlyArray<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
