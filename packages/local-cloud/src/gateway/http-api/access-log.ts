/**
 * One access-log line per request, in the shape of API Gateway's JSON access log format: the console's
 * default HTTP API fields (`requestId`, `ip`, `requestTime`, `httpMethod`, `routeKey`, `status`,
 * `protocol`, `responseLength`) plus integration and authorizer diagnostics. As with a `$context`-based
 * format, every value is a string and an unset variable is `"-"`. Tokens and bodies are never logged.
 */
import { formatClfTime } from '../clf-time.js';

export class AccessLogEntry {
  readonly requestId: string;
  readonly timeEpoch: number;
  ip = '-';
  httpMethod = '-';
  path = '-';
  protocol = '-';
  apiId = '-';
  stage = '-';
  routeKey = '-';
  integrationLatency = '-';
  integrationStatus = '-';
  integrationErrorMessage = '-';
  authorizerError = '-';
  authorizerLatency = '-';

  constructor(requestId: string, timeEpoch: number) {
    this.requestId = requestId;
    this.timeEpoch = timeEpoch;
  }

  format(status: number, responseLength: number, errorMessage: string | undefined): string {
    return JSON.stringify({
      requestId: this.requestId,
      ip: this.ip,
      requestTime: formatClfTime(this.timeEpoch),
      httpMethod: this.httpMethod,
      routeKey: this.routeKey,
      status: String(status),
      protocol: this.protocol,
      responseLength: String(responseLength),
      path: this.path,
      apiId: this.apiId,
      stage: this.stage,
      integrationLatency: this.integrationLatency,
      integrationStatus: this.integrationStatus,
      integrationErrorMessage: this.integrationErrorMessage,
      authorizerError: this.authorizerError,
      authorizerLatency: this.authorizerLatency,
      errorMessage: errorMessage ?? '-',
    });
  }
}
