/**
 * TEST-ONLY — builders for API Gateway proxy events shaped exactly like the captured samples in
 * `test/fixtures/` (which is where their constants come from): the same fields, `null` where API Gateway
 * sends `null`, absent where it leaves a field out, the same header casing rules. Never import this from
 * a handler or anything a handler imports (see ./index.ts).
 *
 * Each builder takes the parts a test cares about (route, path, headers, query, body, authorizer) and
 * derives everything API Gateway derives from them, so the copies always agree: the REST
 * `requestContext.path` with the stage, `multiValue*` maps, the HTTP API `rawPath`, `rawQueryString` and
 * `requestContext.http`, the WebSocket `eventType` from the route key.
 */
import type { APIGatewayEventIdentity } from 'aws-lambda';
import type { HttpApiEvent, LambdaAuthorizerContext, RestApiEvent, WebSocketEvent } from '../events';

/** Query string parameters; an array is a parameter sent several times (`?tag=a&tag=b`). */
export type QueryParams = Readonly<Record<string, string | readonly string[]>>;
/** Headers, path parameters, stage variables. */
export type StringMap = Readonly<Record<string, string>>;

/** Verified JWT claims as an HTTP API JWT authorizer passes them: every value a string (`exp` too). */
export type JwtClaims = Readonly<Record<string, string>>;

const ACCOUNT_ID = '123456789012';
const SOURCE_IP = '15.248.3.126';
const USER_AGENT = 'curl/8.5.0';
const TRACE_ID = 'Root=1-66705b09-5f85233d2fb7bd54034f7e30';
/** A JWT-shaped placeholder for the `Authorization` header; the claims the handler sees are the option's. */
const BEARER_TOKEN = 'Bearer eyJraWQiOiJ0ZXN0LWtleSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';

/** `17/Jun/2024:15:49:29 +0000`: the time format of `requestTime` (REST, WebSocket) and `time` (HTTP API). */
function requestTime(epochMs: number): string {
  // toUTCString(): `Mon, 17 Jun 2024 15:49:29 GMT`
  const [, day, month, year, time] = new Date(epochMs).toUTCString().split(' ');
  return `${day}/${month}/${year}:${time} +0000`;
}

/** The body as sent: a string unchanged, anything else as JSON; `undefined` = no body. */
function serialize(body: unknown): string | undefined {
  return body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
}

/** The headers a client sends with a body: JSON unless the test's own headers say otherwise. */
function bodyHeaders(body: string | undefined): Record<string, string> {
  return body === undefined
    ? {}
    : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
}

/** Defaults overridden by the test's headers, matched case-insensitively (no `Origin` next to `origin`). */
function mergeHeaders(defaults: StringMap, given: StringMap = {}): Record<string, string> {
  const overridden = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const kept = Object.entries(defaults).filter(([name]) => !overridden.has(name.toLowerCase()));
  return { ...Object.fromEntries(kept), ...given };
}

function headerValue(headers: StringMap, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function multiValue(map: QueryParams): Record<string, string[]> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, [value].flat()]));
}

/** What REST and WebSocket put in `queryStringParameters`: the last value of a repeated parameter. */
function lastValues(query: QueryParams): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, [value].flat().at(-1) ?? '']),
  );
}

/** `/notes/{id}` + `{ id: 'n1' }` → `/notes/n1` (greedy `{proxy+}` too); unknown parameters stay as is. */
function fillPath(template: string, pathParameters: StringMap = {}): string {
  return template.replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => pathParameters[name] ?? whole);
}

// ---------------------------------------------------------------------------------------------------
// REST API (payload 1.0) proxy event — test/fixtures/rest-no-auth.json

export interface RestApiEventOptions {
  /** `httpMethod`; default `GET`. */
  method?: string;
  /** The API resource the request matched, e.g. `/notes/{id}`; default `/`. */
  resource?: string;
  /** The request path **without** the stage; default: `resource` with `pathParameters` filled in. */
  path?: string;
  pathParameters?: StringMap;
  query?: QueryParams;
  /** Merged over a curl-like default set. REST keeps the client's casing; `multiValueHeaders` follows. */
  headers?: StringMap;
  /**
   * A string is sent as is, anything else as JSON; either way with `Content-Type: application/json`
   * (and `Content-Length`) unless `headers` says otherwise.
   */
  body?: unknown;
  isBase64Encoded?: boolean;
  /**
   * `requestContext.authorizer` as a Lambda authorizer leaves it: `principalId`, `integrationLatency`
   * and its context keys. Absent by default (a route without authorizer has no `authorizer` key).
   */
  authorizer?: LambdaAuthorizerContext;
  /** Default `prod`. */
  stage?: string;
  stageVariables?: StringMap;
}

const REST_API = { id: 'puhdx84jy9', domain: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com' };
const REST_TIME_EPOCH = 1718635693506;

export function restApiEvent(options: RestApiEventOptions = {}): RestApiEvent {
  const method = options.method ?? 'GET';
  const resource = options.resource ?? '/';
  const path = options.path ?? fillPath(resource, options.pathParameters);
  const stage = options.stage ?? 'prod';
  const body = serialize(options.body);
  const headers = mergeHeaders(
    {
      Accept: '*/*',
      ...bodyHeaders(body),
      Host: REST_API.domain,
      'User-Agent': USER_AGENT,
      'X-Amzn-Trace-Id': TRACE_ID,
      'X-Forwarded-For': SOURCE_IP,
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    },
    options.headers,
  );
  const query = options.query && Object.keys(options.query).length > 0 ? options.query : undefined;
  // As captured: `identity` has no `apiKey`, `apiKeyId` or `clientCert` (no API key or mTLS on the
  // method), and there is no `authorizer` key on a route without authorizer. @types/aws-lambda declares
  // those required, hence the casts.
  const identity = {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    sourceIp: SOURCE_IP,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: headerValue(headers, 'user-agent') ?? null,
    user: null,
  } as APIGatewayEventIdentity;
  const requestContext = {
    resourceId: '3nq1cq',
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    resourcePath: resource,
    httpMethod: method,
    extendedRequestId: 'ZhDrKF5dDoEEHfA=',
    requestTime: requestTime(REST_TIME_EPOCH),
    path: `/${stage}${path}`,
    accountId: ACCOUNT_ID,
    protocol: 'HTTP/1.1',
    stage,
    domainPrefix: REST_API.id,
    requestTimeEpoch: REST_TIME_EPOCH,
    requestId: 'f88e38e3-2060-4a56-93c0-9efbc6a659a0',
    identity,
    domainName: REST_API.domain,
    deploymentId: 'v99qix',
    apiId: REST_API.id,
  } as RestApiEvent['requestContext'];
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: multiValue(headers),
    queryStringParameters: query ? lastValues(query) : null,
    multiValueQueryStringParameters: query ? multiValue(query) : null,
    pathParameters: options.pathParameters ? { ...options.pathParameters } : null,
    stageVariables: options.stageVariables ? { ...options.stageVariables } : null,
    requestContext,
    body: body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

// ---------------------------------------------------------------------------------------------------
// HTTP API (payload 2.0) event — test/fixtures/http-no-auth.json, http-jwt-authorizer.json

export interface HttpApiEventOptions {
  /** e.g. `PATCH /notes/{id}`; default `GET /`. */
  routeKey?: string;
  /** `requestContext.http.method`; default: the route key's method (`GET` for `$default`). */
  method?: string;
  /** `rawPath`, e.g. `/notes/0195…`; default: the route key's path with `pathParameters` filled in. */
  path?: string;
  pathParameters?: StringMap;
  /** Repeated parameters are comma-joined in `queryStringParameters`, as HTTP APIs do. */
  query?: QueryParams;
  /** Merged over a curl-like default set; names are lowercased, as HTTP APIs do. */
  headers?: StringMap;
  /** What HTTP APIs move out of the `Cookie` header: `['session=…', 'theme=dark']`. */
  cookies?: readonly string[];
  /**
   * A string is sent as is, anything else as JSON; either way with `content-type: application/json`
   * (and `content-length`) unless `headers` says otherwise.
   */
  body?: unknown;
  isBase64Encoded?: boolean;
  /**
   * Verified claims of a JWT authorizer (all strings), or `null`/absent for a route without authorizer.
   * With claims the event also carries an `authorization: Bearer …` header.
   */
  claims?: JwtClaims | null;
  /** `authorizer.jwt.scopes`; default: the `scope` claim split on spaces, `null` when there is none. */
  scopes?: readonly string[] | null;
  /** Default `$default`. */
  stage?: string;
}

const HTTP_API = { id: 'lsw1ro4ipb', domain: 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com' };
const HTTP_TIME_EPOCH = 1718639369348;

export function httpApiEvent(options: HttpApiEventOptions = {}): HttpApiEvent {
  const routeKey = options.routeKey ?? 'GET /';
  const [routeMethod, routePath] = routeKey === '$default' ? [] : routeKey.split(' ');
  const method = options.method ?? routeMethod ?? 'GET';
  const path = options.path ?? fillPath(routePath ?? '/', options.pathParameters);
  const body = serialize(options.body);
  const { claims } = options;
  const merged = mergeHeaders(
    {
      accept: '*/*',
      ...(claims ? { authorization: BEARER_TOKEN } : {}),
      ...bodyHeaders(body),
      host: HTTP_API.domain,
      'user-agent': USER_AGENT,
      'x-amzn-trace-id': TRACE_ID,
      'x-forwarded-for': SOURCE_IP,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    options.headers,
  );
  const headers = Object.fromEntries(
    Object.entries(merged).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const query = Object.entries(options.query ?? {});
  const rawQueryString = new URLSearchParams(
    query.flatMap(([name, value]) => [value].flat().map((one): [string, string] => [name, one])),
  ).toString();
  const scopes = options.scopes !== undefined ? options.scopes : (claims?.scope?.split(' ') ?? null);
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    ...(options.cookies ? { cookies: [...options.cookies] } : {}),
    headers,
    ...(query.length > 0
      ? {
          queryStringParameters: Object.fromEntries(
            query.map(([name, value]) => [name, [value].flat().join(',')]),
          ),
        }
      : {}),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: HTTP_API.id,
      ...(claims
        ? { authorizer: { jwt: { claims: { ...claims }, scopes: scopes ? [...scopes] : null } } }
        : {}),
      domainName: HTTP_API.domain,
      domainPrefix: HTTP_API.id,
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: SOURCE_IP,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'ZhMpgigvDoEEPlg=',
      routeKey,
      stage: options.stage ?? '$default',
      time: requestTime(HTTP_TIME_EPOCH),
      timeEpoch: HTTP_TIME_EPOCH,
    },
    ...(options.pathParameters ? { pathParameters: { ...options.pathParameters } } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

// ---------------------------------------------------------------------------------------------------
// WebSocket proxy event — test/fixtures/ws-connect.json, ws-message.json, Powertools' $disconnect capture

export interface WebSocketEventOptions {
  /** `$connect`, `$disconnect`, `$default` or a custom route (`chat`); default `$default`. Sets eventType. */
  routeKey?: string;
  connectionId?: string;
  /** `$connect` / `$disconnect` only: merged over the handshake headers (client casing kept). */
  headers?: StringMap;
  /** `$connect` only: the handshake URL's query string (browsers put the token there). */
  query?: QueryParams;
  /** Message routes: a string is sent as is, anything else as JSON; default `''`. */
  body?: unknown;
  /** What the `$connect` REQUEST authorizer returned; API Gateway repeats it on the connection's events. */
  authorizer?: LambdaAuthorizerContext;
  /** `$disconnect` only; default 1005 / `Client-side close frame status not set`. */
  disconnectStatusCode?: number;
  disconnectReason?: string;
  /** Default `prod`. */
  stage?: string;
}

const WS_API = { id: 'fjnq7njcv2', domain: 'fjnq7njcv2.execute-api.us-east-1.amazonaws.com' };
const WS_CONNECTED_AT = 1731324924553;

export function webSocketEvent(options: WebSocketEventOptions = {}): WebSocketEvent {
  const routeKey = options.routeKey ?? '$default';
  const eventType =
    routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';
  const epoch = WS_CONNECTED_AT + { CONNECT: 8, MESSAGE: 21_961, DISCONNECT: 385_322 }[eventType];
  const requestId = {
    CONNECT: 'BFHPhFe3IAMF95g=',
    MESSAGE: 'BFaVtH2HoAMFZEQ=',
    DISCONNECT: 'BFbOeE87IAMF31w=',
  }[eventType];
  const requestContext: WebSocketEvent['requestContext'] = {
    routeKey,
    ...(eventType === 'MESSAGE' ? { messageId: 'BFaVtfGSIAMCKug=' } : {}),
    ...(eventType === 'DISCONNECT' ? { disconnectStatusCode: options.disconnectStatusCode ?? 1005 } : {}),
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(epoch),
    messageDirection: 'IN',
    ...(eventType === 'DISCONNECT'
      ? { disconnectReason: options.disconnectReason ?? 'Client-side close frame status not set' }
      : {}),
    stage: options.stage ?? 'prod',
    connectedAt: WS_CONNECTED_AT,
    requestTimeEpoch: epoch,
    identity: { sourceIp: '166.90.225.1' },
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    requestId,
    domainName: WS_API.domain,
    connectionId: options.connectionId ?? 'BFHPhfCWIAMCKlQ=',
    apiId: WS_API.id,
  };
  if (eventType === 'MESSAGE') {
    return { requestContext, body: serialize(options.body) ?? '', isBase64Encoded: false };
  }
  const handshake: StringMap =
    eventType === 'CONNECT'
      ? {
          Host: WS_API.domain,
          'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
          'Sec-WebSocket-Key': '+W5xw47OHh3OTFsWKjGu9Q==',
          'Sec-WebSocket-Version': '13',
          'X-Amzn-Trace-Id': 'Root=1-6731ebfc-08e1e656421db73c5d2eef31',
          'X-Forwarded-For': '166.90.225.1',
          'X-Forwarded-Port': '443',
          'X-Forwarded-Proto': 'https',
        }
      : { Host: WS_API.domain, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  const headers = mergeHeaders(handshake, options.headers);
  const query =
    eventType === 'CONNECT' && options.query && Object.keys(options.query).length > 0
      ? options.query
      : undefined;
  return {
    headers,
    multiValueHeaders: multiValue(headers),
    ...(query
      ? { queryStringParameters: lastValues(query), multiValueQueryStringParameters: multiValue(query) }
      : {}),
    requestContext,
    isBase64Encoded: false,
  };
}
