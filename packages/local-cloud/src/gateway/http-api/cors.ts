/**
 * Gateway-managed CORS (`CorsConfiguration`). With CORS configured, API Gateway answers preflight
 * requests itself, adds the configured headers to responses for requests with an `Origin`, and drops any
 * `access-control-*` header the integration returned.
 *
 * When the gateway answers a preflight: an `OPTIONS` request with `Origin` and
 * `Access-Control-Request-Method` that no route matches. A matching route — an explicit `OPTIONS` route,
 * an `ANY` route or `$default` — takes the preflight like any request, authorizer included (developer
 * guide: "the $default route catches requests for all methods … including OPTIONS"; an `ANY` route with a
 * JWT authorizer failing preflights is a widely reported consequence).
 *
 * Unverified details, chosen here: the preflight answer is 204 with an empty body; `*` in `allowOrigins`
 * answers `*`, or echoes the origin when `allowCredentials` is true; a disallowed origin gets no CORS
 * headers and an unchanged status; methods and headers are the configured lists joined with `,`; the
 * headers are also added to the gateway's own error responses.
 */
import type { CorsConfig } from './config.js';
import { GatewayResponse, type HeaderValues } from './responses.js';

export class CorsPolicy {
  readonly #anyOrigin: boolean;
  readonly #origins: ReadonlySet<string>;
  readonly #credentials: boolean;
  readonly #exposeHeaders: string | undefined;
  readonly #preflightHeaders: Readonly<Record<string, string>>;

  constructor(config: CorsConfig) {
    const origins = config.allowOrigins ?? [];
    this.#anyOrigin = origins.includes('*');
    this.#origins = new Set(origins.map((o) => o.toLowerCase()));
    this.#credentials = config.allowCredentials === true;
    this.#exposeHeaders = config.exposeHeaders?.length ? config.exposeHeaders.join(',') : undefined;
    const preflight: Record<string, string> = {};
    if (config.allowMethods?.length)
      preflight['access-control-allow-methods'] = config.allowMethods.join(',');
    if (config.allowHeaders?.length)
      preflight['access-control-allow-headers'] = config.allowHeaders.join(',');
    if (config.maxAge !== undefined && config.maxAge >= 0) {
      preflight['access-control-max-age'] = String(config.maxAge);
    }
    this.#preflightHeaders = preflight;
  }

  /** The `access-control-allow-origin` value for `origin`, or undefined when it is not allowed. */
  #allowOrigin(origin: string): string | undefined {
    if (this.#anyOrigin) return this.#credentials ? origin : '*';
    return this.#origins.has(origin.toLowerCase()) ? origin : undefined;
  }

  static isPreflight(method: string, headers: Readonly<Record<string, string>>): boolean {
    return (
      method === 'OPTIONS' &&
      headers.origin !== undefined &&
      headers['access-control-request-method'] !== undefined
    );
  }

  preflight(origin: string): GatewayResponse {
    const headers: HeaderValues = {};
    const allowOrigin = this.#allowOrigin(origin);
    if (allowOrigin !== undefined) {
      headers['access-control-allow-origin'] = allowOrigin;
      if (this.#credentials) headers['access-control-allow-credentials'] = 'true';
      Object.assign(headers, this.#preflightHeaders);
    }
    return new GatewayResponse(204, headers, '', { corsFinal: true });
  }

  /** Replaces the response's CORS headers with the configured ones (in place). */
  apply(headers: HeaderValues, origin: string | undefined): void {
    for (const name of Object.keys(headers)) {
      if (name.length > 15 && name.toLowerCase().startsWith('access-control-')) delete headers[name];
    }
    if (origin === undefined) return;
    const allowOrigin = this.#allowOrigin(origin);
    if (allowOrigin === undefined) return;
    headers['access-control-allow-origin'] = allowOrigin;
    if (this.#credentials) headers['access-control-allow-credentials'] = 'true';
    if (this.#exposeHeaders !== undefined) headers['access-control-expose-headers'] = this.#exposeHeaders;
  }
}
