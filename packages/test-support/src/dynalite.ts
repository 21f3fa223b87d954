/**
 * A real DynamoDB wire protocol for the apps' tests: dynalite in memory on a free loopback port, plus an SDK
 * client pointed at it with dummy credentials. Every test file starts its own and stops it in `afterAll`.
 * Each app declares its own table layout (the one its infra stack defines) through `createTable`.
 */
// dynalite ships no types; the reference brings ours into every program that imports this module.
/// <reference path="./types/dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';

/** A table's layout: everything CreateTable takes but its name and billing mode. */
export type TableLayout = Omit<CreateTableCommandInput, 'TableName' | 'BillingMode'>;

export interface LocalDynamoDB {
  /** `http://127.0.0.1:<port>` — what AWS_ENDPOINT_URL_DYNAMODB would be. */
  readonly endpoint: string;
  /**
   * What a handler's SDK needs to reach this DynamoDB: {@link TEST_AWS_ENV} and AWS_ENDPOINT_URL_DYNAMODB,
   * which the SDK reads itself, as in the local cloud.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly db: DynamoDBDocumentClient;
  /** Creates an on-demand table named `<prefix>-test-<n>` (unique per process) and returns its name. */
  createTable(prefix: string, layout: TableLayout): Promise<string>;
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
    env: { ...TEST_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: endpoint },
    db: DynamoDBDocumentClient.from(client),
    async createTable(prefix, layout) {
      tables += 1;
      const name = `${prefix}-test-${tables}`;
      await client.send(
        new CreateTableCommand({ ...layout, TableName: name, BillingMode: 'PAY_PER_REQUEST' }),
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
