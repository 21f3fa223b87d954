/**
 * Lambda events of a REST API, shaped like the captured samples (`reference/events/rest-*.json`,
 * Powertools' `apigw-rest/*.json`) and the recorded LocalStack snapshots (§5.1):
 *
 * - proxy (payload 1.0): `path` without the stage, `requestContext.path` with it; `resource` and
 *   `resourcePath` are the resource template; `headers`/`queryStringParameters` hold the last value and
 *   the `multiValue*` fields all of them; absent query, path parameters, stage variables and body are
 *   `null`; header names keep the client's casing (sorted case-insensitively, as AWS delivers them);
 *   `Content-Length` is not forwarded; `identity.apiKey`/`apiKeyId` appear only when a key was checked;
 *   `authorizer` = `{principalId, integrationLatency, …context}` with context values as strings.
 * - TOKEN authorizer: `{type, methodArn, authorizationToken}`.
 * - REQUEST authorizer: the proxy shape without body, `{}` instead of `null` for empty maps (as captured),
 *   `Content-Length` kept, no `authorizer` in the request context.
 */
import { isUtf8 } from 'node:buffer';
import { formatClfTime } from '../clf-time.js';
import { mediaType } from '../headers.js';
import type { Exchange } from './exchange.js';

type StringMap = Record<string, string>;
type MultiMap = Record<string, string[]>;

function headerMaps(
  x: Exchange,
  keepContentLength: boolean,
): { headers: StringMap; multiValueHeaders: MultiMap } {
  const entries = [...x.request.headers.entries()]
    .filter(([lower]) => keepContentLength || lower !== 'content-length')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const headers: StringMap = {};
  const multiValueHeaders: MultiMap = {};
  for (const [, { name, values }] of entries) {
    headers[name] = values[values.length - 1] as string;
    multiValueHeaders[name] = [...values];
  }
  return { headers, multiValueHeaders };
}

function queryMaps(x: Exchange): { single: StringMap; multi: MultiMap } | undefined {
  const pairs = x.request.queryPairs;
  if (pairs.length === 0) return undefined;
  const single: StringMap = {};
  const multi: MultiMap = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    const values = multi[name];
    if (values === undefined) multi[name] = [value];
    else values.push(value);
  }
  return { single, multi };
}

function identity(x: Exchange) {
  const { request } = x;
  return {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    ...(x.apiKey !== undefined ? { apiKey: x.apiKey.value, apiKeyId: x.apiKey.id } : {}),
    sourceIp: request.sourceIp,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: request.userAgent ?? null,
    user: null,
  };
}

/** The proxy event's authorizer block: context values become strings (REST behaviour, §3.3). */
function authorizerBlock(x: Exchange): Record<string, string | number> | undefined {
  const auth = x.authorizer;
  if (auth === undefined) return undefined;
  const block: Record<string, string | number> = {
    principalId: auth.principalId,
    integrationLatency: auth.latencyMs,
  };
  for (const [key, value] of Object.entries(auth.context ?? {})) {
    if (key !== 'principalId' && key !== 'integrationLatency') block[key] = String(value);
  }
  return block;
}

function requestContext(x: Exchange, withAuthorizer: boolean) {
  const { api, request, stage, method } = x;
  const authorizer = withAuthorizer ? authorizerBlock(x) : undefined;
  return {
    resourceId: method.resource.id,
    ...(authorizer !== undefined ? { authorizer } : {}),
    resourcePath: method.resource.path,
    httpMethod: request.method,
    extendedRequestId: request.extendedRequestId,
    requestTime: formatClfTime(request.timeEpoch),
    path: `/${stage.name}${x.path}`,
    accountId: api.accountId,
    protocol: request.protocol,
    stage: stage.name,
    domainPrefix: api.apiId,
    requestTimeEpoch: request.timeEpoch,
    requestId: request.requestId,
    identity: identity(x),
    domainName: api.domainName,
    deploymentId: stage.deploymentId,
    apiId: api.apiId,
  };
}

/** Matches `Content-Type` against `binaryMediaTypes` (`*\/*`, `image/*` wildcards allowed). */
export function isBinaryMediaType(
  binaryMediaTypes: readonly string[],
  contentType: string | undefined,
): boolean {
  if (binaryMediaTypes.length === 0 || contentType === undefined) return false;
  const type = mediaType(contentType);
  return binaryMediaTypes.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*/*' || p === type) return true;
    return p.endsWith('/*') && type.startsWith(p.slice(0, -1));
  });
}

function body(x: Exchange): { body: string | null; isBase64Encoded: boolean } {
  const raw = x.request.body;
  if (raw === undefined) return { body: null, isBase64Encoded: false };
  const contentType = x.request.headers.get('content-type')?.values[0];
  // Binary media types arrive base64-encoded; other bodies as text, unless they are not UTF-8 (LocalStack).
  if (isBinaryMediaType(x.api.binaryMediaTypes, contentType) || !isUtf8(raw)) {
    return { body: raw.toString('base64'), isBase64Encoded: true };
  }
  return { body: raw.toString('utf8'), isBase64Encoded: false };
}

/** The Lambda proxy integration event (payload 1.0). */
export function buildProxyEvent(x: Exchange) {
  const query = queryMaps(x);
  return {
    resource: x.method.resource.path,
    path: x.path,
    httpMethod: x.request.method,
    ...headerMaps(x, false),
    queryStringParameters: query?.single ?? null,
    multiValueQueryStringParameters: query?.multi ?? null,
    pathParameters: x.pathParameters ?? null,
    stageVariables: x.stage.variables ?? null,
    requestContext: requestContext(x, true),
    ...body(x),
  };
}

export function buildTokenAuthorizerEvent(x: Exchange, token: string) {
  return { type: 'TOKEN' as const, methodArn: x.methodArn, authorizationToken: token };
}

export function buildRequestAuthorizerEvent(x: Exchange) {
  const query = queryMaps(x);
  return {
    type: 'REQUEST' as const,
    methodArn: x.methodArn,
    resource: x.method.resource.path,
    path: x.path,
    httpMethod: x.request.method,
    ...headerMaps(x, true),
    queryStringParameters: query?.single ?? {},
    multiValueQueryStringParameters: query?.multi ?? {},
    pathParameters: x.pathParameters ?? {},
    stageVariables: x.stage.variables ?? {},
    requestContext: requestContext(x, false),
  };
}
