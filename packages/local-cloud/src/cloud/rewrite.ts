/**
 * The endpoints step: once the services listen, every AWS endpoint the assembly's values point at
 * (`model.endpoints`) gets its local counterpart.
 *
 * | AWS endpoint                                              | local                                   |
 * |-----------------------------------------------------------|-----------------------------------------|
 * | `https://cognito-idp.<region>.amazonaws.com/<poolId>`     | the identity provider's issuer for it   |
 * | `https://<prefix>.auth.<region>.amazoncognito.com`        | the identity provider's OAuth base URL  |
 * | `https://<apiId>.execute-api.<region>.amazonaws.com`      | the API's own gateway listener          |
 *
 * `rewrite()` replaces those URLs inside any string (stage paths and the rest of the URL are kept), for
 * function environments, authorizer issuers and stack outputs. A URL continues only with `/`, `?`, `#`
 * or a character that cannot belong to a host name, so a longer host or pool id is never cut.
 * `hostRewrites` are for the Lambda runtime's network bootstrap: code that builds an AWS URL itself
 * (from `requestContext.domainName`, a JWKS URI…) reaches the local listeners too.
 * Endpoints without a local service (WebSocket APIs, REST APIs the gateway refused) stay as they are.
 * HTTP and REST APIs alike: stages are path prefixes on both, so the stage path is kept.
 */
import type { AssemblyModel, AwsEndpoint, Gap } from '../assembly';
import type { HostRewrite } from '../lambda';

export interface LocalEndpoints {
  /** The identity provider's base URL (Cognito JSON API). */
  readonly identityUrl: string;
  /** The local issuer of a pool (`http://127.0.0.1:PORT/<poolId>`). */
  issuerFor(poolId: string): string;
  /** Where the pool's OAuth 2.0 endpoints are served locally. */
  oauthBaseUrlFor(poolId: string): string;
  /** Base URL of a served API's own listener (no trailing slash); undefined when the API is not served. */
  apiUrlFor(apiId: string): string | undefined;
  /** The gateway's shared listener, which picks the API from the Host header; undefined without APIs. */
  readonly gatewayUrl: string | undefined;
}

export interface RewriteRule {
  readonly kind: AwsEndpoint['kind'];
  /** The AWS URL prefix, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com`. */
  readonly from: string;
  /** Its local counterpart, e.g. `http://127.0.0.1:4010`. */
  readonly to: string;
}

export interface EndpointRewrites {
  readonly rules: readonly RewriteRule[];
  /** The value with every AWS URL of `rules` replaced by its local counterpart. */
  rewrite(value: string): string;
  /** For the Lambda runtime: AWS hosts the workers' fetch / https calls are sent to locally. */
  readonly hostRewrites: readonly HostRewrite[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The local URL of one endpoint, or undefined when nothing serves it locally. */
function localUrl(endpoint: AwsEndpoint, local: LocalEndpoints): string | undefined {
  switch (endpoint.kind) {
    case 'cognito-idp':
      return local.issuerFor(endpoint.poolId);
    case 'cognito-domain':
      return local.oauthBaseUrlFor(endpoint.poolId);
    case 'execute-api':
      return endpoint.protocol === 'WEBSOCKET' ? undefined : local.apiUrlFor(endpoint.apiId);
  }
}

export function endpointRewrites(endpoints: readonly AwsEndpoint[], local: LocalEndpoints): EndpointRewrites {
  const rules: RewriteRule[] = [];
  const hostRewrites: HostRewrite[] = [];
  for (const endpoint of endpoints) {
    const to = localUrl(endpoint, local);
    if (to === undefined) continue;
    const from = endpoint.url.replace(/\/+$/, '');
    rules.push({ kind: endpoint.kind, from, to: to.replace(/\/+$/, '') });
    if (endpoint.kind === 'cognito-domain') hostRewrites.push({ host: new URL(from).hostname, target: to });
  }
  if (endpoints.some((e) => e.kind === 'cognito-idp')) {
    // Issuer-based JWKS URIs and discovery documents (`https://cognito-idp.<region>.amazonaws.com/<poolId>/…`)
    // and the Cognito API itself: the identity provider serves both under the same paths.
    hostRewrites.push({ host: 'cognito-idp.*.amazonaws.com', target: local.identityUrl });
  }
  if (local.gatewayUrl !== undefined) {
    // The shared listener routes by the original host (sent along as Host / x-forwarded-host).
    hostRewrites.push({ host: '*.execute-api.*.amazonaws.com', target: local.gatewayUrl });
  }

  // Longest first, so no rule can match the beginning of a longer one.
  const byFrom = new Map([...rules].sort((a, b) => b.from.length - a.from.length).map((r) => [r.from, r.to]));
  const pattern =
    byFrom.size === 0
      ? undefined
      : new RegExp(`(?:${[...byFrom.keys()].map(escapeRegExp).join('|')})(?![\\w.-])`, 'g');
  return {
    rules,
    hostRewrites,
    rewrite: (value) =>
      pattern === undefined ? value : value.replace(pattern, (match) => byFrom.get(match) ?? match),
  };
}

/**
 * Values that point at an API nothing serves locally (WebSocket APIs, refused APIs): stack outputs and
 * function environment variables keep their AWS URL, so each is reported once.
 */
export function unservedEndpointGaps(
  model: Pick<AssemblyModel, 'endpoints' | 'stacks' | 'functions'>,
  servedApiIds: ReadonlySet<string>,
): Gap[] {
  const unserved = model.endpoints.flatMap((endpoint) =>
    endpoint.kind === 'execute-api' && !servedApiIds.has(endpoint.apiId)
      ? [{ host: new URL(endpoint.url).host, what: `${API_KINDS[endpoint.protocol]} ${endpoint.apiId}` }]
      : [],
  );
  const pointsAt = (value: string) => unserved.find((endpoint) => value.includes(endpoint.host))?.what;
  const gaps: Gap[] = [];
  for (const stack of model.stacks) {
    for (const output of stack.outputs) {
      const what = pointsAt(output.value);
      if (what === undefined) continue;
      gaps.push({
        kind: 'unsupported-value',
        stack: stack.name,
        logicalId: output.name,
        type: 'Output',
        message: `points at ${what}, which is not served locally`,
      });
    }
  }
  for (const fn of model.functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      const what = pointsAt(value);
      if (what === undefined) continue;
      gaps.push({
        kind: 'unsupported-value',
        stack: fn.stack,
        logicalId: fn.logicalId,
        type: 'AWS::Lambda::Function',
        property: 'Properties.Environment',
        ...(fn.path === undefined ? {} : { path: fn.path }),
        message: `${name} points at ${what}, which is not served locally`,
      });
    }
  }
  return gaps;
}

const API_KINDS = { HTTP: 'HTTP API', REST: 'REST API', WEBSOCKET: 'WebSocket API' } as const;
