/** The benchmarks' own servers, each in its own Node process (none competes with the load generator). */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface Server {
  readonly url: string;
  /** The server's process: measure() reads its CPU time. */
  readonly pid: number;
  stop(): void;
}

/** Runs `source` (CommonJS) in its own Node process; it prints the port it listens on. */
export async function startServer(source: string, urlPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  if (child.pid === undefined) throw new Error('the server process did not start');
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}${urlPath}`,
    pid: child.pid,
    stop: () => child.kill(),
  };
}

/**
 * A bare node:http server answering 200 with `body` (application/json) on any path; `headers` go between
 * content-type and content-length. `urlPath` is only the path of the returned url.
 */
export function startBareServer(
  body: string,
  options: { urlPath: string; headers?: Record<string, string> },
): Promise<Server> {
  return startServer(
    `
    const http = require('node:http');
    const body = ${JSON.stringify(body)};
    const headers = ${JSON.stringify(options.headers ?? {})};
    const server = http.createServer((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        ...headers,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`,
    options.urlPath,
  );
}

/** The local cloud's process id, from its endpoints file (`pid`, written by the process itself). */
export function localCloudPid(endpoints: object): number {
  const pid = (endpoints as { pid?: unknown }).pid;
  if (typeof pid !== 'number') throw new Error('the local cloud endpoints file has no pid');
  return pid;
}
