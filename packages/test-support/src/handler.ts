/**
 * Reading what an API Gateway proxy handler returned the way a test asserts on it. REST (payload 1.0)
 * results always carry a status and a string body, `''` when there is none; HTTP API (2.0) results may
 * leave both out. Either way a test sees one shape.
 */

/** A proxy handler's answer: status, headers, and the body parsed from JSON. */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  body: any;
}

export interface ProxyResult {
  statusCode?: number;
  headers?: Record<string, unknown>;
  body?: string;
}

/** The answer of a proxy result: a missing status is 200 (as HTTP APIs read it), an empty body `undefined`. */
export function answerOf(result: ProxyResult): Answer {
  return {
    status: result.statusCode ?? 200,
    headers: result.headers ?? {},
    body: result.body === undefined || result.body === '' ? undefined : JSON.parse(result.body),
  };
}
