/**
 * Lambda events: the proxy integration event in payload 2.0 and 1.0, and the Lambda authorizer's REQUEST
 * event in both versions. Shapes follow the developer guide and the captured samples in
 * `reference/events/` (absent optional fields are left out in 2.0, `null` in 1.0).
 *
 * 2.0: lower-cased headers with repeats joined by `,` and without `cookie` (moved to `cookies`), query
 * parameters joined by `,`, `rawPath` and `requestContext.http.path` with the stage prefix of a named
 * stage, `body` base64-encoded unless the content type is text (`text/*`, `application/json`,
 * `application/xml`, `application/javascript` — the split observed on AWS; notably form posts and a
 * missing content type are base64).
 *
 * 1.0 (REST's shape plus `version`): `headers`/`queryStringParameters` hold the last value and the
 * `multiValue*` fields all of them. Chosen where unverified: header names are lower-cased as in 2.0; `path`
 * keeps the stage prefix; the `$default` route's `resource` is `$default`; without an authorizer
 * `requestContext.authorizer` is `{"claims":null,"scopes":null}` as in the developer guide's sample.
 */
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2WithRequestContext } from 'aws-lambda';
import { formatClfTime } from '../clf-time.js';
import { HOP_BY_HOP, mediaType, splitCookies } from '../headers.js';
import type { Exchange } from './compile.js';

/** What an authorizer established about the caller. */
export type Authorization =
  | {
      readonly kind: 'jwt';
      /** Claims as strings (see `stringifyClaims`). */
      readonly claims: Readonly<Record<string, string>>;
      /** Matched route scopes; null when the route has none. */
      readonly scopes: string[] | null;
    }
  | {
      readonly kind: 'lambda';
      readonly context: Readonly<Record<string, unknown>> | null;
      readonly principalId: string | undefined;
      /** How long the authorizer took (0 for a cached result). */
      readonly latencyMs: number;
    };

type AuthorizerV2 =
  | { jwt: { claims: Readonly<Record<string, string>>; scopes: string[] | null } }
  | { lambda: Readonly<Record<string, unknown>> | null };

export type RequestContextV2 = APIGatewayEventRequestContextV2 & { authorizer?: AuthorizerV2 };
export type ProxyEventV2 = APIGatewayProxyEventV2WithRequestContext<RequestContextV2>;

const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

function isTextBody(headers: Readonly<Record<string, string>>): boolean {
  const type = mediaType(headers['content-type']);
  return type.startsWith('text/') || TEXT_TYPES.has(type);
}

function requestContextV2(x: Exchange): RequestContextV2 {
  const { api, request } = x;
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: api.domainName,
    domainPrefix: api.apiId,
    http: {
      method: request.method,
      path: request.path,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    },
    requestId: request.requestId,
    routeKey: x.route.routeKey,
    stage: x.stage.name,
    time: formatClfTime(request.timeEpoch),
    timeEpoch: request.timeEpoch,
  };
}

function authorizerV2(auth: Authorization): AuthorizerV2 {
  return auth.kind === 'jwt'
    ? { jwt: { claims: auth.claims, scopes: auth.scopes } }
    : { lambda: auth.context };
}

export function buildEventV2(x: Exchange, auth: Authorization | undefined): ProxyEventV2 {
  const { request } = x;
  const requestContext = requestContextV2(x);
  if (auth !== undefined) requestContext.authorizer = authorizerV2(auth);
  const event: ProxyEventV2 = {
    version: '2.0',
    routeKey: x.route.routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQueryString,
    headers: request.headers,
    requestContext,
    isBase64Encoded: false,
  };
  if (request.cookieHeaders !== undefined) event.cookies = splitCookies(request.cookieHeaders);
  if (request.query !== undefined) event.queryStringParameters = request.query;
  if (request.body !== undefined) {
    const text = isTextBody(request.headers);
    event.body = request.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  if (x.pathParameters !== undefined) event.pathParameters = x.pathParameters;
  if (x.stage.stageVariables !== undefined) event.stageVariables = x.stage.stageVariables;
  return event;
}

export function routeArn(x: Exchange): string {
  const { api } = x;
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${x.stage.name}/${x.request.method}${x.routePath}`;
}

/** The 2.0 Lambda authorizer event (`type: REQUEST`). */
export function buildAuthorizerEventV2(x: Exchange, identitySource: string[] | null) {
  const { request } = x;
  return {
    version: '2.0' as const,
    type: 'REQUEST' as const,
    routeArn: routeArn(x),
    identitySource,
    routeKey: x.route.routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQueryString,
    ...(request.cookieHeaders !== undefined ? { cookies: splitCookies(request.cookieHeaders) } : {}),
    headers: request.headers,
    ...(request.query !== undefined ? { queryStringParameters: request.query } : {}),
    requestContext: requestContextV2(x),
    ...(x.pathParameters !== undefined ? { pathParameters: x.pathParameters } : {}),
    ...(x.stage.stageVariables !== undefined ? { stageVariables: x.stage.stageVariables } : {}),
  };
}

// ---- payload 1.0 ----

/** Headers the gateway sets or extends (request.ts); their final values come from the 2.0 collection. */
const GATEWAY_HEADERS = new Set([
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-amzn-trace-id',
]);

function headersV1(x: Exchange): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const { rawHeaders, headers: collected } = x.request;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || GATEWAY_HEADERS.has(name) || name === '__proto__') continue;
    const value = rawHeaders[i + 1] as string;
    headers[name] = value;
    const values = multiValueHeaders[name];
    if (values === undefined) multiValueHeaders[name] = [value];
    else values.push(value);
  }
  for (const name of GATEWAY_HEADERS) {
    const value = collected[name] as string;
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  return { headers, multiValueHeaders };
}

function queryV1(x: Exchange): {
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
} {
  if (x.request.queryPairs.length === 0)
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of x.request.queryPairs) {
    single[name] = value;
    const values = multi[name];
    if (values === undefined) multi[name] = [value];
    else values.push(value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

function resourceOf(x: Exchange): string {
  return x.route.template === null ? '$default' : x.route.template.path;
}

function requestContextV1(x: Exchange, authorizer: Record<string, unknown> | undefined) {
  const { api, request } = x;
  return {
    accountId: api.accountId,
    apiId: api.apiId,
    ...(authorizer !== undefined ? { authorizer } : {}),
    domainName: api.domainName,
    domainPrefix: api.apiId,
    extendedRequestId: request.requestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: request.userAgent,
      userArn: null,
    },
    path: request.path,
    protocol: request.protocol,
    requestId: request.requestId,
    requestTime: formatClfTime(request.timeEpoch),
    requestTimeEpoch: request.timeEpoch,
    resourceId: null,
    resourcePath: resourceOf(x),
    stage: x.stage.name,
  };
}

/** REST-style stringification of a Lambda authorizer's context for payload 1.0 (unverified for HTTP APIs). */
function authorizerV1(auth: Authorization | undefined): Record<string, unknown> {
  if (auth === undefined) return { claims: null, scopes: null };
  if (auth.kind === 'jwt') return { claims: auth.claims, scopes: auth.scopes };
  const authorizer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(auth.context ?? {})) {
    authorizer[key] = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  }
  if (auth.principalId !== undefined) authorizer.principalId = auth.principalId;
  authorizer.integrationLatency = auth.latencyMs;
  return authorizer;
}

export function buildEventV1(x: Exchange, auth: Authorization | undefined) {
  const { request } = x;
  const text = request.body === undefined || isTextBody(request.headers);
  return {
    version: '1.0' as const,
    resource: resourceOf(x),
    path: request.path,
    httpMethod: request.method,
    ...headersV1(x),
    ...queryV1(x),
    requestContext: requestContextV1(x, authorizerV1(auth)),
    pathParameters: x.pathParameters ?? null,
    stageVariables: x.stage.stageVariables ?? null,
    body: request.body === undefined ? null : request.body.toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
  };
}

/** The 1.0 Lambda authorizer event: the REST REQUEST authorizer shape plus `version`. */
export function buildAuthorizerEventV1(x: Exchange, identitySource: string[] | null) {
  const joined = identitySource?.join(',') ?? '';
  return {
    version: '1.0' as const,
    type: 'REQUEST' as const,
    methodArn: routeArn(x),
    identitySource: joined,
    authorizationToken: joined,
    resource: resourceOf(x),
    path: x.request.path,
    httpMethod: x.request.method,
    ...headersV1(x),
    ...queryV1(x),
    pathParameters: x.pathParameters ?? null,
    stageVariables: x.stage.stageVariables ?? null,
    requestContext: requestContextV1(x, undefined),
  };
}
