/**
 * A real DynamoDB wire protocol for tests: dynalite in memory on a free loopback port, plus an SDK client
 * pointed at it with dummy credentials. Every test file starts its own and stops it in `afterAll`.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { CATEGORY_INDEX } from '../../src/domain/table';

export interface LocalDynamoDB {
  /** `http://127.0.0.1:<port>` — what AWS_ENDPOINT_URL_DYNAMODB would be. */
  readonly endpoint: string;
  readonly db: DynamoDBDocumentClient;
  /**
   * Creates a table with the products key schema and category index (the ones infra's rest-api stack
   * defines) and returns its name.
   */
  createProductsTable(): Promise<string>;
  /** Closes the client's sockets and the server. */
  stop(): Promise<void>;
}

/** Region and dummy credentials for SDK clients that talk to dynalite. */
export const TEST_AWS_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
} as const;

let tables = 0;

export async function startDynalite(): Promise<LocalDynamoDB> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: TEST_AWS_ENV.AWS_REGION,
    credentials: {
      accessKeyId: TEST_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: TEST_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    },
  });

  return {
    endpoint,
    db: DynamoDBDocumentClient.from(client),
    async createProductsTable() {
      tables += 1;
      const name = `products-test-${tables}`;
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'gsi1pk', AttributeType: 'S' },
            { AttributeName: 'gsi1sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: CATEGORY_INDEX,
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
      return name;
    },
    async stop() {
      client.destroy();
      server.closeAllConnections(); // other clients' keep-alive sockets would hold close() open
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
