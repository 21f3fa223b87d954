/**
 * A tiny typed client for the catalog REST API, so tests read as scenarios rather than fetch plumbing.
 * Reads send the consumer's `x-api-key`; writes send `Authorization: Bearer <access token>`.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, type RequestOptions, send } from './http';

export type { Answer } from './http';

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: 'EUR' | 'GBP' | 'USD';
  stock?: number;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ProductPage {
  category: string;
  items: Product[];
  nextCursor: string | null;
}

/** The body API Gateway answers its own errors with (`{"message": …}`). */
export interface GatewayMessage {
  message: string | null;
}

export interface CatalogAuth {
  /** API key value (`x-api-key`), for the reads. */
  apiKey?: string;
  /** Cognito access token, for the writes. */
  token?: string;
}

export interface CatalogClientOptions {
  /**
   * Wait and retry a 429 `Too Many Requests`, as a well-behaved client does (default true). Test files run
   * in parallel and share the stage's write throttle and the pro key's bucket; only the tests about
   * throttling turn this off, to see every 429. A quota 429 (`Limit Exceeded`) is never retried.
   */
  retryThrottled?: boolean;
}

const THROTTLE_RETRIES = 8;

export class CatalogClient {
  constructor(
    private readonly apiUrl: string,
    private readonly auth: CatalogAuth = {},
    private readonly options: CatalogClientOptions = {},
  ) {}

  /** The same API as someone else: other key, other token, or none. */
  as(auth: CatalogAuth): CatalogClient {
    return new CatalogClient(this.apiUrl, auth, this.options);
  }

  async call<T = unknown>(method: string, path: string, init: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (this.auth.apiKey !== undefined) headers['x-api-key'] = this.auth.apiKey;
    if (this.auth.token !== undefined) headers.authorization = `Bearer ${this.auth.token}`;
    for (let attempt = 1; ; attempt++) {
      const answer = await send<T>(this.apiUrl, method, path, headers, init);
      const throttled =
        answer.status === 429 && (answer.body as GatewayMessage | undefined)?.message === 'Too Many Requests';
      if (!throttled || this.options.retryThrottled === false || attempt > THROTTLE_RETRIES) return answer;
      await sleep(100 * attempt);
    }
  }

  list(query: Record<string, string | number>, headers?: Record<string, string>) {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return this.call<ProductPage>('GET', `/products?${search}`, headers ? { headers } : {});
  }
  get(id: string, init: { query?: string; headers?: Record<string, string> } = {}) {
    return this.call<Product>('GET', `/products/${id}${init.query ?? ''}`, { headers: init.headers ?? {} });
  }
  create(input: unknown) {
    return this.call<Product>('POST', '/products', { body: input });
  }
  update(id: string, changes: unknown, ifMatch: string) {
    return this.call<Product>('PATCH', `/products/${id}`, {
      body: changes,
      headers: { 'if-match': ifMatch },
    });
  }
  remove(id: string) {
    return this.call('DELETE', `/products/${id}`);
  }
}

/** A category of its own (`e2e-3f9a…`): listings and cache entries no other test touches. */
export function uniqueCategory(): string {
  return `e2e-${randomUUID().slice(0, 8)}`;
}

/** A valid `POST /products` body with a fresh SKU (the SKU decides the id: a new SKU is a new product). */
export function newProductInput(category: string, overrides: Record<string, unknown> = {}) {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  return {
    sku: `E2E-${suffix}`,
    name: `Test product ${suffix}`,
    category,
    priceCents: 1999,
    currency: 'EUR',
    ...overrides,
  };
}
