/**
 * The catalog REST API's gateway behaviour before any function runs: routing over the resource tree,
 * API keys on the consumer reads, CORS preflights answered by MOCK methods, gateway errors with CORS.
 * Texts per reference/apigw-behaviour.md (Appendix A 1–2, §2.3, §8.1).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { accessLogLine } from '../support/access-log';
import { CatalogClient, type GatewayMessage } from '../support/catalog-client';
import { catalogReader, catalogWriter, createdProductId } from '../support/catalog-setup';
import { catalogApiUrl } from '../support/catalog-target';

const target = inject('target');
const apiUrl = catalogApiUrl(target);
/** The web app's origin: the first of dev's allowed origins, the one the gateway responses name. */
const WEB_APP = 'http://localhost:5173';
const OTHER_ALLOWED = 'http://localhost:3000';

const anonymous = new CatalogClient(apiUrl);
let pro: CatalogClient;
let productId: string;

beforeAll(async () => {
  pro = catalogReader(target, 'pro');
  productId = await createdProductId(await catalogWriter(target));
});

describe('routing over the resource tree', () => {
  it('answers an unknown path and an unsupported method with 403 Missing Authentication Token', async () => {
    for (const [method, path] of [
      ['GET', '/no-such-resource'],
      ['GET', '/products/some-id/reviews'],
      ['PUT', '/products'],
      ['POST', '/health'],
    ] as const) {
      const answer = await pro.call<GatewayMessage>(method, path);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body).toEqual({ message: 'Missing Authentication Token' });
      expect(answer.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });

  it('serves the public health route without a key or a token', async () => {
    const answer = await anonymous.call('GET', '/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', service: 'catalog' });
    expect(answer.requestId).toMatch(/\S+/);
  });
});

describe('API keys on the consumer reads', () => {
  it('answers 403 Forbidden to a read without a key, naming no function (the gateway answers)', async () => {
    for (const read of [() => anonymous.get(productId), () => anonymous.list({ category: 'apparel' })]) {
      const answer = await read();
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ message: 'Forbidden' });
      if (target.local) expect((await accessLogLine(target, answer.requestId)).integrationLatency).toBe('-');
    }
  });

  it('answers 403 Forbidden to an unknown key, and 200 to a key of a plan', async () => {
    const unknown = anonymous.as({ apiKey: 'ThisKeyIsInNoUsagePlan0123456789' });
    const refused = await unknown.get(productId);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: 'Forbidden' });

    const served = await pro.get(productId);
    expect(served.status).toBe(200);
    expect(served.body.id).toBe(productId);
  });

  it('adds the CORS header of the DEFAULT_4XX gateway response to the gateway’s own errors', async () => {
    const answer = await anonymous.get(productId, { headers: { origin: WEB_APP } });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBe(WEB_APP);
  });
});

describe('CORS preflight (MOCK OPTIONS methods)', () => {
  it('answers a preflight from the web app without a key or a token', async () => {
    const answer = await anonymous.call('OPTIONS', '/products', {
      headers: {
        origin: WEB_APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(WEB_APP);
    expect(answer.headers.get('access-control-allow-methods')?.split(',')).toEqual(['GET', 'POST']);
    expect(answer.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['Authorization', 'Content-Type', 'If-Match', 'X-Api-Key']),
    );
    expect(answer.headers.get('access-control-max-age')).toBe('3600');
  });

  it('echoes the second allowed origin on the product resource (the template’s response override)', async () => {
    // CDK's template reads `$input.params().header.get("Origin")`: header names keep the client's casing
    // there, so this sends `Origin` as a browser does over HTTP/1.1 (fetch would send it lower-case).
    const answer = await rawRequest('OPTIONS', new URL(`products/${productId}`, apiUrl), {
      Origin: OTHER_ALLOWED,
      'Access-Control-Request-Method': 'PATCH',
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(OTHER_ALLOWED);
    expect(answer.headers['access-control-allow-methods']?.toString().split(',')).toEqual([
      'GET',
      'PATCH',
      'DELETE',
    ]);
  });
});

/** A request with header names exactly as given (node:http keeps their casing; fetch lower-cases them). */
function rawRequest(
  method: string,
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
