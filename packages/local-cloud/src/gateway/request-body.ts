/**
 * API Gateway's 10 MB request body limit (§5.3), for both gateways: reading a body up to the limit, the
 * 413's text (§2.4 REQUEST_TOO_LARGE, as recorded from the edge), and ending the 413 only once the client
 * has finished uploading. Each gateway wraps the text in its own response type (`http-api/responses.ts`,
 * `rest-api/http-response.ts`) and calls {@link endAfterRequestBody} from its `send`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** API Gateway's payload limit (§5.3), in bytes. */
export const REQUEST_BODY_LIMIT = 10 * 1024 * 1024;

/** The 413's body and content type for a payload over the limit (§2.4, recorded on a REST API). */
export const PAYLOAD_TOO_LARGE_TEXT = `HTTP content length exceeded ${REQUEST_BODY_LIMIT} bytes.`;
export const PAYLOAD_TOO_LARGE_CONTENT_TYPE = 'text; charset=utf-8';

/**
 * The whole body, or undefined once it passes the limit. Then the request is left paused, the rest unread:
 * the gateway answers 413 and {@link endAfterRequestBody} reads and discards it.
 */
export function readRequestBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > REQUEST_BODY_LIMIT) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** At most this much of a refused body is read and discarded after the 413, then the socket is destroyed. */
const DISCARD_LIMIT_BYTES = 2 * REQUEST_BODY_LIMIT;
/** … and for at most this long. */
const DISCARD_LIMIT_MS = 5_000;

/**
 * Ends a response already written (the 413) once the request body has arrived, reading and discarding it.
 * Closing the socket while the client is still uploading makes its kernel answer the next bytes with a reset,
 * and a client still writing (Node's `fetch`) fails with EPIPE / ECONNRESET instead of reading the 413 that
 * was sent; so the connection closes only after the upload ends. Bounded: past {@link DISCARD_LIMIT_BYTES}
 * discarded, or after {@link DISCARD_LIMIT_MS}, the socket is destroyed.
 */
export function endAfterRequestBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.destroyed) {
    res.end();
    return;
  }
  let discarded = 0;
  let done = false;
  const stop = (destroy: boolean): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onEnd);
    res.end();
    if (destroy) req.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) stop(true);
  };
  const onEnd = (): void => stop(false);
  const timer = setTimeout(() => stop(true), DISCARD_LIMIT_MS);
  timer.unref();
  req.on('data', onData);
  req.once('end', onEnd);
  req.once('close', onEnd);
  req.resume();
}
