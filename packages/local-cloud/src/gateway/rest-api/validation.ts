/**
 * Request validation (a method's request validator): required parameters first, then the body.
 *
 * - Parameters: every `requestParameters` entry set to `true` must be present (headers case-insensitive,
 *   query strings case-sensitive; an empty value counts as present) → else 400
 *   `Missing required request parameters: [a, b]`, names in the order of the sorted parameter keys
 *   (header < path < querystring), which reproduces the recorded `[x-header-param, issuer, qs1]`.
 * - Body: the model for the request's media type (missing `Content-Type` = `application/json`), else the
 *   `$default` model; no model → not validated (unverified). An empty body is validated as `{}`, a body
 *   that is not JSON is invalid → 400 `Invalid request body`, with the schema errors in
 *   `$context.error.validationErrorString` (`[error, error]`, JSON-escaped; the wording is unverified).
 */
import { mediaType } from '../headers.js';
import type { RestMethodConfig } from './config.js';
import type { Exchange } from './exchange.js';
import { GatewayError } from './gateway-responses.js';
import type { SchemaCompiler, SchemaError } from './json-schema.js';
import { headerValue } from './request.js';

const PARAMETER = /^method\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/;

type Presence = (x: Exchange) => boolean;

/** `method.request.<location>.<name>` → [name, is it present?]. Throws on other expressions. */
export function compileRequestParameter(expression: string): [string, Presence] {
  const m = PARAMETER.exec(expression);
  if (!m)
    throw new Error(`request parameter ${expression} is not method.request.{querystring|header|path}.<name>`);
  const location = m[1] as string;
  const name = m[2] as string;
  switch (location) {
    case 'header':
    case 'multivalueheader':
      return [name, (x) => headerValue(x.request, name) !== undefined];
    case 'querystring':
    case 'multivaluequerystring':
      return [name, (x) => x.request.queryPairs.some(([n]) => n === name)];
    default:
      return [name, (x) => x.pathParameters?.[name] !== undefined];
  }
}

export class RequestValidation {
  readonly #required: ReadonlyArray<[string, Presence]>;
  readonly #models: ReadonlyMap<string, (value: unknown) => SchemaError[]>;

  /** Undefined when the method validates nothing. Throws on unknown models or invalid schemas. */
  static compile(method: RestMethodConfig, schemas: SchemaCompiler): RequestValidation | undefined {
    const validator = method.requestValidator;
    const parameters = validator?.validateRequestParameters === true;
    const body = validator?.validateRequestBody === true;
    const required = parameters
      ? Object.entries(method.requestParameters ?? {})
          .filter(([, isRequired]) => isRequired)
          .map(([expression]) => expression)
          .sort()
          .map(compileRequestParameter)
      : [];
    const models = new Map<string, (value: unknown) => SchemaError[]>();
    if (body) {
      for (const [contentType, model] of Object.entries(method.requestModels ?? {})) {
        models.set(contentType === '$default' ? contentType : mediaType(contentType), schemas.model(model));
      }
    }
    if (required.length === 0 && models.size === 0) return undefined;
    return new RequestValidation(required, models);
  }

  private constructor(
    required: ReadonlyArray<[string, Presence]>,
    models: ReadonlyMap<string, (value: unknown) => SchemaError[]>,
  ) {
    this.#required = required;
    this.#models = models;
  }

  validate(x: Exchange): GatewayError | undefined {
    const missing = this.#required.filter(([, present]) => !present(x)).map(([name]) => name);
    if (missing.length > 0) {
      return new GatewayError(
        'BAD_REQUEST_PARAMETERS',
        `Missing required request parameters: [${missing.join(', ')}]`,
        {
          detail: 'request parameter validation failed',
        },
      );
    }
    if (this.#models.size === 0) return undefined;
    const type = mediaType(headerValue(x.request, 'content-type')) || 'application/json';
    const validate = this.#models.get(type) ?? this.#models.get('$default');
    if (validate === undefined) return undefined;
    let errors: SchemaError[];
    const text = x.request.body?.toString('utf8') ?? '';
    try {
      errors = validate(text.trim() === '' ? {} : JSON.parse(text));
    } catch {
      errors = [{ pointer: '', message: 'the body is not valid JSON' }];
    }
    if (errors.length === 0) return undefined;
    // JSON-escaped without quotes, so `"$context.error.validationErrorString"` in a template stays valid JSON.
    const validationErrorString = JSON.stringify(`[${errors.map((e) => e.message).join(', ')}]`).slice(1, -1);
    return new GatewayError('BAD_REQUEST_BODY', 'Invalid request body', {
      validationErrorString,
      detail: `request body validation failed: ${errors.map((e) => `${e.pointer || '/'}: ${e.message}`).join('; ')}`,
    });
  }
}
