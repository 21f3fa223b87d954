/**
 * One access-log line per request in the shape of a REST API JSON access log: the console's default
 * fields (`requestId`, `ip`, `caller`, `user`, `requestTime`, `httpMethod`, `resourcePath`, `status`,
 * `protocol`, `responseLength`) plus diagnostics a developer needs locally (`$context.error.*`, the
 * authorizer, the integration, the API key id, whether the cache answered). Every value is a string and an
 * unset variable is `"-"`, as with a `$context`-based format. Tokens, key values and bodies are never logged.
 */
import { formatClfTime } from '../clf-time.js';

export class AccessLogEntry {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly timeEpoch: number;
  ip = '-';
  httpMethod = '-';
  path = '-';
  protocol = '-';
  apiId = '-';
  stage = '-';
  resourcePath = '-';
  apiKeyId = '-';
  authorizerLatency = '-';
  authorizerError = '-';
  authorizerPrincipalId = '-';
  integrationLatency = '-';
  integrationStatus = '-';
  integrationErrorMessage = '-';
  /** `hit`, `miss` or `-` (method not cached). */
  cacheStatus = '-';
  /** Why the gateway answered as it did, when it answered itself. */
  detail = '-';

  constructor(requestId: string, extendedRequestId: string, timeEpoch: number) {
    this.requestId = requestId;
    this.extendedRequestId = extendedRequestId;
    this.timeEpoch = timeEpoch;
  }

  format(
    status: number,
    responseLength: number,
    error: { readonly message: string | null; readonly responseType: string } | undefined,
  ): string {
    return JSON.stringify({
      requestId: this.requestId,
      extendedRequestId: this.extendedRequestId,
      ip: this.ip,
      caller: '-',
      user: '-',
      requestTime: formatClfTime(this.timeEpoch),
      httpMethod: this.httpMethod,
      resourcePath: this.resourcePath,
      status: String(status),
      protocol: this.protocol,
      responseLength: String(responseLength),
      path: this.path,
      apiId: this.apiId,
      stage: this.stage,
      apiKeyId: this.apiKeyId,
      authorizerPrincipalId: this.authorizerPrincipalId,
      authorizerLatency: this.authorizerLatency,
      authorizerError: this.authorizerError,
      integrationLatency: this.integrationLatency,
      integrationStatus: this.integrationStatus,
      integrationErrorMessage: this.integrationErrorMessage,
      cacheStatus: this.cacheStatus,
      errorMessage: error === undefined ? '-' : String(error.message),
      errorResponseType: error?.responseType ?? '-',
      detail: this.detail,
    });
  }
}
