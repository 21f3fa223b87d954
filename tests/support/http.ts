/** JSON over fetch, as the API clients send and read it. */

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (undefined when empty). */
  body: T;
  /** `x-amzn-RequestId`: the gateway's id of the request, also the access log's `requestId`. */
  requestId: string | null;
}

export interface RequestOptions {
  /** Sent as JSON with `content-type: application/json`; a string is sent as is (e.g. malformed JSON). */
  body?: unknown;
  /** Sent last: they override the client's own headers and the content type. */
  headers?: Record<string, string>;
}

/** Sends `method path` to the API at `apiUrl` (`path` relative to it, so a stage in the URL is kept). */
export async function send<T>(
  apiUrl: string,
  method: string,
  path: string,
  clientHeaders: Record<string, string>,
  init: RequestOptions,
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...clientHeaders };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, init.headers);
  const response = await fetch(new URL(path.replace(/^\//, ''), apiUrl), {
    method,
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: parseBody(text) as T,
    requestId: response.headers.get('x-amzn-requestid'),
  };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
