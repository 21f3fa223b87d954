/**
 * `local-cloud flush-cache --api ID --stage NAME`: FlushStageCache on a running local cloud. It finds the
 * API and stage in the endpoints file the running `up` wrote and sends AWS's call to the local API Gateway
 * control plane (`DELETE {apiGateway.endpoint}/restapis/{id}/stages/{stage}/cache/data`, what
 * `aws apigateway flush-stage-cache` sends); an endpoints file without `apiGateway` (an older local cloud)
 * gets the stage's admin URL (`cacheFlushUrl`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EndpointsFile } from './cloud';

export const FLUSH_CACHE_HELP = `Usage: local-cloud flush-cache --api ID --stage NAME [--endpoints-file PATH]

Flushes a REST API stage's cache on a running local cloud (what FlushStageCache does on AWS).

Options:
  --api ID               the REST API: its id, its name or its logical id
  --stage NAME           the stage (default: the API's only stage)
  --endpoints-file PATH  the running local cloud's endpoints file (default .local-cloud/endpoints.json)
`;

/** Runs the command; returns the exit code. Messages go to `out` / `err`. */
export async function flushCache(
  args: readonly string[],
  cwd: string,
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  },
): Promise<number> {
  let values: { api?: string; stage?: string; 'endpoints-file'?: string; help?: boolean };
  try {
    values = parseArgs({
      args: [...args],
      options: {
        api: { type: 'string' },
        stage: { type: 'string' },
        'endpoints-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    io.err(`local-cloud flush-cache: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    io.out(FLUSH_CACHE_HELP);
    return 0;
  }
  if (values.api === undefined) {
    io.err('local-cloud flush-cache: --api is required');
    return 2;
  }
  const file = path.resolve(cwd, values['endpoints-file'] ?? path.join('.local-cloud', 'endpoints.json'));
  // `apiGateway` is absent from a file written by a local cloud older than the control plane.
  let endpoints: Omit<EndpointsFile, 'apiGateway'> & Partial<Pick<EndpointsFile, 'apiGateway'>>;
  try {
    endpoints = JSON.parse(await readFile(file, 'utf8')) as typeof endpoints;
  } catch {
    io.err(`local-cloud flush-cache: no endpoints file at ${file} — is the local cloud running?`);
    return 1;
  }
  const wanted = values.api;
  const api = endpoints.apis.find(
    (a) => a.kind === 'rest' && (a.apiId === wanted || a.name === wanted || a.logicalId === wanted),
  );
  if (api === undefined) {
    const known = endpoints.apis.filter((a) => a.kind === 'rest').map((a) => `${a.apiId} (${a.name})`);
    io.err(`local-cloud flush-cache: no REST API ${wanted}; served: ${known.join(', ') || 'none'}`);
    return 1;
  }
  const stage =
    values.stage === undefined && api.stages.length === 1
      ? api.stages[0]
      : api.stages.find((s) => s.name === values.stage);
  if (stage === undefined) {
    io.err(
      `local-cloud flush-cache: ${values.stage === undefined ? '--stage is required' : `no stage ${values.stage}`}; ` +
        `stages: ${api.stages.map((s) => s.name).join(', ')}`,
    );
    return 1;
  }
  if (stage.cacheFlushUrl === undefined) {
    io.err(`local-cloud flush-cache: stage ${stage.name} of ${api.name} has no cache cluster`);
    return 1;
  }
  const flushUrl =
    endpoints.apiGateway === undefined
      ? stage.cacheFlushUrl
      : `${endpoints.apiGateway.endpoint}/restapis/${encodeURIComponent(api.apiId)}/stages/${encodeURIComponent(stage.name)}/cache/data`;
  try {
    const response = await fetch(flushUrl, { method: 'DELETE' });
    if (response.status !== 202) {
      io.err(
        `local-cloud flush-cache: the local cloud answered ${response.status}: ${await response.text()}`,
      );
      return 1;
    }
  } catch (error) {
    io.err(`local-cloud flush-cache: cannot reach the local cloud (${(error as Error).message})`);
    return 1;
  }
  io.out(`flushed the cache of ${api.name} (${api.apiId}) stage ${stage.name}`);
  return 0;
}
