/**
 * Integrations: what a method calls once the request is admitted.
 *
 * - `AWS_PROXY` (Lambda, payload 1.0): the event from events.ts, invoked with the integration timeout
 *   (default 29 s). Timeout (the gateway's timer or the runtime's deadline) → 504 `Endpoint request timed
 *   out`; a function error, crash, its own timeout, or an invalid output → 502 `Internal server error`;
 *   Lambda throttling → 500 (unverified). The output is mapped by proxy-response.ts.
 * - `MOCK`: the `statusCode` of the request template (`{ statusCode: 200 }`, CDK's lenient form, is
 *   accepted), the integration response whose `selectionPattern` matches it (else the default one), its
 *   static `'…'` header values and static body template. This is what CDK's CORS preflight needs. The one
 *   VTL template emulated is the origin echo CDK renders for a preflight with several origins — recognised
 *   whole (`CDK_CORS_ORIGIN_ECHO`), never interpreted.
 * - anything else, or a MOCK using other VTL or non-literal parameters: a gap, reported at start; requests
 *   get 500 `Internal server error` and the reason in the access log.
 */

import { mediaType } from '../headers.js';
import { DEADLINE_EXCEEDED, GATEWAY_TIMEOUT, invokeWithDeadline, type LambdaInvoker } from '../invoker.js';
import type {
  MockIntegrationConfig,
  MockIntegrationResponseConfig,
  RestIntegrationConfig,
} from './config.js';
import { buildProxyEvent } from './events.js';
import type { Exchange } from './exchange.js';
import {
  apiConfigurationError,
  type GatewayError,
  integrationFailure,
  integrationTimeout,
} from './gateway-responses.js';
import { type HeaderPairs, RestResponse } from './http-response.js';
import { InvalidProxyResponse, mapProxyResponse } from './proxy-response.js';
import { headerValue } from './request.js';

export type CompiledIntegration =
  | { readonly kind: 'lambda'; readonly functionName: string; readonly timeoutMs: number }
  | { readonly kind: 'mock'; readonly mock: MockIntegration }
  | { readonly kind: 'unsupported'; readonly reason: string };

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;
const MAX_INTEGRATION_TIMEOUT_MS = 300_000;

/** Any VTL: a reference or a directive. */
const DYNAMIC = /[$#]/;
const MOCK_STATUS = /["']?statusCode["']?\s*:\s*["']?(\d{3})["']?/;
const HEADER_PARAMETER = 'method.response.header.';

/**
 * The response template aws-cdk-lib's `Resource.addCorsPreflight` renders when `allowOrigins` has more than
 * one origin: the static header names the first origin, and this template overrides it with the request's
 * `Origin` when that is one of the others (`$context.responseOverride`). Group 1: the `$origin == "…"` list.
 */
const CDK_CORS_ORIGIN_ECHO = new RegExp(
  [
    '^#set\\(\\$origin = \\$input\\.params\\(\\)\\.header\\.get\\("Origin"\\)\\)',
    '#if\\(\\$origin == ""\\)',
    '  #set\\(\\$origin = \\$input\\.params\\(\\)\\.header\\.get\\("origin"\\)\\)',
    '#end',
    '#if\\((\\$origin == "[^"\\\\$]*"(?: \\|\\| \\$origin == "[^"\\\\$]*")*)\\)',
    '  #set\\(\\$context\\.responseOverride\\.header\\.Access-Control-Allow-Origin = \\$origin\\)',
    '#end$',
  ].join('\n'),
);
const ALLOW_ORIGIN = 'Access-Control-Allow-Origin';

interface MockResponse {
  readonly status: number;
  readonly pattern: RegExp | undefined;
  readonly headers: HeaderPairs;
  readonly contentType: string;
  readonly body: Buffer;
  /** Origins echoed in `Access-Control-Allow-Origin` (CDK's several-origin preflight), if any. */
  readonly echoOrigins: ReadonlySet<string> | undefined;
}

export class MockIntegration {
  readonly #requestTemplates: ReadonlyArray<readonly [string, number | undefined]>;
  readonly #responses: readonly MockResponse[];

  /** Throws with the reason when the configuration needs more than static values. */
  constructor(config: MockIntegrationConfig) {
    this.#requestTemplates = Object.entries(config.requestTemplates ?? {}).map(([type, template]) => {
      if (DYNAMIC.test(template)) throw new Error(`request template for ${type} uses VTL`);
      const m = MOCK_STATUS.exec(template);
      return [type.toLowerCase(), m ? Number(m[1]) : undefined] as const;
    });
    this.#responses = (config.integrationResponses ?? []).map((r) => compileMockResponse(r));
  }

  respond(x: Exchange): RestResponse | GatewayError {
    let status = 200;
    if (this.#requestTemplates.length > 0) {
      const type = mediaType(headerValue(x.request, 'content-type')) || 'application/json';
      const template =
        this.#requestTemplates.find(([t]) => t === type) ??
        this.#requestTemplates.find(([t]) => t === 'application/json') ??
        this.#requestTemplates[0];
      if (template?.[1] === undefined) {
        return apiConfigurationError('MOCK: unable to parse statusCode from the request template');
      }
      status = template[1];
    }
    const code = String(status);
    const chosen =
      this.#responses.find((r) => r.pattern?.test(code)) ??
      this.#responses.find((r) => r.pattern === undefined);
    if (chosen === undefined)
      return apiConfigurationError(`MOCK: no integration response for status ${code}`);
    let headers = chosen.headers;
    const origin = headerValue(x.request, 'origin');
    if (chosen.echoOrigins !== undefined && origin !== undefined && chosen.echoOrigins.has(origin)) {
      // A response override replaces the mapped header (or adds it).
      headers = [
        ...headers.filter(([name]) => name.toLowerCase() !== ALLOW_ORIGIN.toLowerCase()),
        [ALLOW_ORIGIN, origin],
      ];
    }
    return new RestResponse(chosen.status, [['Content-Type', chosen.contentType], ...headers], chosen.body);
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
  const headers: HeaderPairs = [];
  for (const [key, source] of Object.entries(config.responseParameters ?? {})) {
    if (!key.startsWith(HEADER_PARAMETER)) throw new Error(`response parameter ${key} is not a header`);
    if (!(source.length >= 2 && source.startsWith("'") && source.endsWith("'"))) {
      throw new Error(`response parameter ${key} = ${source} is not a static 'value'`);
    }
    headers.push([key.slice(HEADER_PARAMETER.length), source.slice(1, -1)]);
  }
  const templates = Object.entries(config.responseTemplates ?? {});
  const template = templates.find(([type]) => type === 'application/json') ?? templates[0];
  const echo = template === undefined ? null : CDK_CORS_ORIGIN_ECHO.exec(template[1]);
  if (template !== undefined && echo === null && DYNAMIC.test(template[1])) {
    throw new Error(`response template for ${template[0]} uses VTL`);
  }
  return {
    status,
    pattern,
    headers,
    contentType: template?.[0] ?? 'application/json',
    // The echo template renders no body (only directives).
    body: Buffer.from(echo === null ? (template?.[1] ?? '') : ''),
    echoOrigins:
      echo?.[1] === undefined ? undefined : new Set(echo[1].match(/"[^"]*"/g)?.map((q) => q.slice(1, -1))),
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
    log.integrationStatus = outcome.kind === 'throttled' ? '429' : '200';
    const detail = `${outcome.errorType}: ${outcome.errorMessage}`;
    log.integrationErrorMessage = detail;
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
