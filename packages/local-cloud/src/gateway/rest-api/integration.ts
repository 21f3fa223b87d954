/**
 * Integrations: what a method calls once the request is admitted.
 *
 * - `AWS_PROXY` (Lambda, payload 1.0): the event from events.ts, invoked with the integration timeout
 *   (default 29 s). Timeout (the gateway's timer or the runtime's deadline) → 504 `Endpoint request timed
 *   out`; a function error, crash, its own timeout, a response over Lambda's 6 MB, or an invalid output →
 *   502 `Internal server error`; Lambda throttling → 500 (unverified); an event over Lambda's 6 MB request
 *   limit → 413 `Request Too Long` (not customisable). The output is mapped by proxy-response.ts.
 * - `MOCK`: the `statusCode` of the request template, rendered (`{ statusCode: 200 }`, CDK's lenient form,
 *   is accepted), the integration response whose `selectionPattern` matches it (else the default one), its
 *   header parameters (`'literal'`, `method.request.*`, `stageVariables.*`, `context.*`) and its body
 *   template, rendered by the VTL subset in vtl.ts, whose `$context.responseOverride` status and headers
 *   win. CDK's CORS preflight, one origin or several (its origin-echo template), needs no more.
 * - anything else, or a MOCK template outside the VTL subset, or an `integration.response.*` parameter:
 *   a gap, reported at start; requests get 500 `Internal server error` and the reason in the access log.
 */

import { mediaType } from '../headers.js';
import { DEADLINE_EXCEEDED, GATEWAY_TIMEOUT, invokeWithDeadline, type LambdaInvoker } from '../invoker.js';
import type {
  MockIntegrationConfig,
  MockIntegrationResponseConfig,
  RestIntegrationConfig,
} from './config.js';
import { buildProxyEvent } from './events.js';
import { contextVariable, type Exchange, responseContext } from './exchange.js';
import {
  apiConfigurationError,
  compileParameterSource,
  type GatewayError,
  integrationFailure,
  integrationTimeout,
  type ResponseContext,
  requestTooLong,
} from './gateway-responses.js';
import { type HeaderPairs, RestResponse } from './http-response.js';
import { InvalidProxyResponse, mapProxyResponse } from './proxy-response.js';
import { headerValue } from './request.js';
import { compileVtl, isStaticTemplate, type VtlInput, type VtlTemplate, VtlUnsupportedError } from './vtl.js';

export type CompiledIntegration =
  | { readonly kind: 'lambda'; readonly functionName: string; readonly timeoutMs: number }
  | { readonly kind: 'mock'; readonly mock: MockIntegration }
  | { readonly kind: 'unsupported'; readonly reason: string };

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const MAX_INTEGRATION_TIMEOUT_MS = 300_000;

const MOCK_STATUS = /["']?statusCode["']?\s*:\s*["']?(\d{3})["']?/;
const HEADER_PARAMETER = 'method.response.header.';

/** A body template: sent as it is when static, else rendered. */
type Template = { readonly static: Buffer } | { readonly vtl: VtlTemplate };

function compileTemplate(source: string, what: string): Template {
  if (isStaticTemplate(source)) return { static: Buffer.from(source) };
  try {
    return { vtl: compileVtl(source) };
  } catch (error) {
    if (error instanceof VtlUnsupportedError) throw new Error(`${what}: VTL ${error.message}`);
    throw error;
  }
}

/** What a mapping template reads about the request (`$input.params()`, `$context`, `$stageVariables`). */
function vtlInput(x: Exchange): VtlInput {
  const querystring: Record<string, string> = {};
  for (const [name, value] of x.request.queryPairs) querystring[name] = value;
  const header: Record<string, string> = {};
  for (const entry of x.request.headers.values())
    header[entry.name] = entry.values[entry.values.length - 1] ?? '';
  return {
    params: { path: { ...x.pathParameters }, querystring, header },
    context: (path) => contextVariable(x, path),
    stageVariable: (name) => x.stage.variables?.[name],
  };
}

interface MockResponse {
  readonly status: number;
  readonly pattern: RegExp | undefined;
  readonly headers: ReadonlyArray<readonly [string, (ctx: ResponseContext) => string | undefined]>;
  readonly contentType: string;
  readonly body: Template;
}

export class MockIntegration {
  readonly #requestTemplates: ReadonlyArray<readonly [string, Template]>;
  readonly #responses: readonly MockResponse[];

  /** Throws with the reason when the configuration needs more than the gateway emulates. */
  constructor(config: MockIntegrationConfig) {
    this.#requestTemplates = Object.entries(config.requestTemplates ?? {}).map(
      ([type, template]) =>
        [type.toLowerCase(), compileTemplate(template, `request template for ${type}`)] as const,
    );
    this.#responses = (config.integrationResponses ?? []).map((r) => compileMockResponse(r));
  }

  respond(x: Exchange): RestResponse | GatewayError {
    let status = 200;
    let input: VtlInput | undefined;
    const render = (template: Template) => {
      if ('static' in template)
        return { text: template.static.toString('utf8'), status: undefined, headers: [] };
      input ??= vtlInput(x);
      return template.vtl.render(input);
    };
    if (this.#requestTemplates.length > 0) {
      const type = mediaType(headerValue(x.request, 'content-type')) || 'application/json';
      const template =
        this.#requestTemplates.find(([t]) => t === type) ??
        this.#requestTemplates.find(([t]) => t === 'application/json') ??
        this.#requestTemplates[0];
      const m = template === undefined ? null : MOCK_STATUS.exec(render(template[1]).text);
      if (!m) return apiConfigurationError('MOCK: unable to parse statusCode from the request template');
      status = Number(m[1]);
    }
    const code = String(status);
    const chosen =
      this.#responses.find((r) => r.pattern?.test(code)) ??
      this.#responses.find((r) => r.pattern === undefined);
    if (chosen === undefined)
      return apiConfigurationError(`MOCK: no integration response for status ${code}`);
    const ctx = responseContext(x);
    let headers: HeaderPairs = chosen.headers.flatMap(([name, read]) => {
      const value = read(ctx);
      return value === undefined ? [] : [[name, value] as const];
    });
    let body = 'static' in chosen.body ? chosen.body.static : undefined;
    let responseStatus = chosen.status;
    if (body === undefined) {
      const out = render(chosen.body);
      body = Buffer.from(out.text);
      // A response override replaces the mapped header (or adds it), and the status.
      for (const [name, value] of out.headers) {
        headers = [...headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()), [name, value]];
      }
      if (out.status !== undefined && out.status >= 100 && out.status <= 599) responseStatus = out.status;
    }
    return new RestResponse(responseStatus, [['Content-Type', chosen.contentType], ...headers], body);
  }
}

function compileMockResponse(config: MockIntegrationResponseConfig): MockResponse {
  const status = Number(config.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new Error(
      `integration response statusCode ${JSON.stringify(config.statusCode)} is not an HTTP status`,
    );
  }
  let pattern: RegExp | undefined;
  if (config.selectionPattern !== undefined && config.selectionPattern !== '') {
    try {
      pattern = new RegExp(`^(?:${config.selectionPattern})$`);
    } catch {
      throw new Error(`selectionPattern ${JSON.stringify(config.selectionPattern)} is not a valid regex`);
    }
  }
  const headers: Array<readonly [string, (ctx: ResponseContext) => string | undefined]> = [];
  for (const [key, source] of Object.entries(config.responseParameters ?? {})) {
    if (!key.startsWith(HEADER_PARAMETER)) throw new Error(`response parameter ${key} is not a header`);
    if (source.startsWith('integration.response.')) {
      throw new Error(`response parameter ${key} = ${source}: a MOCK integration has no response to read`);
    }
    try {
      headers.push([key.slice(HEADER_PARAMETER.length), compileParameterSource(source)]);
    } catch {
      throw new Error(`response parameter ${key} = ${source} is not supported`);
    }
  }
  const templates = Object.entries(config.responseTemplates ?? {});
  const template = templates.find(([type]) => type === 'application/json') ?? templates[0];
  return {
    status,
    pattern,
    headers,
    contentType: template?.[0] ?? 'application/json',
    body:
      template === undefined
        ? { static: Buffer.alloc(0) }
        : compileTemplate(template[1], `response template for ${template[0]}`),
  };
}

/** Start-up: config → what runs, or the reason it cannot run locally (a gap). Throws on invalid values. */
export function compileIntegration(config: RestIntegrationConfig): CompiledIntegration {
  switch (config.type) {
    case 'AWS_PROXY': {
      if (config.functionName === undefined || config.functionName === '') {
        throw new Error('an AWS_PROXY integration needs functionName');
      }
      const timeoutMs = config.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
      if (!(timeoutMs >= 50 && timeoutMs <= MAX_INTEGRATION_TIMEOUT_MS)) {
        throw new Error('timeoutMs must be between 50 and 300000');
      }
      return { kind: 'lambda', functionName: config.functionName, timeoutMs };
    }
    case 'MOCK':
      try {
        return { kind: 'mock', mock: new MockIntegration(config) };
      } catch (error) {
        return { kind: 'unsupported', reason: `MOCK integration: ${(error as Error).message}` };
      }
    default:
      return {
        kind: 'unsupported',
        reason: `${(config as { type: string }).type} integrations are not emulated`,
      };
  }
}

export interface IntegrationLog {
  integrationLatency: string;
  integrationStatus: string;
  integrationErrorMessage: string;
}

export async function runIntegration(
  x: Exchange,
  invoker: LambdaInvoker,
  log: IntegrationLog,
): Promise<RestResponse | GatewayError> {
  const integration = x.method.integration;
  if (integration.kind === 'unsupported') return apiConfigurationError(`not emulated: ${integration.reason}`);
  if (integration.kind === 'mock') return integration.mock.respond(x);

  const event = buildProxyEvent(x);
  const started = performance.now();
  const outcome = await invokeWithDeadline(
    invoker,
    integration.functionName,
    event,
    x.request.requestId,
    integration.timeoutMs,
  );
  log.integrationLatency = String(Math.round(performance.now() - started));
  if (outcome === GATEWAY_TIMEOUT || (!outcome.ok && outcome.errorType === DEADLINE_EXCEEDED)) {
    return integrationTimeout(`the integration timed out after ${integration.timeoutMs} ms`);
  }
  if (!outcome.ok) {
    const detail = `${outcome.errorType}: ${outcome.errorMessage}`;
    log.integrationErrorMessage = detail;
    // An event over Lambda's 6 MB request limit: Lambda's 413 comes back as API Gateway's own 413 (§2.4).
    if (outcome.kind === 'request-too-large') {
      log.integrationStatus = '413';
      return requestTooLong(detail);
    }
    // A response over 6 MB (`response-too-large`) is a failed invocation like any other → 502.
    log.integrationStatus = outcome.kind === 'throttled' ? '429' : '200';
    return integrationFailure(detail, outcome.kind === 'throttled' ? 500 : 502);
  }
  log.integrationStatus = '200';
  try {
    return mapProxyResponse(outcome.result, {
      binaryMediaTypes: x.api.binaryMediaTypes,
      accept: headerValue(x.request, 'accept'),
    });
  } catch (error) {
    if (!(error instanceof InvalidProxyResponse)) throw error;
    const detail = `Malformed Lambda proxy response: ${error.message}`;
    log.integrationErrorMessage = detail;
    return integrationFailure(detail);
  }
}
