/**
 * The benchmark's reference row: the least a Lambda emulator that runs handlers in worker threads does per
 * request — parse the request, build a small payload-2.0 event, hand it to an idle worker (structured
 * clone), let the handler answer, send its result back the same way, write the response. No routing,
 * authorizers, request ids, timeouts, logs or error handling; one worker per CPU core, one request at a
 * time each, and a FIFO queue, as many workers as the local cloud's runtime runs for a handler that never
 * waits (its `eagerWorkers` default). 1, 2 and 10 workers measured within a few percent of each other here.
 *
 * Nothing in the local cloud depends on this. It is there so `npm run bench` shows what the trivial route's
 * ratio is up against on the machine it runs on: with a `postMessage` to a worker per request, two
 * cross-thread messages, each waking a thread, are the floor. (The local cloud's runtime now has idle
 * workers take invocations from a shared-memory queue instead, which spares most of those wakes — see
 * packages/local-cloud/src/lambda/README.md — but still pays for the gateway and the runtime's bookkeeping.)
 */

import { availableParallelism } from 'node:os';

/** CommonJS source for `node -e`: a server on a free port that prints the port. */
export function workerDispatchServerSource(response: unknown, workers = availableParallelism()): string {
  return `
    const http = require('node:http');
    const { Worker } = require('node:worker_threads');
    const handlerSource = ${JSON.stringify(
      `const { parentPort } = require('node:worker_threads');
       const response = ${JSON.stringify(response)};
       const handler = async () => response;
       parentPort.on('message', async (event) => parentPort.postMessage({ ok: true, value: await handler(event) }));`,
    )};
    const idle = [];
    const queue = [];
    for (let i = 0; i < ${workers}; i++) {
      const worker = new Worker(handlerSource, { eval: true });
      let done;
      const slot = { run(event, callback) { done = callback; worker.postMessage(event); } };
      worker.on('message', (result) => {
        const callback = done;
        const next = queue.shift();
        if (next === undefined) idle.push(slot);
        else slot.run(next.event, next.callback);
        callback(result);
      });
      worker.unref();
      idle.push(slot);
    }
    const server = http.createServer((req, res) => {
      const headers = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      const now = Date.now();
      const event = {
        version: '2.0', routeKey: 'GET /trivial', rawPath: req.url, rawQueryString: '', headers,
        requestContext: {
          accountId: '123456789012', apiId: 'reference', domainName: 'reference.execute-api.us-east-1.amazonaws.com',
          domainPrefix: 'reference', http: { method: req.method, path: req.url, protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress, userAgent: headers['user-agent'] ?? '' }, requestId: String(now),
          routeKey: 'GET /trivial', stage: '$default', time: '01/Jan/2026:00:00:00 +0000', timeEpoch: now,
        },
        isBase64Encoded: false,
      };
      const callback = ({ value }) => {
        res.writeHead(value.statusCode, { ...value.headers, 'content-length': Buffer.byteLength(value.body) });
        res.end(value.body);
      };
      const slot = idle.pop();
      if (slot === undefined) queue.push({ event, callback });
      else slot.run(event, callback);
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
}
