/**
 * One request on its way through the pipeline, and what `$context.*`, `method.request.*` and
 * `stageVariables.*` read from it (gateway-response templates and parameters, REQUEST authorizer identity
 * sources). Steps before routing know less; the reads then return undefined.
 */
import { formatClfTime } from '../clf-time.js';
import type { CompiledApi, CompiledMethod, CompiledStage } from './compile.js';
import type { ResponseContext } from './gateway-responses.js';
import { headerValue, queryValue, type RestRequest } from './request.js';

/** What a Lambda authorizer established (§3.3). */
export interface AuthorizerResult {
  readonly principalId: string;
  /** Values are strings, numbers or booleans. */
  readonly context: Readonly<Record<string, string | number | boolean>> | null;
  readonly usageIdentifierKey: string | undefined;
  /** How long the authorizer took (0 for a cached result). */
  readonly latencyMs: number;
}

export interface ApiKeyIdentity {
  readonly id: string;
  readonly value: string;
}

/** What is known about a request at any step (fields fill in as the pipeline goes). */
export interface RequestState {
  readonly api: CompiledApi;
  readonly request: RestRequest;
  readonly stage?: CompiledStage;
  /** Raw request path without the stage: `/products/1`. */
  readonly path?: string;
  readonly method?: CompiledMethod;
  readonly pathParameters?: Readonly<Record<string, string>> | undefined;
  readonly authorizer?: AuthorizerResult | undefined;
  readonly apiKey?: ApiKeyIdentity | undefined;
}

/** A routed request: the state every step after routing reads. */
export interface Exchange extends RequestState {
  readonly stage: CompiledStage;
  readonly path: string;
  readonly method: CompiledMethod;
  readonly pathParameters: Readonly<Record<string, string>> | undefined;
  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`. */
  readonly methodArn: string;
  authorizer: AuthorizerResult | undefined;
  apiKey: ApiKeyIdentity | undefined;
}

export function methodArn(api: CompiledApi, stage: string, verb: string, path: string): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${stage}/${verb}${path}`;
}

/** The Exchange of a routed request; the method ARN is built when first read (a cache hit needs none). */
export class RoutedExchange implements Exchange {
  readonly api: CompiledApi;
  readonly request: RestRequest;
  readonly stage: CompiledStage;
  readonly path: string;
  readonly method: CompiledMethod;
  readonly pathParameters: Readonly<Record<string, string>> | undefined;
  authorizer: AuthorizerResult | undefined = undefined;
  apiKey: ApiKeyIdentity | undefined = undefined;
  #methodArn: string | undefined;

  constructor(
    api: CompiledApi,
    request: RestRequest,
    stage: CompiledStage,
    path: string,
    method: CompiledMethod,
    pathParameters: Readonly<Record<string, string>> | undefined,
  ) {
    this.api = api;
    this.request = request;
    this.stage = stage;
    this.path = path;
    this.method = method;
    this.pathParameters = pathParameters;
  }

  get methodArn(): string {
    this.#methodArn ??= methodArn(this.api, this.stage.name, this.request.method, this.path);
    return this.#methodArn;
  }
}

/** `$context.<name>` (the subset of the mapping-template reference that a local gateway knows). */
export function contextVariable(state: RequestState, name: string): string | undefined {
  const { api, request } = state;
  switch (name) {
    case 'accountId':
      return api.accountId;
    case 'apiId':
      return api.apiId;
    case 'domainName':
      return api.domainName;
    case 'domainPrefix':
      return api.apiId;
    case 'extendedRequestId':
      return request.extendedRequestId;
    case 'httpMethod':
      return request.method;
    case 'identity.sourceIp':
      return request.sourceIp;
    case 'identity.userAgent':
      return request.userAgent;
    case 'identity.apiKey':
      return state.apiKey?.value;
    case 'identity.apiKeyId':
      return state.apiKey?.id;
    case 'path':
      return state.stage === undefined ? request.rawPath : `/${state.stage.name}${state.path ?? ''}`;
    case 'protocol':
      return request.protocol;
    case 'requestId':
      return request.requestId;
    case 'requestTime':
      return formatClfTime(request.timeEpoch);
    case 'requestTimeEpoch':
      return String(request.timeEpoch);
    case 'resourceId':
      return state.method?.resource.id;
    case 'resourcePath':
      return state.method?.resource.path;
    case 'stage':
      return state.stage?.name;
    case 'deploymentId':
      return state.stage?.deploymentId;
    case 'authorizer.principalId':
      return state.authorizer?.principalId;
    case 'authorizer.integrationLatency':
      return state.authorizer === undefined ? undefined : String(state.authorizer.latencyMs);
    default:
      if (name.startsWith('authorizer.')) {
        const value = state.authorizer?.context?.[name.slice('authorizer.'.length)];
        return value === undefined ? undefined : String(value);
      }
      return undefined;
  }
}

/** `method.request.{header|querystring|path}.name`. */
export function requestParameter(state: RequestState, location: string, name: string): string | undefined {
  switch (location) {
    case 'header':
      return headerValue(state.request, name);
    case 'querystring':
      return queryValue(state.request, name);
    case 'path':
      return state.pathParameters?.[name];
    default:
      return undefined;
  }
}

export function responseContext(state: RequestState): ResponseContext {
  return {
    context: (name) => contextVariable(state, name),
    stageVariable: (name) => state.stage?.variables?.[name],
    requestParameter: (location, name) => requestParameter(state, location, name),
  };
}
