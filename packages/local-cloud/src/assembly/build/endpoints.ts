import type { AwsEndpoint, HttpApiModel, UserPoolModel } from '../model';
import type { ResourceRecord } from './context';

/** The AWS endpoints that the model's values point at (see `AwsEndpoint`). */
export function collectEndpoints(
  userPools: readonly UserPoolModel[],
  httpApis: readonly HttpApiModel[],
  records: readonly ResourceRecord[],
): AwsEndpoint[] {
  const out: AwsEndpoint[] = [];
  for (const pool of userPools) {
    out.push({ kind: 'cognito-idp', url: pool.providerUrl, poolId: pool.id, region: pool.region });
    for (const domain of pool.domains) {
      if (!domain.custom)
        out.push({ kind: 'cognito-domain', url: domain.url, poolId: pool.id, region: pool.region });
    }
  }
  for (const api of httpApis) {
    out.push({ kind: 'execute-api', url: api.endpoint, apiId: api.id, region: api.region, protocol: 'HTTP' });
  }
  for (const record of records) {
    const { env } = record.stack;
    const url = `https://${record.ref}.execute-api.${env.region}.${env.urlSuffix}`;
    if (record.type === 'AWS::ApiGateway::RestApi') {
      out.push({ kind: 'execute-api', url, apiId: record.ref, region: env.region, protocol: 'REST' });
    } else if (record.type === 'AWS::ApiGatewayV2::Api' && record.properties.ProtocolType === 'WEBSOCKET') {
      out.push({ kind: 'execute-api', url, apiId: record.ref, region: env.region, protocol: 'WEBSOCKET' });
    }
  }
  return out;
}
