/**
 * The local cloud's REST access log, read back per request: one JSON line per request with the id the
 * client saw in `x-amzn-RequestId`. It tells what a response cannot: whether the cache answered
 * (`cacheStatus`) and whether the integration or the authorizer ran (their latencies are `-` when not).
 * Local cloud only (the global setup copies the process's output to a file the test workers can read).
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
  authorizerLatency: string;
  authorizerError: string;
  integrationLatency: string;
  integrationStatus: string;
  /** `hit`, `miss`, or `-` when the method is not cached. */
  cacheStatus: string;
  errorResponseType: string;
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
    const line = text.split('\n').find((l) => l.includes(needle));
    // Lines may carry a prefix before the JSON object; parse from the first brace.
    if (line !== undefined) return JSON.parse(line.slice(line.indexOf('{'))) as AccessLogLine;
    if (Date.now() > deadline) throw new Error(`no access-log line for request ${requestId}`);
    await sleep(50);
  }
}
