import type { LocalClientConfig } from './types.js';

/**
 * Dummy credentials for the local service. The SDK refuses to sign without *some* credentials; neither
 * engine checks them. Letters and digits only: DynamoDB Local rejects other characters in the key id.
 */
export const LOCAL_CREDENTIALS = Object.freeze({
  accessKeyId: 'LOCALCLOUD',
  secretAccessKey: 'localcloudsecret',
});

export const DEFAULT_REGION = 'us-east-1';

/** SDK v3 client configuration for the local endpoint: `new DynamoDBClient(localClientConfig(url))`. */
export function localClientConfig(endpoint: string, region: string = DEFAULT_REGION): LocalClientConfig {
  return { endpoint, region, credentials: { ...LOCAL_CREDENTIALS } };
}

/**
 * The environment a function needs to reach the local DynamoDB unchanged: the SDK reads
 * `AWS_ENDPOINT_URL_DYNAMODB` itself (service-specific endpoints), and the credentials and region the way
 * Lambda provides them. Merge it into the function's environment; the handler needs no change.
 */
export function dynamoDbEnv(endpoint: string, region: string = DEFAULT_REGION): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}
