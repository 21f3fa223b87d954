/**
 * A stage's declared access-log format (`AWS::ApiGateway::Stage.AccessLogSetting.Format`,
 * `AWS::ApiGatewayV2::Stage.AccessLogSettings.Format`): text with `$context.*` variables, one line per
 * request. Compiled once per stage: each variable is resolved to a getter by the gateway that owns the
 * format (REST and HTTP APIs know different variables), so rendering a line is a concatenation.
 *
 * - Variables are `$context.` followed by dotted names (`$context.identity.sourceIp`,
 *   `$context.authorizer.claims.sub`). A variable the gateway does not know, or an unset value, renders
 *   `-`, as on AWS (an empty value too: unverified).
 * - A **JSON** format is one whose text, with every variable replaced by a value, is a JSON object (what
 *   CDK's `AccessLogFormat.jsonWithStandardFields` and `JSON.stringify` of a field map produce). Values
 *   inside its strings are JSON-escaped, so a quote in a user agent keeps the line valid JSON (unverified:
 *   seen on AWS in a 2024 user report; AWS documents no escaping); a bare value, such as
 *   `$context.error.messageString` (already quoted), is written as it is. Only JSON formats take extra keys (`render`'s `extras`:
 *   local diagnostics AWS has no variable for), appended before the closing brace; a key the format already
 *   has is not repeated.
 * - Other formats (CLF, XML, CSV) are rendered as written, values as they are.
 */

import { formatClfTime } from './clf-time.js';

/** Reads one `$context` variable from what the gateway logged about a request; undefined renders `-`. */
export type ContextGetter<T> = (source: T) => string | undefined;

/** What both gateways log about every request, as their access-log entries hold it (`-` when unset). */
export interface LoggedRequest {
  readonly requestId: string;
  readonly timeEpoch: number;
  readonly ip: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly protocol: string;
  readonly stage: string;
  readonly apiId: string;
  readonly status: string;
  readonly responseLength: string;
  readonly integrationLatency: string;
  readonly integrationStatus: string;
  readonly integrationErrorMessage: string;
  readonly authorizerError: string;
  readonly authorizerLatency: string;
  /** The parsed request, read only when a format asks for the user agent. */
  readonly request: { readonly userAgent: string } | undefined;
  elapsedMs(): number;
}

/** An entry's value for a getter: `-` (what an entry holds when it has no value) becomes unset. */
export const dash = (value: string): string | undefined => (value === '-' ? undefined : value);

/**
 * The `$context` variables REST and HTTP APIs share, with the same meaning: each gateway adds its own
 * (REST: `resourcePath`, `identity.apiKeyId`…; HTTP: `routeKey`, JWT claims…) on top.
 */
export const COMMON_CONTEXT_VARIABLES: Readonly<Record<string, ContextGetter<LoggedRequest>>> = {
  requestId: (e) => e.requestId,
  requestTime: (e) => formatClfTime(e.timeEpoch),
  requestTimeEpoch: (e) => String(e.timeEpoch),
  'identity.sourceIp': (e) => dash(e.ip),
  'identity.userAgent': (e) => e.request?.userAgent,
  httpMethod: (e) => dash(e.httpMethod),
  // The request path with the stage: `/dev/products/1`.
  path: (e) => dash(e.path),
  protocol: (e) => dash(e.protocol),
  stage: (e) => dash(e.stage),
  apiId: (e) => dash(e.apiId),
  domainPrefix: (e) => dash(e.apiId),
  status: (e) => dash(e.status),
  responseLength: (e) => dash(e.responseLength),
  responseLatency: (e) => String(e.elapsedMs()),
  integrationLatency: (e) => dash(e.integrationLatency),
  'integration.latency': (e) => dash(e.integrationLatency),
  // Lambda's own status for a proxy integration (200 even when the function failed).
  integrationStatus: (e) => dash(e.integrationStatus),
  'integration.integrationStatus': (e) => dash(e.integrationStatus),
  // The status the function returned. Unverified: `-` when it failed or answered something malformed.
  'integration.status': (e) =>
    e.integrationStatus !== '-' && e.integrationErrorMessage === '-' ? dash(e.status) : undefined,
  integrationErrorMessage: (e) => dash(e.integrationErrorMessage),
  'integration.error': (e) => dash(e.integrationErrorMessage),
  'authorizer.error': (e) => dash(e.authorizerError),
  // Listed by earlier revisions of the developer guide only (unverified for HTTP APIs).
  'authorizer.latency': (e) => dash(e.authorizerLatency),
};

/** Why AWS refuses a declared format, or undefined (the wording of AWS's message is unverified). */
export function accessLogFormatError(format: { uses(name: string): boolean }): string | undefined {
  return format.uses('requestId') || format.uses('extendedRequestId')
    ? undefined
    : 'the access log format must contain $context.requestId or $context.extendedRequestId';
}

const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g;

const unset = (): undefined => undefined;

/** `value` as the inside of a JSON string (copied only when it has a quote, a backslash or a control character). */
function escapeJson(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return JSON.stringify(value).slice(1, -1);
  }
  return value;
}

export class AccessLogFormat<T> {
  /** The format as declared. */
  readonly text: string;
  /** The `$context` variable names it uses, in order (repeats kept). */
  readonly variables: readonly string[];
  /** Whether the format is a JSON object (values escaped, extras appended). */
  readonly json: boolean;
  /** Literal text around the variables: `variables.length + 1` pieces. */
  readonly #literals: readonly string[];
  readonly #getters: readonly ContextGetter<T>[];
  /** Per variable: inside a string of a JSON format, so its value is escaped. */
  readonly #escape: readonly boolean[];
  /** JSON formats: the keys the format has, and where its closing brace is in the last literal. */
  readonly #keys: ReadonlySet<string>;
  readonly #closing: number;

  /**
   * `getter(name)` resolves a variable name (without `$context.`) to what reads it; undefined for a
   * variable the gateway does not know (it renders `-`).
   */
  constructor(text: string, getter: (name: string) => ContextGetter<T> | undefined) {
    this.text = text;
    const literals: string[] = [];
    const variables: string[] = [];
    let last = 0;
    for (const m of text.matchAll(VARIABLE)) {
      literals.push(text.slice(last, m.index));
      variables.push(m[1] as string);
      last = m.index + m[0].length;
    }
    literals.push(text.slice(last));
    this.#literals = literals;
    this.variables = variables;
    this.#getters = variables.map((name) => getter(name) ?? unset);

    let keys: Set<string> | undefined;
    try {
      // A placeholder that is valid both inside a string and as a bare value.
      const parsed: unknown = JSON.parse(text.replace(VARIABLE, '0'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        keys = new Set(Object.keys(parsed));
      }
    } catch {
      keys = undefined;
    }
    this.json = keys !== undefined;
    this.#keys = keys ?? new Set();
    const escaped: boolean[] = [];
    let inString = false;
    for (const literal of literals.slice(0, -1)) {
      for (let i = 0; i < literal.length; i++) {
        if (literal[i] === '\\') i++;
        else if (literal[i] === '"') inString = !inString;
      }
      escaped.push(this.json && inString);
    }
    this.#escape = escaped;
    this.#closing = (literals.at(-1) as string).lastIndexOf('}');
  }

  /** Whether the format uses `$context.<name>`. */
  uses(name: string): boolean {
    return this.variables.includes(name);
  }

  /** One line for `source`; `extras` (JSON formats only) become additional keys with string values. */
  render(source: T, extras?: Readonly<Record<string, string>>): string {
    const literals = this.#literals;
    const getters = this.#getters;
    let line = literals[0] as string;
    for (let i = 0; i < getters.length; i++) {
      const value = (getters[i] as ContextGetter<T>)(source);
      const text = value === undefined || value === '' ? '-' : value;
      line += (this.#escape[i] ? escapeJson(text) : text) + (literals[i + 1] as string);
    }
    if (extras === undefined || !this.json) return line;
    let added = '';
    let count = this.#keys.size;
    for (const [key, value] of Object.entries(extras)) {
      if (this.#keys.has(key)) continue;
      added += `${count > 0 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}`;
      count++;
    }
    if (added === '') return line;
    // The closing brace is in the last literal: at this offset from the end of the line.
    const tail = (literals.at(-1) as string).length - this.#closing;
    return line.slice(0, line.length - tail) + added + line.slice(line.length - tail);
  }
}
