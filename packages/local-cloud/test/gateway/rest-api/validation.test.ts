import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RestApiGateway, startRestApiGateway } from '../../../src/gateway/rest-api/index.js';
import { API_ID, FakeInvoker, method, ok, resource, restApi, send } from './helpers.js';

const invoker = new FakeInvoker().on('fn', () => ok({ statusCode: 201, body: 'created' }));
let gateway: RestApiGateway;
let base: string;

const productModel = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Product',
  type: 'object',
  required: ['name', 'price'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 20 },
    price: { type: 'number', minimum: 0 },
    category: { $ref: 'https://apigateway.amazonaws.com/restapis/puhdx84jy9/models/Category' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
};

beforeAll(async () => {
  gateway = await startRestApiGateway({
    invoker,
    apis: [
      restApi({
        models: { Product: productModel, Category: { type: 'string', enum: ['books', 'games'] } },
        gatewayResponses: [
          {
            type: 'BAD_REQUEST_BODY',
            responseTemplates: {
              'application/json':
                '{"message":$context.error.messageString,"errors":"$context.error.validationErrorString"}',
            },
          },
        ],
        resources: [
          resource(
            '/issuers/{issuer}/products',
            method('GET', 'fn', {
              requestValidator: { validateRequestParameters: true },
              requestParameters: {
                'method.request.querystring.qs1': true,
                'method.request.header.x-header-param': true,
                'method.request.path.issuer': true,
                'method.request.querystring.optional': false,
              },
            }),
            method('POST', 'fn', {
              requestValidator: { validateRequestBody: true, validateRequestParameters: true },
              requestParameters: { 'method.request.header.x-tenant': true },
              requestModels: { 'application/json': 'Product' },
            }),
            method('PUT', 'fn', {
              // Parameters declared but only the body validated.
              requestValidator: { validateRequestBody: true },
              requestParameters: { 'method.request.header.x-tenant': true },
              requestModels: { 'application/json': 'Product' },
            }),
          ),
        ],
      }),
    ],
  });
  base = `${gateway.endpoint(API_ID).url}/prod/issuers/acme/products`;
});
afterAll(() => gateway.close());
beforeEach(() => invoker.reset());

describe('request validation', () => {
  it('answers 400 with the missing required parameters, in the recorded order', async () => {
    const response = await send(base);
    expect(response.status).toBe(400);
    expect(response.text).toBe('{"message":"Missing required request parameters: [x-header-param, qs1]"}');
    expect(response.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(invoker.calls).toHaveLength(0);
  });

  it('accepts present parameters (headers case-insensitive, an empty query value counts)', async () => {
    const response = await send(`${base}?qs1=`, { headers: [['X-Header-Param', 'v']] });
    expect(response.status).toBe(201);
    expect((await send(`${base}?QS1=x`, { headers: [['x-header-param', 'v']] })).text).toBe(
      '{"message":"Missing required request parameters: [qs1]"}',
    );
  });

  const post = (body: string, headers: Array<[string, string]> = [['Content-Type', 'application/json']]) =>
    send(base, { method: 'POST', headers: [['x-tenant', 't'], ...headers], body });

  it('checks parameters before the body', async () => {
    const response = await send(base, {
      method: 'POST',
      headers: [['Content-Type', 'application/json']],
      body: '{}',
    });
    expect(response.text).toBe('{"message":"Missing required request parameters: [x-tenant]"}');
  });

  it('answers 400 Invalid request body when the body does not match the model', async () => {
    const cases = [
      '{"name":"x"}',
      '{"name":"x","price":-1}',
      '{"name":"x","price":1,"colour":"red"}',
      '{"name":"x","price":"1"}',
      '{"name":"x","price":1,"category":"food"}',
      '{"name":"x","price":1,"tags":["a","a"]}',
      'not json',
      '',
    ];
    for (const body of cases) {
      const response = await post(body);
      expect(response.status, body).toBe(400);
      expect((response.json() as { message: string }).message).toBe('Invalid request body');
      expect(response.headers['x-amzn-errortype']).toBe('BadRequestException');
    }
    expect(invoker.calls).toHaveLength(0);
  });

  it('offers the schema errors as $context.error.validationErrorString', async () => {
    const response = await post('{"price":"1"}');
    expect(response.json()).toEqual({
      message: 'Invalid request body',
      errors:
        '[object has missing required properties (["name"]), instance type (string) does not match any allowed primitive type (allowed: ["number"])]',
    });
  });

  it('passes a valid body, and validates a request without Content-Type as application/json', async () => {
    expect((await post('{"name":"x","price":1.5,"category":"books","tags":["a","b"]}')).status).toBe(201);
    expect((await post('{"name":"x","price":1}', [])).status).toBe(201);
    expect((await post('{"name":"x"}', [])).status).toBe(400);
    // A content type without a model is not validated.
    expect((await post('<xml/>', [['Content-Type', 'application/xml']])).status).toBe(201);
  });

  it('only validates what the validator asks for', async () => {
    const response = await send(base, {
      method: 'PUT',
      headers: [['Content-Type', 'application/json']],
      body: '{"name":"x","price":2}',
    });
    expect(response.status).toBe(201);
  });

  it('rejects unknown models and invalid schemas at start', async () => {
    const start = (models: Record<string, Record<string, unknown>>, model = 'M') =>
      startRestApiGateway({
        invoker,
        apis: [
          restApi({
            models,
            resources: [
              resource(
                '/x',
                method('POST', 'fn', {
                  requestValidator: { validateRequestBody: true },
                  requestModels: { 'application/json': model },
                }),
              ),
            ],
          }),
        ],
      });
    await expect(start({}, 'Missing')).rejects.toThrow(/unknown model Missing/);
    await expect(start({ M: { type: 'string', pattern: '(' } })).rejects.toThrow(/not a valid regex/);
    await expect(start({ M: { $ref: '#/definitions/nope' } })).rejects.toThrow(/does not resolve/);
  });
});
