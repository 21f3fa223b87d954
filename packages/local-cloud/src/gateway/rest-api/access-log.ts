/**
 * One access-log line per request. The pipeline fills an entry in as the request goes (its ip, method,
 * stage, resource, key, authorizer, integration, cache status) and formats it once answered:
 *
 * - in the **stage's declared format** (`AccessLogSetting.Format`, compiled per stage by
 *   `compileRestAccessLogFormat`, set on the entry as `declared`) with the REST `$context` values below,
 *   unset ones `-`. A JSON format also gets the local diagnostics AWS has no variable for, as extra keys:
 *   `cacheStatus` (`hit`, `miss`, `-` when the method is not cached) and `detail` (why the gateway answered
 *   itself);
 * - for a stage without an access log (or a request that reaches no stage), in the gateway's own JSON
 *   line: the console's default REST fields (`requestId`, `ip`, `caller`, `user`, `requestTime`,
 *   `httpMethod`, `resourcePath`, `status`, `protocol`, `responseLength`) plus the diagnostics (the
 *   authorizer, the integration, the API key id, the cache, `$context.error.*`, `detail`).
 *
 * Every value is a string and an unset variable is `"-"`. Tokens, key values and bodies are never logged
 * (`$context.identity.apiKey` renders `-`).
 */
import { AccessLogFormat, COMMON_CONTEXT_VARIABLES, type ContextGetter, dash } from '../access-log-format.js';
import { formatClfTime } from '../clf-time.js';
import type { RestRequest } from './request.js';

/** `$context.error.message` and `responseType` of a gateway error. */
export interface LoggedError {
  readonly message: string | null;
  readonly responseType: string;
}

export class AccessLogEntry {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly timeEpoch: number;
  /** The stage's declared format; undefined: the gateway's own line. */
  declared: RestAccessLogFormat | undefined = undefined;
  /** The parsed request, read only when a declared format needs it (the user agent). */
  request: Pick<RestRequest, 'userAgent'> | undefined = undefined;
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
  /** Set by `format`. */
  status = '-';
  responseLength = '-';
  error: LoggedError | undefined = undefined;
  readonly #started = performance.now();

  constructor(requestId: string, extendedRequestId: string, timeEpoch: number) {
    this.requestId = requestId;
    this.extendedRequestId = extendedRequestId;
    this.timeEpoch = timeEpoch;
  }

  /** Milliseconds since the entry was made (`$context.responseLatency`). */
  elapsedMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  format(status: number, responseLength: number, error: LoggedError | undefined): string {
    const declared = this.declared;
    if (declared === undefined) return this.#ownLine(status, responseLength, error);
    this.status = String(status);
    this.responseLength = String(responseLength);
    this.error = error;
    return declared.render(this, { cacheStatus: this.cacheStatus, detail: this.detail });
  }

  #ownLine(status: number, responseLength: number, error: LoggedError | undefined): string {
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

export type RestAccessLogFormat = AccessLogFormat<AccessLogEntry>;

/**
 * The REST `$context` variables of access logs (developer guide, "Variables for access logging for REST
 * APIs") the local gateway knows; the others render `-`: `accountId`, `domainName`, `deploymentId`,
 * `resourceId`, `identity.caller`/`user`/…, `identity.apiKey` (never logged locally), `integration.requestId`,
 * `waf*`, `xrayTraceId`, authorizer context values.
 */
const REST_VARIABLES: Readonly<Record<string, ContextGetter<AccessLogEntry>>> = {
  ...COMMON_CONTEXT_VARIABLES,
  extendedRequestId: (e) => e.extendedRequestId,
  'identity.apiKeyId': (e) => dash(e.apiKeyId),
  resourcePath: (e) => dash(e.resourcePath),
  'authorizer.principalId': (e) => dash(e.authorizerPrincipalId),
  'authorizer.integrationLatency': (e) => dash(e.authorizerLatency),
  // Unverified: a `null` message (AUTHORIZER_CONFIGURATION_ERROR) renders `-`.
  'error.message': (e) => e.error?.message ?? undefined,
  'error.messageString': (e) => (e.error === undefined ? undefined : JSON.stringify(e.error.message)),
  'error.responseType': (e) => e.error?.responseType,
};

/** Compiles a REST stage's `AccessLogSetting.Format`. */
export function compileRestAccessLogFormat(format: string): RestAccessLogFormat {
  // Own properties only: `$context.constructor` is an unknown variable (→ `-`), not Object's.
  return new AccessLogFormat(format, (name) =>
    Object.hasOwn(REST_VARIABLES, name) ? REST_VARIABLES[name] : undefined,
  );
}

export { accessLogFormatError } from '../access-log-format.js';
