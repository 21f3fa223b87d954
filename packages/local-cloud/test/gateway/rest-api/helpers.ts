/**
 * Fixtures for the REST gateway tests: a scripted Lambda invoker that records what it was sent, a raw HTTP
 * client (fetch cannot set `Host` or send repeated headers, and hides header casing), config builders.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../../../src/gateway/invoker.js';
import type {
  RestApiConfig,
  RestIntegrationConfig,
  RestMethodConfig,
  RestResourceConfig,
} from '../../../src/gateway/rest-api/index.js';

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

export const lambda = (
  functionName: string,
  extra: Partial<RestIntegrationConfig> = {},
): RestIntegrationConfig => ({ type: 'AWS_PROXY', functionName, ...extra }) as RestIntegrationConfig;

/** A method with a Lambda proxy integration and no authorization unless `extra` says otherwise. */
export const method = (
  httpMethod: string,
  functionName: string,
  extra: Partial<RestMethodConfig> = {},
): RestMethodConfig => ({ httpMethod, integration: lambda(functionName), ...extra });

export const resource = (path: string, ...methods: RestMethodConfig[]): RestResourceConfig => ({
  path,
  methods,
});

export const API_ID = 'puhdx84jy9';

export const restApi = (
  overrides: Partial<RestApiConfig> & Pick<RestApiConfig, 'resources'>,
): RestApiConfig => ({
  apiId: API_ID,
  name: 'catalog',
  region: 'eu-west-1',
  stages: [{ name: 'prod' }],
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
    if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['Host', target.host]);
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
