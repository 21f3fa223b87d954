import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApiGateway, startHttpApiGateway } from '../../src/gateway/http-api/index.js';
import { HttpApiConfigError, parseRouteKey, RouteTable } from '../../src/gateway/http-api/routes.js';
import { api, FakeInvoker, ok, route, send } from './helpers.js';

const table = (...keys: string[]) => {
  const t = new RouteTable<{ routeKey: string; template: ReturnType<typeof parseRouteKey> }>();
  for (const routeKey of keys) t.add({ routeKey, template: parseRouteKey(routeKey) });
  return t;
};

describe('route matching (developer guide worked example, §5.5)', () => {
  const routes = table(
    'GET /pets/dog/1',
    'GET /pets/dog/{id}',
    'GET /pets/{proxy+}',
    'ANY /{proxy+}',
    '$default',
  );
  const keyOf = (method: string, path: string) => routes.match(method, path)?.route.routeKey;

  it('prefers the static route, then {param}, then a greedy path, then ANY', () => {
    expect(keyOf('GET', '/pets/dog/1')).toBe('GET /pets/dog/1');
    expect(keyOf('GET', '/pets/dog/2')).toBe('GET /pets/dog/{id}');
    expect(keyOf('GET', '/pets/cat/1')).toBe('GET /pets/{proxy+}');
    expect(keyOf('POST', '/test/5')).toBe('ANY /{proxy+}');
  });

  it('extracts path parameters', () => {
    expect(routes.match('GET', '/pets/dog/2')?.pathParameters).toEqual({ id: '2' });
    expect(routes.match('GET', '/pets/cat/1/toys')?.pathParameters).toEqual({ proxy: 'cat/1/toys' });
    expect(routes.match('GET', '/pets/dog/1')?.pathParameters).toBeUndefined();
  });

  it('sends what nothing else matches to $default, and without $default nothing matches', () => {
    expect(keyOf('GET', '/')).toBe('$default');
    const noDefault = table('GET /pets', 'ANY /items/{id}');
    expect(noDefault.match('GET', '/pets/1')).toBeUndefined();
    expect(noDefault.match('POST', '/pets')).toBeUndefined();
    expect(noDefault.match('DELETE', '/items/7')?.route.routeKey).toBe('ANY /items/{id}');
    expect(noDefault.match('GET', '/items/')).toBeUndefined();
  });

  it('backtracks from a static branch that has no route for the method', () => {
    const t = table('GET /a/b', 'POST /a/{x}', 'PUT /{proxy+}');
    expect(t.match('POST', '/a/b')?.route.routeKey).toBe('POST /a/{x}');
    expect(t.match('PUT', '/a/b')?.route.routeKey).toBe('PUT /{proxy+}');
  });

  it('rejects malformed and duplicate route keys', () => {
    expect(() => parseRouteKey('GET pets')).toThrow(HttpApiConfigError);
    expect(() => parseRouteKey('GET /{proxy+}/x')).toThrow(HttpApiConfigError);
    expect(() => table('GET /a', 'GET /a')).toThrow(/duplicate route GET \/a/);
  });
});

describe('routing over HTTP', () => {
  const invoker = new FakeInvoker();
  for (const fn of ['dog1', 'dogId', 'pets', 'any', 'default', 'other']) {
    invoker.on(fn, () => ok({ statusCode: 200, body: fn }));
  }
  let gateway: HttpApiGateway;

  beforeAll(async () => {
    gateway = await startHttpApiGateway({
      invoker,
      apis: [
        api({
          routes: [
            route('GET /pets/dog/1', 'dog1'),
            route('GET /pets/dog/{id}', 'dogId'),
            route('GET /pets/{proxy+}', 'pets'),
            route('ANY /{proxy+}', 'any'),
            route('$default', 'default'),
          ],
          stages: [{ name: '$default' }, { name: 'dev', stageVariables: { table: 'dev-notes' } }],
        }),
        api({ apiId: 'zzz999', routes: [route('GET /only', 'other')], stages: [{ name: 'prod' }] }),
      ],
    });
  });
  afterAll(() => gateway.close());

  const base = () => gateway.endpoint('abc123def4').url;

  it('routes the worked example end to end', async () => {
    const bodies = await Promise.all(
      [
        ['GET', '/pets/dog/1'],
        ['GET', '/pets/dog/2'],
        ['GET', '/pets/cat/1'],
        ['POST', '/test/5'],
        ['GET', '/'],
      ].map(async ([method, path]) => (await fetch(`${base()}${path}`, { method })).text()),
    );
    expect(bodies).toEqual(['dog1', 'dogId', 'pets', 'any', 'default']);
  });

  it('puts a named stage in rawPath and http.path, routes without it, and passes stage variables', async () => {
    const response = await fetch(`${base()}/dev/pets/dog/7?x=1`);
    expect(await response.text()).toBe('dogId');
    const event = invoker.lastEvent('dogId') as {
      rawPath: string;
      routeKey: string;
      pathParameters: unknown;
      stageVariables: unknown;
      requestContext: { stage: string; http: { path: string } };
    };
    expect(event.rawPath).toBe('/dev/pets/dog/7');
    expect(event.requestContext.http.path).toBe('/dev/pets/dog/7');
    expect(event.requestContext.stage).toBe('dev');
    expect(event.routeKey).toBe('GET /pets/dog/{id}');
    expect(event.pathParameters).toEqual({ id: '7' });
    expect(event.stageVariables).toEqual({ table: 'dev-notes' });
  });

  it('answers 404 {"message":"Not Found"} with an apigw-requestid when no stage or route matches', async () => {
    const other = gateway.endpoint('zzz999').url;
    for (const url of [`${other}/only`, `${other}/prod/missing`, `${other}/prod`]) {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
      expect(await response.text()).toBe('{"message":"Not Found"}');
    }
    expect((await fetch(`${other}/prod/only`)).status).toBe(200);
  });

  it('selects the API by an execute-api Host on the shared listener, or by x-forwarded-host', async () => {
    const viaHost = await send(`${gateway.url}/prod/only`, {
      headers: [['Host', 'zzz999.execute-api.eu-west-1.amazonaws.com']],
    });
    expect(viaHost.text).toBe('other');
    const localhostName = await send(`${gateway.url}/pets/dog/1`, {
      headers: [['Host', 'abc123def4.execute-api.localhost:9999']],
    });
    expect(localhostName.text).toBe('dog1');
    const forwarded = await send(`${gateway.url}/prod/only`, {
      headers: [['X-Forwarded-Host', 'zzz999.execute-api.us-east-1.amazonaws.com']],
    });
    expect(forwarded.text).toBe('other');
    // The event looks like the call reached AWS: Host restored, no trace of the local rewrite.
    const headers = (invoker.lastEvent('other') as { headers: Record<string, string> }).headers;
    expect(headers.host).toBe('zzz999.execute-api.us-east-1.amazonaws.com');
    expect(headers['x-forwarded-host']).toBeUndefined();
    expect([headers['x-forwarded-proto'], headers['x-forwarded-port']]).toEqual(['https', '443']);
    // Two APIs: a request that names none, or an unknown one, finds nothing.
    expect((await send(`${gateway.url}/prod/only`)).status).toBe(404);
    const unknown = await send(`${gateway.url}/prod/only`, { headers: [['Host', 'nope.execute-api.x']] });
    expect(unknown.status).toBe(404);
  });

  it('reports base URLs per API and stage', () => {
    const endpoint = gateway.endpoint('abc123def4');
    expect(endpoint.awsUrl).toBe('https://abc123def4.execute-api.eu-west-1.amazonaws.com');
    expect(endpoint.stages.map((s) => s.stage)).toEqual(['$default', 'dev']);
    expect(endpoint.stages[1]?.url).toBe(`${endpoint.url}/dev`);
    expect(endpoint.stages[1]?.hostUrl).toMatch(/^http:\/\/abc123def4\.execute-api\.localhost:\d+\/dev$/);
    expect(() => gateway.endpoint('nope')).toThrow();
  });
});

describe('configuration errors', () => {
  const invoker = new FakeInvoker();
  const start = (config: Parameters<typeof api>[0]) => startHttpApiGateway({ invoker, apis: [api(config)] });

  it('fails loudly at start', async () => {
    await expect(
      start({ routes: [route('GET /a', 'f', { authorization: { type: 'CUSTOM', authorizerId: 'x' } })] }),
    ).rejects.toThrow(/unknown authorizer x/);
    await expect(start({ routes: [route('GET /a', 'f')], stages: [] })).rejects.toThrow(/at least one stage/);
    await expect(
      start({
        routes: [route('GET /a', 'f')],
        stages: [{ name: '$default', routeSettings: { 'GET /b': { burstLimit: 1 } } }],
      }),
    ).rejects.toThrow(/unknown route GET \/b/);
    await expect(
      start({
        routes: [
          route('GET /a', 'f', {
            integration: {
              type: 'AWS_PROXY',
              functionName: 'f',
              payloadFormatVersion: '2.0',
              timeoutMs: 60_000,
            },
          }),
        ],
      }),
    ).rejects.toThrow(/timeoutMs/);
  });
});
