/**
 * Request decoding: JSON body parsing and zod validation of body, path parameters and query string.
 * Failures are client errors (400/415) raised as typed errors, so the one error handler answers them.
 */
import type { z } from 'zod';
import { BadRequest, UnsupportedMediaType, ValidationError, type ValidationIssue } from './errors';

/** Any zod schema. Its output type (after transforms and coercion) is what the handler receives. */
export type Schema = z.ZodType;

/** The type a handler sees for one request part: the schema's output, or `Fallback` without a schema. */
export type Parsed<S extends Schema | undefined, Fallback> = S extends Schema ? z.output<S> : Fallback;

/** Path parameters and query strings as API Gateway delivers them (all strings). */
export type Params = Readonly<Record<string, string | undefined>>;

// application/json, application/problem+json, application/json; charset=utf-8 …
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Parses a JSON request body. No body → `undefined` (a schema decides whether that is allowed).
 * A body declared as something other than JSON → 415. No Content-Type → parsed as JSON anyway: some
 * clients (and API Gateway's test console) omit it, and a JSON parse error is still a clear 400.
 */
export function parseJsonBody(
  body: string | null | undefined,
  isBase64Encoded: boolean | undefined,
  contentType: string | undefined,
): unknown {
  if (body === null || body === undefined || body === '') return undefined;
  if (contentType !== undefined && !JSON_MEDIA_TYPE.test(contentType)) {
    throw new UnsupportedMediaType('Content-Type must be application/json');
  }
  return parseJson(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
}

/** `JSON.parse` whose failure is the client's fault: 400, not 500 (and not middy's 415/422). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('Request body is not valid JSON');
  }
}

export interface RequestParts {
  body: unknown;
  path: Params;
  query: Params;
}

/** Each part is now of its schema's output type; the factory states those types (see http.ts). */
export interface ValidatedParts {
  body: unknown;
  path: unknown;
  query: unknown;
}

export interface RequestSchemas {
  body?: Schema | undefined;
  path?: Schema | undefined;
  query?: Schema | undefined;
}

/**
 * Validates every part that has a schema and reports all failing fields together (a client fixing its
 * request should not have to discover errors one round trip at a time). Parts without a schema pass
 * through unchanged. zod objects strip unknown keys, so a body cannot smuggle in fields such as `id`.
 */
export async function validateRequest(parts: RequestParts, schemas: RequestSchemas): Promise<ValidatedParts> {
  const issues: ValidationIssue[] = [];
  const check = async (part: ValidationIssue['in'], schema: Schema | undefined, value: unknown) => {
    if (!schema) return value;
    const result = await schema.safeParseAsync(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      issues.push({ in: part, path: issue.path.map(String).join('.'), message: issue.message });
    }
    return undefined;
  };
  const [body, path, query] = await Promise.all([
    check('body', schemas.body, parts.body),
    check('path', schemas.path, parts.path),
    check('query', schemas.query, parts.query),
  ]);
  if (issues.length > 0) throw new ValidationError(issues);
  return { body, path, query };
}
