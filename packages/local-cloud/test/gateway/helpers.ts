/**
 * Test fixtures for both gateways: a scripted Lambda invoker that records what it was sent, a raw HTTP
 * client (fetch cannot set `Host` or send repeated headers, and hides header casing), and a JWT issuer
 * serving OIDC discovery and a JWKS. `rest-api/helpers.ts` re-exports the protocol-neutral ones.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { HttpApiConfig, HttpRouteConfig } from '../../src/gateway/http-api/index.js';
import type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../../src/gateway/invoker.js';

type Handler = (event: Record<string, unknown>) => InvokeOutcome | Promise<InvokeOutcome>;

export interface RecordedCall {
  readonly functionName: string;
  readonly event: Record<string, unknown>;
  readonly opts: InvokeOptions;
}

export const ok = (result: unknown): InvokeOutcome => ({ ok: true, result });
export const failed = (
  kind: 'timeout' | 'crash' | 'error' | 'throttled',
  errorType: string,
  errorMessage = 'failed',
): InvokeOutcome => ({ ok: false, kind, errorType, errorMessage });

/** Answers per function name; unknown functions fail like a missing function would. */
export class FakeInvoker implements LambdaInvoker {
  readonly calls: RecordedCall[] = [];
  readonly #handlers = new Map<string, Handler>();

  on(functionName: string, handler: Handler): this {
    this.#handlers.set(functionName, handler);
    return this;
  }

  async invoke(functionName: string, event: unknown, opts: InvokeOptions): Promise<InvokeOutcome> {
    // The real runtime structured-clones events into a worker; a JSON round trip is as strict.
    const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    this.calls.push({ functionName, event: copy, opts });
    const handler = this.#handlers.get(functionName);
    if (handler === undefined)
      return failed('error', 'ResourceNotFoundException', `no function ${functionName}`);
    return handler(copy);
  }

  callsTo(functionName: string): RecordedCall[] {
    return this.calls.filter((c) => c.functionName === functionName);
  }

  /** The event of the only call to `functionName`. */
  lastEvent(functionName: string): Record<string, unknown> {
    const calls = this.callsTo(functionName);
    const last = calls[calls.length - 1];
    if (last === undefined) throw new Error(`${functionName} was not invoked`);
    return last.event;
  }

  reset(): void {
    this.calls.length = 0;
  }
}

/** A route to a 2.0 Lambda proxy integration with no authorization. */
export const route = (
  routeKey: string,
  functionName: string,
  extra: Partial<HttpRouteConfig> = {},
): HttpRouteConfig => ({
  routeKey,
  integration: { type: 'AWS_PROXY', functionName, payloadFormatVersion: '2.0' },
  ...extra,
});

export const api = (overrides: Partial<HttpApiConfig> & Pick<HttpApiConfig, 'routes'>): HttpApiConfig => ({
  apiId: 'abc123def4',
  name: 'notes',
  region: 'eu-west-1',
  stages: [{ name: '$default' }],
  ...overrides,
});

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Header lines as sent, casing kept. */
  readonly rawHeaders: string[];
  readonly body: Buffer;
  readonly text: string;
  json(): unknown;
  /** All values of a header line (case-insensitive name), in order. */
  header(name: string): string[];
}

/** A request with full control over headers: repeats (`[name, value]` pairs), `Host`. */
export function send(
  url: string,
  options: { method?: string; headers?: Array<[string, string]>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const headers = [...(options.headers ?? [])];
    // With raw (array) headers Node adds no Host; HTTP/1.1 servers reject a request without one.
    if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['Host', target.host]);
    // A declared length, as browsers and SDKs send it (raw headers would otherwise stream it chunked).
    if (options.body !== undefined && !headers.some(([name]) => name.toLowerCase() === 'content-length')) {
      headers.push(['Content-Length', String(Buffer.byteLength(options.body))]);
    }
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: headers.flat(),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          const rawHeaders = res.rawHeaders;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders,
            body,
            text,
            json: () => JSON.parse(text),
            header: (name) => {
              const values: string[] = [];
              for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
                if ((rawHeaders[i] as string).toLowerCase() === name.toLowerCase())
                  values.push(rawHeaders[i + 1] as string);
              }
              return values;
            },
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Header names exactly as sent (casing kept). */
export const headerNames = (response: RawResponse): string[] =>
  response.rawHeaders.filter((_, i) => i % 2 === 0);

export interface TestIssuer {
  /** The issuer URL, e.g. `http://127.0.0.1:4567/pool`. */
  readonly issuer: string;
  readonly kid: string;
  /** Requests the issuer served, by path. */
  readonly hits: string[];
  sign(claims: JWTPayload, options?: { kid?: string; alg?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * An RSA-signing issuer. With `discovery`, it serves `/.well-known/openid-configuration` pointing at
 * `/keys`; without, only `/.well-known/jwks.json` (the fallback API Gateway also tries).
 */
export async function startIssuer(options: { discovery: boolean }): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = 'test-key-1';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const hits: string[] = [];
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const json = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (options.discovery && path === '/pool/.well-known/openid-configuration') {
      json(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (options.discovery && path === '/pool/keys') {
      json(jwks);
    } else if (!options.discovery && path === '/pool/.well-known/jwks.json') {
      json(jwks);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  return {
    issuer,
    kid,
    hits,
    sign: (claims, signOptions = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: signOptions.alg ?? 'RS256', kid: signOptions.kid ?? kid })
        .sign(privateKey),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
