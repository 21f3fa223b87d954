import { afterEach, describe, expect, it } from 'vitest';
import { startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import { FrontDoor } from '../../src/gateway/listener.js';
import { startRestApiGateway } from '../../src/gateway/rest-api/index.js';
import { api, FakeInvoker, ok, route, send } from './helpers.js';
import { method, resource, restApi } from './rest-api/helpers.js';

const HTTP_ID = 'abc123def4';
const REST_ID = 'puhdx84jy9';
const reply = (who: string) => () => ok({ statusCode: 200, body: who });

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An HTTP API and a REST API behind one front door, as the local cloud runs them. */
async function bothGateways() {
  const invoker = new FakeInvoker().on('http-fn', reply('http')).on('rest-fn', reply('rest'));
  const door = await FrontDoor.start();
  closers.push(() => door.close());
  const http = await startHttpApiGateway({
    apis: [api({ routes: [route('GET /hello', 'http-fn')] })],
    invoker,
    frontDoor: door,
  });
  closers.push(() => http.close());
  const rest = await startRestApiGateway({
    apis: [restApi({ resources: [resource('/hello', method('GET', 'rest-fn'))] })],
    invoker,
    frontDoor: door,
  });
  closers.push(() => rest.close());
  return { door, http, rest };
}

describe('FrontDoor', () => {
  it('serves HTTP and REST APIs on one shared port, by Host, x-forwarded-host or x-apigw-api-id', async () => {
    const { door, http, rest } = await bothGateways();
    expect(http.url).toBe(door.url);
    expect(rest.url).toBe(door.url);
    const byHost = (id: string, path: string) =>
      send(`${door.url}${path}`, { headers: [['Host', `${id}.execute-api.localhost:${door.port}`]] });
    expect((await byHost(HTTP_ID, '/hello')).text).toBe('http');
    expect((await byHost(REST_ID, '/prod/hello')).text).toBe('rest');
    // The AWS host, as a function calling its API's real URL sends it through the worker rewrite.
    const forwarded = await send(`${door.url}/prod/hello`, {
      headers: [['x-forwarded-host', `${REST_ID}.execute-api.eu-west-1.amazonaws.com`]],
    });
    expect(forwarded.text).toBe('rest');
    const privateHeader = await send(`${door.url}/hello`, { headers: [['x-apigw-api-id', HTTP_ID]] });
    expect(privateHeader.text).toBe('http');
    expect(http.endpoint(HTTP_ID).hostUrl).toBe(`http://${HTTP_ID}.execute-api.localhost:${door.port}`);
    expect(rest.endpoint(REST_ID).stages[0]?.hostUrl).toBe(
      `http://${REST_ID}.execute-api.localhost:${door.port}/prod`,
    );
  });

  it('gives each API a dedicated port, where a Host naming another API still wins', async () => {
    const { http, rest } = await bothGateways();
    const httpUrl = http.endpoint(HTTP_ID).url;
    const restUrl = rest.endpoint(REST_ID).url;
    expect(httpUrl).not.toBe(restUrl);
    expect((await send(`${httpUrl}/hello`)).text).toBe('http');
    expect((await send(`${restUrl}/prod/hello`)).text).toBe('rest');
    const other = await send(`${httpUrl}/prod/hello`, {
      headers: [['Host', `${REST_ID}.execute-api.localhost`]],
    });
    expect(other.text).toBe('rest');
  });

  it('answers requests naming no API, or an unknown one, with unknownApi when several are mounted', async () => {
    const { door } = await bothGateways();
    expect((await send(`${door.url}/hello`)).status).toBe(404);
    const unknown = await send(`${door.url}/hello`, { headers: [['Host', 'zzz.execute-api.localhost']] });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ message: 'Not Found' });
  });

  it('routes the REST admin prefix on every listener, and one gateway closing leaves the other serving', async () => {
    const { door, http, rest } = await bothGateways();
    const stats = await send(`${door.url}/_local/restapis/${REST_ID}/stages/prod/cache/stats`);
    expect(stats.json()).toEqual({ hits: 0, misses: 0, entries: 0, bytes: 0, flushes: 0 });
    const viaHttpPort = await send(
      `${http.endpoint(HTTP_ID).url}/_local/restapis/${REST_ID}/stages/nope/cache/stats`,
    );
    expect(viaHttpPort.status).toBe(404);
    await rest.close();
    const gone = await send(`${door.url}/prod/hello`, {
      headers: [['Host', `${REST_ID}.execute-api.localhost`]],
    });
    expect(gone.status).toBe(404);
    // The REST admin prefix went with it; the sole API left now takes requests naming none.
    expect((await send(`${door.url}/hello`)).text).toBe('http');
  });

  it('a gateway without a front door opens and closes its own, with its own unknown-API answer', async () => {
    const invoker = new FakeInvoker();
    const rest = await startRestApiGateway({
      apis: [
        restApi({ resources: [resource('/hello', method('GET', 'rest-fn'))] }),
        restApi({ apiId: 'other12345', resources: [] }),
      ],
      invoker,
    });
    const unknown = await send(`${rest.url}/prod/hello`);
    expect(unknown.status).toBe(403);
    expect(unknown.json()).toEqual({ message: 'Forbidden' });
    await rest.close();
    await expect(send(`${rest.url}/prod/hello`)).rejects.toThrow();
  });
});
