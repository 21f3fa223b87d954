import { isIP } from 'node:net';
import type { Fetcher } from 'aws-jwt-verify/https';
import { JwksUnavailableError } from '../errors';

/**
 * JWKS fetcher for aws-jwt-verify's `SimpleJwksCache`, built on the global `fetch`.
 *
 * Why not the library's default fetcher: it only speaks `https:`, and the local cloud serves its Cognito
 * look-alike's JWKS at `http://127.0.0.1:<port>/<poolId>/.well-known/jwks.json`.
 *
 * Why `http:` only for loopback hosts: whoever can answer the JWKS request chooses the keys we trust, i.e.
 * can mint any token. Plain http over a network lets anyone on the path do that; a loopback address never
 * leaves the machine, so the only party that can answer is a process on the same host — which could read
 * our memory anyway. Everything else must be `https:` (Cognito's issuer always is), redirects are refused
 * (no https → http downgrade), and the body is capped like API Gateway's own JWKS fetch (1500 ms, 150000 B).
 */

export const JWKS_TIMEOUT_MS = 1500;
export const JWKS_MAX_BYTES = 150_000;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/** Throws (plain `Error` with a reason) unless `uri` is https, or http to a loopback host. */
export function assertFetchableUrl(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error('not an absolute URL');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new Error('must be https (http is accepted for loopback hosts only)');
}

export interface FetchJwksFetcherOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** For tests; defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}

async function readCapped(response: Response, maxBytes: number): Promise<ArrayBuffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    throw new JwksUnavailableError('jwks_unavailable', `JWKS response larger than ${maxBytes} bytes`);
  }
  const body = response.body;
  if (!body) return new ArrayBuffer(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new JwksUnavailableError('jwks_unavailable', `JWKS response larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined.buffer;
}

export function createFetchJwksFetcher(options: FetchJwksFetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? JWKS_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? JWKS_MAX_BYTES;
  const doFetch = options.fetch ?? globalThis.fetch;

  async function once(uri: string): Promise<ArrayBuffer> {
    const response = await doFetch(uri, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new JwksUnavailableError('jwks_unavailable', `JWKS endpoint answered ${response.status}`);
    }
    return readCapped(response, maxBytes);
  }

  return {
    async fetch(uri: string): Promise<ArrayBuffer> {
      try {
        assertFetchableUrl(uri);
      } catch (error) {
        throw new JwksUnavailableError('jwks_unavailable', `JWKS URI refused: ${(error as Error).message}`);
      }
      try {
        return await once(uri);
      } catch (error) {
        // A definite answer (status, size) is not retried; a network blip or timeout is, once, at once
        // (the same policy as aws-jwt-verify's SimpleFetcher).
        if (error instanceof JwksUnavailableError) throw error;
        try {
          return await once(uri);
        } catch (retryError) {
          if (retryError instanceof JwksUnavailableError) throw retryError;
          const name = retryError instanceof Error ? retryError.name : 'Error';
          throw new JwksUnavailableError('jwks_unavailable', `JWKS fetch failed (${name})`);
        }
      }
    },
  };
}
