/** The HTTP API (v2) gateway: public surface. */

export type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../invoker.js';
export {
  compileHttpAccessLogFormat,
  type HttpAccessLogFormat,
  httpAccessLogFormatError,
} from './access-log.js';
export type {
  CorsConfig,
  HttpApiConfig,
  HttpAuthorizerConfig,
  HttpRouteConfig,
  HttpStageConfig,
  JwtAuthorizerConfig,
  LambdaAuthorizerConfig,
  LambdaProxyIntegration,
  RouteAuthorization,
  ThrottleSettings,
} from './config.js';
export { HttpApiConfigError } from './routes.js';
export {
  type HttpApiEndpoint,
  type HttpApiGateway,
  type HttpApiStageEndpoint,
  type StartHttpApiGatewayOptions,
  startHttpApiGateway,
} from './server.js';
