/**
 * One access-log line per request. The pipeline fills an entry in as the request goes (its ip, method,
 * stage, route, authorizer, integration) and formats it once answered:
 *
 * - in the **stage's declared format** (`AccessLogSettings.Format`, compiled per stage by
 *   `compileHttpAccessLogFormat`, set on the entry as `declared`) with the HTTP API `$context` values below,
 *   unset ones `-`. A JSON format also gets the local diagnostics AWS has no variable for, as extra keys:
 *   `authorizerLatency` (a Lambda authorizer's time, `0` for a cached result);
 * - for a stage without an access log (or a request that reaches no stage), in the gateway's own JSON
 *   line: the console's default HTTP API fields (`requestId`, `ip`, `requestTime`, `httpMethod`,
 *   `routeKey`, `status`, `protocol`, `responseLength`) plus the path, API, stage, integration and
 *   authorizer diagnostics and `$context.error.message` as `errorMessage`.
 *
 * Every value is a string and an unset variable is `"-"`. Tokens and bodies are never logged.
 */
import { AccessLogFormat, COMMON_CONTEXT_VARIABLES, type ContextGetter, dash } from '../access-log-format.js';
import { formatClfTime } from '../clf-time.js';
import type { Authorization } from './events.js';

/** What an entry reads about the API: set once the request names one. */
export interface LoggedApi {
  readonly apiId: string;
  readonly accountId: string;
  /** `{apiId}.execute-api.{region}.amazonaws.com`, as in `requestContext.domainName`. */
  readonly domainName: string;
}

export class AccessLogEntry {
  readonly requestId: string;
  readonly timeEpoch: number;
  /** The stage's declared format; undefined: the gateway's own line. */
  declared: HttpAccessLogFormat | undefined = undefined;
  /** The parsed request, read only when a declared format needs it (the user agent). */
  request: { readonly userAgent: string } | undefined = undefined;
  /** The API, read only when a declared format needs it (account, domain name). */
  api: LoggedApi | undefined = undefined;
  /** What the authorizer established, read only when a declared format needs it (claims, context). */
  auth: Authorization | undefined = undefined;
  ip = '-';
  httpMethod = '-';
  path = '-';
  protocol = '-';
  apiId = '-';
  stage = '-';
  routeKey = '-';
  integrationLatency = '-';
  /** Lambda's status (`200` also when the function failed). */
  integrationStatus = '-';
  integrationErrorMessage = '-';
  authorizerError = '-';
  authorizerLatency = '-';
  /** Set by `format`. */
  status = '-';
  responseLength = '-';
  errorMessage: string | undefined = undefined;
  readonly #started = performance.now();

  constructor(requestId: string, timeEpoch: number) {
    this.requestId = requestId;
    this.timeEpoch = timeEpoch;
  }

  /** Milliseconds since the entry was made (`$context.responseLatency`). */
  elapsedMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  format(status: number, responseLength: number, errorMessage: string | undefined): string {
    const declared = this.declared;
    if (declared === undefined) return this.#ownLine(status, responseLength, errorMessage);
    this.status = String(status);
    this.responseLength = String(responseLength);
    this.errorMessage = errorMessage;
    return declared.render(this, { authorizerLatency: this.authorizerLatency });
  }

  #ownLine(status: number, responseLength: number, errorMessage: string | undefined): string {
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

export type HttpAccessLogFormat = AccessLogFormat<AccessLogEntry>;

/**
 * `$context.error.responseType` of the gateway's own answers. Unverified: HTTP APIs have no gateway
 * responses to configure and AWS documents no values for them; these are the REST types of the same errors.
 */
function responseType(e: AccessLogEntry): string | undefined {
  if (e.errorMessage === undefined) return undefined;
  switch (e.status) {
    case '401':
      return 'UNAUTHORIZED';
    case '403':
      return 'ACCESS_DENIED';
    case '404':
      return 'RESOURCE_NOT_FOUND';
    case '413':
      return 'REQUEST_TOO_LARGE';
    case '429':
      return 'THROTTLED';
    case '503':
      return 'INTEGRATION_TIMEOUT';
    default:
      if (e.integrationErrorMessage !== '-') return 'INTEGRATION_FAILURE';
      if (e.authorizerError !== '-') return 'AUTHORIZER_FAILURE';
      return e.status.startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  }
}

/** A Lambda authorizer's context value as `$context.authorizer.<key>` prints it (`1`, `true`, text). */
function contextValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The HTTP API `$context` variables of access logs (developer guide, "Customize HTTP API access logs") the
 * local gateway knows; the others render `-`: `awsEndpointRequestId*`, `customDomain.*`, `dataProcessed`,
 * `identity.*` of IAM and client certificates, `integration.requestId`.
 */
const HTTP_VARIABLES: Readonly<Record<string, ContextGetter<AccessLogEntry>>> = {
  ...COMMON_CONTEXT_VARIABLES,
  // "Equivalent to $context.requestId" for HTTP APIs.
  extendedRequestId: (e) => e.requestId,
  routeKey: (e) => dash(e.routeKey),
  accountId: (e) => e.api?.accountId,
  domainName: (e) => e.api?.domainName,
  'authorizer.principalId': (e) => (e.auth?.kind === 'lambda' ? e.auth.principalId : undefined),
  'error.message': (e) => e.errorMessage,
  'error.messageString': (e) => (e.errorMessage === undefined ? undefined : JSON.stringify(e.errorMessage)),
  'error.responseType': responseType,
};

/** `$context.authorizer.claims.<claim>` (JWT) and `$context.authorizer.<key>` (a Lambda authorizer's context). */
function authorizerValue(name: string): ContextGetter<AccessLogEntry> | undefined {
  if (name.startsWith('authorizer.claims.')) {
    const claim = name.slice('authorizer.claims.'.length);
    return (e) =>
      e.auth?.kind === 'jwt' && Object.hasOwn(e.auth.claims, claim) ? e.auth.claims[claim] : undefined;
  }
  if (name.startsWith('authorizer.') && !name.slice('authorizer.'.length).includes('.')) {
    const key = name.slice('authorizer.'.length);
    return (e) => {
      const context = e.auth?.kind === 'lambda' ? e.auth.context : null;
      return context !== null && Object.hasOwn(context, key) ? contextValue(context[key]) : undefined;
    };
  }
  return undefined;
}

/** Compiles an HTTP API stage's `AccessLogSettings.Format`. */
export function compileHttpAccessLogFormat(format: string): HttpAccessLogFormat {
  return new AccessLogFormat(format, (name) =>
    Object.hasOwn(HTTP_VARIABLES, name) ? HTTP_VARIABLES[name] : authorizerValue(name),
  );
}

/** Why AWS refuses a declared format, or undefined (the rule is the same for REST and HTTP APIs). */
export { accessLogFormatError as httpAccessLogFormatError } from '../access-log-format.js';
