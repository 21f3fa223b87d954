/**
 * Gateway responses (§2.4): every error the REST gateway produces itself has a response type with a
 * default status, an `x-amzn-ErrorType` and a message. An API may customise a type, or the `DEFAULT_4XX` /
 * `DEFAULT_5XX` fallbacks, with a status code, `gatewayresponse.header.*` parameters and body templates.
 *
 * Lookup: the type's own configuration → `DEFAULT_4XX`/`DEFAULT_5XX` (by the status class) → built-in.
 * The built-in template is `{"message":$context.error.messageString}` (ACCESS_DENIED: `{"Message":…}`),
 * `Content-Type: application/json`. Templates are not VTL: `$context.*` and `$stageVariables.*`
 * references (also in `${…}` form) are substituted, unknown ones render empty.
 */
import type { GatewayResponseConfig, GatewayResponseType } from './config.js';
import { type HeaderPairs, RestResponse, setHeader } from './http-response.js';

interface TypeDefaults {
  /** Undefined for DEFAULT_4XX / DEFAULT_5XX. */
  readonly status: number | undefined;
  readonly errorType: string;
}

/** Default statuses per the developer guide; error types as recorded or as LocalStack reports them. */
const TYPES: Readonly<Record<GatewayResponseType, TypeDefaults>> = {
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, errorType: 'InternalServerErrorException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException' },
  DEFAULT_4XX: { status: undefined, errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: undefined, errorType: 'InternalServerErrorException' },
  EXPIRED_TOKEN: { status: 403, errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException' },
  INVALID_API_KEY: { status: 403, errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { status: 404, errorType: 'ResourceNotFoundException' },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'UnsupportedMediaTypeException' },
  WAF_FILTERED: { status: 403, errorType: 'WafFilteredException' },
};

export interface GatewayErrorOptions {
  /** Overrides the type's default status (e.g. 502 for a malformed Lambda proxy response). */
  readonly status?: number;
  /** Overrides the type's `x-amzn-ErrorType`. */
  readonly errorType?: string;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString?: string;
  /** Not customisable by the API's gateway responses (no deployment answered, e.g. an unknown stage). */
  readonly builtIn?: boolean;
  /** Extra headers (before the configured ones). */
  readonly headers?: HeaderPairs;
  /** Why, for the access log only (never sent). */
  readonly detail?: string;
}

/** An error the gateway answers itself: a pipeline step returns one instead of going on. */
export class GatewayError {
  readonly type: GatewayResponseType;
  /** `$context.error.message`; `null` renders `{"message":null}` (AUTHORIZER_CONFIGURATION_ERROR). */
  readonly message: string | null;
  readonly options: GatewayErrorOptions;

  constructor(type: GatewayResponseType, message: string | null, options: GatewayErrorOptions = {}) {
    this.type = type;
    this.message = message;
    this.options = options;
  }

  get status(): number {
    return this.options.status ?? TYPES[this.type].status ?? (this.type === 'DEFAULT_5XX' ? 500 : 400);
  }
}

// The errors the pipeline raises, with the texts recorded against AWS (§0.2, §2.4, §3.4).
export const missingAuthenticationToken = (): GatewayError =>
  new GatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
export const invalidApiKey = (detail: string): GatewayError =>
  new GatewayError('INVALID_API_KEY', 'Forbidden', { detail });
export const throttled = (detail: string): GatewayError =>
  new GatewayError('THROTTLED', 'Too Many Requests', { detail });
export const quotaExceeded = (detail: string): GatewayError =>
  new GatewayError('QUOTA_EXCEEDED', 'Limit Exceeded', { detail });
export const unauthorized = (detail: string): GatewayError =>
  new GatewayError('UNAUTHORIZED', 'Unauthorized', { detail });
export const authorizerConfigurationError = (detail: string): GatewayError =>
  new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', null, { detail });
export const integrationTimeout = (detail: string): GatewayError =>
  new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', { detail });
/** Lambda proxy failures: 502 `Internal server error` (recorded, §5.2). */
export const integrationFailure = (detail: string, status = 502): GatewayError =>
  new GatewayError('INTEGRATION_FAILURE', 'Internal server error', { status, detail });
/**
 * Lambda refused the event, over its 6 MB synchronous request limit (§2.4 REQUEST_TOO_LARGE, recorded):
 * 413 `{"message":"Request Too Long"}` with `x-amzn-ErrorType: BadRequestException`. Built in: the 413
 * cannot be customised, so neither `REQUEST_TOO_LARGE` nor `DEFAULT_4XX` applies.
 */
export const requestTooLong = (detail: string): GatewayError =>
  new GatewayError('REQUEST_TOO_LARGE', 'Request Too Long', {
    errorType: 'BadRequestException',
    builtIn: true,
    detail,
  });
export const apiConfigurationError = (detail: string): GatewayError =>
  new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', { detail });
/** No stage of that name (or no stage segment at all): 403 `Forbidden`, observed on AWS. */
export const unknownStage = (): GatewayError =>
  new GatewayError('DEFAULT_4XX', 'Forbidden', {
    status: 403,
    errorType: 'ForbiddenException',
    builtIn: true,
    detail: 'no such stage',
  });

/** What templates and parameters may read about the request. */
export interface ResponseContext {
  /** `$context.<path>` without the `error.*` variables, e.g. `requestId`, `authorizer.principalId`. */
  context(path: string): string | undefined;
  stageVariable(name: string): string | undefined;
  /** `method.request.<location>.<name>`: header (case-insensitive), querystring, path. */
  requestParameter(location: string, name: string): string | undefined;
}

interface CompiledGatewayResponse {
  readonly status: number | undefined;
  readonly parameters: ReadonlyArray<
    readonly [header: string, read: (ctx: ResponseContext) => string | undefined]
  >;
  /** [content type, template]; undefined: the built-in template. */
  readonly template: readonly [string, string] | undefined;
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
const ACCESS_DENIED_TEMPLATE = '{"Message":$context.error.messageString}';
const HEADER_PARAMETER = 'gatewayresponse.header.';

/**
 * `'literal'`, `method.request.header.X`, `method.request.querystring.x`, `method.request.path.x`,
 * `stageVariables.x`, `context.x` → a reader; anything else is a configuration error.
 */
export function compileParameterSource(source: string): (ctx: ResponseContext) => string | undefined {
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) {
    const literal = source.slice(1, -1);
    return () => literal;
  }
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (request) {
    const location = request[1] as string;
    const name = request[2] as string;
    return (ctx) => ctx.requestParameter(location, name);
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) {
    const name = stageVariable[1] as string;
    return (ctx) => ctx.stageVariable(name);
  }
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    const path = context[1] as string;
    return (ctx) => ctx.context(path);
  }
  throw new Error(`unsupported parameter source ${JSON.stringify(source)}`);
}

function compileOne(config: GatewayResponseConfig): CompiledGatewayResponse {
  let status: number | undefined;
  if (config.statusCode !== undefined && config.statusCode !== '') {
    status = Number(config.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new Error(`statusCode ${JSON.stringify(config.statusCode)} is not an HTTP status`);
    }
  }
  const parameters = Object.entries(config.responseParameters ?? {}).map(([key, source]) => {
    if (!key.startsWith(HEADER_PARAMETER) || key.length === HEADER_PARAMETER.length) {
      throw new Error(`response parameter ${key} must be gatewayresponse.header.<name>`);
    }
    return [key.slice(HEADER_PARAMETER.length), compileParameterSource(source)] as const;
  });
  const templates = Object.entries(config.responseTemplates ?? {});
  const template = templates.find(([type]) => type === 'application/json') ?? templates[0];
  return { status, parameters, template };
}

/** `$context.a.b`, `${context.a.b}`, `$stageVariables.x`, `${stageVariables.x}`. */
const REFERENCE =
  /\$\{(context|stageVariables)((?:\.[A-Za-z0-9_-]+)+)\}|\$(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)/g;

export function renderTemplate(template: string, error: GatewayError, ctx: ResponseContext): string {
  return template.replace(REFERENCE, (_m, braceRoot, bracePath, root, path) => {
    const base = (braceRoot ?? root) as string;
    const rest = ((bracePath ?? path) as string).slice(1);
    if (base === 'stageVariables') return ctx.stageVariable(rest) ?? '';
    switch (rest) {
      case 'error.message':
        return error.message ?? '';
      case 'error.messageString':
        return JSON.stringify(error.message);
      case 'error.responseType':
        return error.type;
      case 'error.validationErrorString':
        return error.options.validationErrorString ?? '';
      default:
        return ctx.context(rest) ?? '';
    }
  });
}

/** One API's gateway responses, compiled. */
export class GatewayResponses {
  readonly #configured = new Map<GatewayResponseType, CompiledGatewayResponse>();

  /** Throws on an unknown type, a bad status or an unsupported parameter. */
  constructor(configs: readonly GatewayResponseConfig[] = []) {
    for (const config of configs) {
      if (!(config.type in TYPES)) throw new Error(`unknown gateway response type ${config.type}`);
      if (this.#configured.has(config.type)) throw new Error(`duplicate gateway response ${config.type}`);
      try {
        this.#configured.set(config.type, compileOne(config));
      } catch (e) {
        throw new Error(`gateway response ${config.type}: ${(e as Error).message}`);
      }
    }
    // The 413 is answered at the edge and cannot be customised (developer guide, known issues).
    this.#configured.delete('REQUEST_TOO_LARGE');
  }

  render(error: GatewayError, ctx: ResponseContext): RestResponse {
    const defaultStatus = error.status;
    let chosen: CompiledGatewayResponse | undefined;
    if (!error.options.builtIn) {
      chosen =
        this.#configured.get(error.type) ??
        this.#configured.get(defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    }
    const status = chosen?.status ?? defaultStatus;
    const [contentType, template] = chosen?.template ?? [
      'application/json',
      error.type === 'ACCESS_DENIED' ? ACCESS_DENIED_TEMPLATE : DEFAULT_TEMPLATE,
    ];
    const headers: HeaderPairs = [
      ['Content-Type', contentType],
      ['x-amzn-ErrorType', error.options.errorType ?? TYPES[error.type].errorType],
      ...(error.options.headers ?? []),
    ];
    for (const [name, read] of chosen?.parameters ?? []) {
      const value = read(ctx);
      if (value !== undefined) setHeader(headers, name, value);
    }
    return new RestResponse(status, headers, Buffer.from(renderTemplate(template, error, ctx)), {
      message: error.message,
      responseType: error.type,
    });
  }
}
