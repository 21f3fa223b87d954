/**
 * The "network bootstrap": inside a worker, before the handler is imported, calls to AWS hostnames that
 * the local cloud serves itself (API Gateway's `execute-api`, Cognito) are sent to local listeners, so a
 * handler reaches them with its unchanged `https://…amazonaws.com` URLs (design principle 2).
 * AWS SDK clients need none of this: they read `AWS_ENDPOINT_URL_<SERVICE>` from the environment.
 */
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import type { HostRewrite } from './types';

export interface CompiledRewrite {
  readonly pattern: RegExp;
  readonly target: URL;
  /** The target's path without a trailing slash, put before the original path. */
  readonly prefix: string;
}

export interface Rewritten {
  readonly url: URL;
  readonly originalHost: string;
  readonly rule: CompiledRewrite;
}

function hostPattern(host: string | RegExp): RegExp {
  if (host instanceof RegExp) return new RegExp(host.source, host.flags.replace(/[gy]/g, ''));
  const source = host
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^.]+');
  return new RegExp(`^${source}$`, 'i');
}

/** Validates and compiles rewrite rules; throws on a target that is not an http(s) URL. */
export function compileHostRewrites(rules: readonly HostRewrite[]): CompiledRewrite[] {
  return rules.map(({ host, target }) => {
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`host rewrite target must be an http(s) URL, got ${target}`);
    }
    return { pattern: hostPattern(host), target: url, prefix: url.pathname.replace(/\/+$/, '') };
  });
}

function findRule(rules: readonly CompiledRewrite[], hostname: string): CompiledRewrite | undefined {
  return rules.find((rule) => rule.pattern.test(hostname));
}

/** Where a request for `href` goes instead, or `undefined` when no rule matches. */
export function rewriteUrl(rules: readonly CompiledRewrite[], href: string): Rewritten | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const rule = findRule(rules, url.hostname);
  if (rule === undefined) return undefined;
  const next = new URL(rule.target.origin);
  next.pathname = rule.prefix + url.pathname;
  next.search = url.search;
  return { url: next, originalHost: url.host, rule };
}

type Fetch = typeof globalThis.fetch;

function rewritingFetch(rules: readonly CompiledRewrite[], original: Fetch): Fetch {
  return function fetch(input, init) {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const rewritten = rewriteUrl(rules, href);
    if (rewritten === undefined) return original(input, init);
    const request = new Request(rewritten.url, new Request(input, init));
    // fetch cannot send a Host header of its own choosing; proxies' convention carries it instead.
    request.headers.set('x-forwarded-host', rewritten.originalHost);
    request.headers.set('x-forwarded-proto', 'https');
    return original(request);
  };
}

type RequestCallback = (res: http.IncomingMessage) => void;
type RequestFn = (...args: unknown[]) => http.ClientRequest;

/** Request headers as an object, also when given as raw `[name, value, name, value…]` pairs. */
function headerObject(headers: https.RequestOptions['headers']): http.OutgoingHttpHeaders {
  if (headers === undefined || !Array.isArray(headers))
    return { ...(headers as http.OutgoingHttpHeaders | undefined) };
  const pairs = headers as readonly string[];
  const result: http.OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) result[pairs[i] as string] = pairs[i + 1];
  return result;
}

/** Normalises `https.request(url?, options?, callback?)` and rewrites it when the host matches. */
function rewriteRequestArgs(
  rules: readonly CompiledRewrite[],
  args: readonly unknown[],
): { options: https.RequestOptions; callback?: RequestCallback; rule: CompiledRewrite } | undefined {
  const [first, second, third] = args;
  let url: URL | undefined;
  let options: https.RequestOptions;
  let callback: unknown;
  if (typeof first === 'string' || first instanceof URL) {
    url = new URL(first);
    options = typeof second === 'object' && second !== null ? (second as https.RequestOptions) : {};
    callback = typeof second === 'function' ? second : third;
  } else {
    options = typeof first === 'object' && first !== null ? (first as https.RequestOptions) : {};
    callback = second;
  }
  const hostname = options.hostname ?? options.host ?? url?.hostname ?? 'localhost';
  const rule = findRule(rules, hostname);
  if (rule === undefined) return undefined;

  const port = options.port ?? (url?.port || undefined);
  const originalHost = port === undefined || Number(port) === 443 ? hostname : `${hostname}:${port}`;
  const originalPath = options.path ?? (url === undefined ? '/' : `${url.pathname}${url.search}`);
  const headers = headerObject(options.headers);
  // Keep a Host header the caller set (SigV4 signs it); otherwise send the original one.
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'host')) headers.host = originalHost;
  headers['x-forwarded-host'] = originalHost;
  headers['x-forwarded-proto'] = 'https';
  return {
    options: {
      ...options,
      protocol: rule.target.protocol,
      host: rule.target.hostname,
      hostname: rule.target.hostname,
      port: rule.target.port || (rule.target.protocol === 'https:' ? 443 : 80),
      path: rule.prefix + originalPath,
      headers,
      // An https.Agent cannot carry a plain-http request; a custom http agent can.
      agent: options.agent instanceof https.Agent ? undefined : options.agent,
    },
    callback: typeof callback === 'function' ? (callback as RequestCallback) : undefined,
    rule,
  };
}

function rewritingRequest(
  rules: readonly CompiledRewrite[],
  original: RequestFn,
  viaHttp: RequestFn,
  viaHttps: RequestFn,
): RequestFn {
  return function request(this: unknown, ...args: unknown[]) {
    const rewritten = rewriteRequestArgs(rules, args);
    if (rewritten === undefined) return Reflect.apply(original, this, args);
    const send = rewritten.rule.target.protocol === 'http:' ? viaHttp : viaHttps;
    return rewritten.callback === undefined
      ? send(rewritten.options)
      : send(rewritten.options, rewritten.callback);
  };
}

/** Patches `globalThis.fetch` and `node:https` request/get in this thread. No-op without rules. */
export function installHostRewrites(rewrites: readonly HostRewrite[]): void {
  if (rewrites.length === 0) return;
  const rules = compileHostRewrites(rewrites);
  globalThis.fetch = rewritingFetch(rules, globalThis.fetch);
  const original = { request: https.request as RequestFn, get: https.get as RequestFn };
  Object.assign(https, {
    request: rewritingRequest(rules, original.request, http.request as RequestFn, original.request),
    get: rewritingRequest(rules, original.get, http.get as RequestFn, original.get),
  });
  // ESM `import { request } from 'node:https'` bindings follow the patched CommonJS exports.
  syncBuiltinESMExports();
}
