/** The REST API (v1) gateway: public surface. */

export type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../invoker.js';
export { accessLogFormatError, compileRestAccessLogFormat, type RestAccessLogFormat } from './access-log.js';
export { checkRestApi, checkUsagePlans, type RestApiCheck } from './check.js';
export { RestApiConfigError, type RestApiGap } from './compile.js';
export type {
  ApiKeyConfig,
  AuthorizationType,
  GatewayResponseConfig,
  GatewayResponseType,
  JsonSchema,
  LambdaProxyIntegrationConfig,
  MethodSettingConfig,
  MockIntegrationConfig,
  MockIntegrationResponseConfig,
  OtherIntegrationConfig,
  QuotaSettings,
  RequestValidatorConfig,
  ResourcePolicyDocument,
  ResourcePolicyStatement,
  RestApiConfig,
  RestAuthorizerConfig,
  RestIntegrationConfig,
  RestMethodConfig,
  RestResourceConfig,
  RestStageConfig,
  ThrottleSettings,
  UnauthorizedCacheControlHeaderStrategy,
  UsagePlanApiStage,
  UsagePlanConfig,
} from './config.js';
export {
  type ManagementApi,
  type StartManagementApiOptions,
  startManagementApi,
} from './management-api.js';
export type { CacheStats } from './response-cache.js';
export {
  type RestApiEndpoint,
  type RestApiGateway,
  type RestApiStageEndpoint,
  type StartRestApiGatewayOptions,
  startRestApiGateway,
} from './server.js';
export type { ApiKeyDescription, UsagePlanReports } from './usage-plans.js';
