/**
 * The API Gateway control plane for either target: the local cloud's (its endpoints file's
 * `apiGateway.endpoint`, which checks no signature) or the real regional one with the default credentials.
 * It serves the management calls a REST API's operator makes: GetUsagePlan, GetUsage, UpdateUsage,
 * FlushStageCache, GetApiKey.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { Target } from './target';

export function apiGatewayClient(target: Target): APIGatewayClient {
  return new APIGatewayClient({
    region: target.region,
    ...(target.local
      ? {
          endpoint: target.local.apiGatewayEndpoint,
          // The local control plane does not check signatures, but the SDK signs every call.
          credentials: { accessKeyId: 'LOCALCLOUD', secretAccessKey: 'localcloudsecret' },
        }
      : {}),
  });
}
