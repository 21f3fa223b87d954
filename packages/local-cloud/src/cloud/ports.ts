import { LocalCloudError } from './errors';

/**
 * Where each service listens for a base port (see `StartLocalCloudOptions.port`): the gateways' shared
 * listener on N (HTTP and REST APIs by Host), the identity provider on N+1, DynamoDB on N+2, the API
 * Gateway control plane (management calls) on N+3, and one dedicated port per API from N+10 — HTTP APIs
 * first, then REST APIs, each in model order.
 */
export function portLayout(
  base: number,
  apis: { readonly http: readonly string[]; readonly rest: readonly string[] },
): { gateway: number; identity: number; dynamoDb: number; apiGateway: number; apis: Record<string, number> } {
  if (!Number.isInteger(base) || base < 0 || base > 65_535) {
    throw new LocalCloudError(`invalid port ${base}: use 0 (free ports) or 1–65535`);
  }
  const apiIds = [...apis.http, ...apis.rest];
  if (base === 0) return { gateway: 0, identity: 0, dynamoDb: 0, apiGateway: 0, apis: {} };
  const last = base + 10 + apiIds.length - 1;
  if (last > 65_535)
    throw new LocalCloudError(`port ${base} leaves no room for ${apiIds.length} APIs (up to ${last})`);
  return {
    gateway: base,
    identity: base + 1,
    dynamoDb: base + 2,
    apiGateway: base + 3,
    apis: Object.fromEntries(apiIds.map((id, i) => [id, base + 10 + i])),
  };
}
