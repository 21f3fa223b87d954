/**
 * The local cloud's REST access log, read back per request: one JSON line per request with the id the
 * client saw in `x-amzn-RequestId`. It tells what a response cannot: whether the cache answered
 * (`cacheStatus`) and whether the integration or the authorizer ran (their latencies are `-` when not).
 * The line has the catalog stage's declared format (infra's `ACCESS_LOG_FORMATS.rest`) plus the keys the
 * local gateway adds to a JSON format, `cacheStatus` and `detail`; a local cloud that does not render the
 * declared format writes its own line, which has the same keys. Local cloud only (the global setup copies
 * the process's output to a file the test workers can read).
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Target } from './target';

/** The fields of a REST access-log line the tests look at; every value is a string, `-` when unset. */
export interface AccessLogLine {
  requestId: string;
  status: string;
  httpMethod: string;
  resourcePath: string;
  apiKeyId: string;
  /** `$context.authorizer.latency`: `-` when no authorizer ran. */
  authorizerLatency: string;
  authorizerError: string;
  /** `$context.integrationLatency`: `-` when no function ran. */
  integrationLatency: string;
  /** `$context.integration.status`: the function's status, `-` when it did not run. */
  integrationStatus: string;
  errorMessage: string;
  /** Local only: `hit`, `miss`, or `-` when the method is not cached. */
  cacheStatus: string;
  /** Local only: why the gateway answered itself. */
  detail: string;
}

/** The access-log line of `requestId`; the line is written after the response, so this waits a little. */
export async function accessLogLine(
  target: Target,
  requestId: string | null,
  timeoutMs = 3_000,
): Promise<AccessLogLine> {
  if (!target.local) throw new Error('the access log is read from the local cloud only');
  if (!requestId) throw new Error('the response had no x-amzn-RequestId');
  const needle = `"requestId":"${requestId}"`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(target.local.outputFile, 'utf8');
    for (const line of text.split('\n')) {
      if (!line.includes(needle)) continue;
      // Function logs mention the id too (the event's requestContext): the access-log line has it at the
      // top level, next to `cacheStatus`. Lines carry a `[source]` prefix before the JSON object.
      const entry = parseObject(line.slice(line.indexOf('{')));
      if (entry?.requestId === requestId && 'cacheStatus' in entry) return entry as unknown as AccessLogLine;
    }
    if (Date.now() > deadline) throw new Error(`no access-log line for request ${requestId}`);
    await sleep(50);
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
