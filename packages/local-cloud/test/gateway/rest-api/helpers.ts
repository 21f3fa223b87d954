/**
 * Fixtures for the REST gateway tests: config builders, plus the invoker and raw HTTP client shared with
 * the HTTP API gateway tests (one home: `../helpers.ts`).
 */
import type {
  RestApiConfig,
  RestIntegrationConfig,
  RestMethodConfig,
  RestResourceConfig,
} from '../../../src/gateway/rest-api/index.js';

export {
  FakeInvoker,
  failed,
  headerNames,
  ok,
  type RawResponse,
  type RecordedCall,
  send,
} from '../helpers.js';

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
