import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onTestFinished } from 'vitest';
import type { RunningDynamoDb, StartDynamoDbOptions, TableDefinition } from '../../src/dynamodb/index.js';
import { startDynamoDb } from '../../src/dynamodb/index.js';

/** A notes-like table: composite key, a GSI, an LSI, a TTL attribute. */
export const notesTable: TableDefinition = {
  tableName: 'Notes',
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'owner', AttributeType: 'S' },
    { AttributeName: 'updatedAt', AttributeType: 'N' },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'byOwner',
      KeySchema: [
        { AttributeName: 'owner', KeyType: 'HASH' },
        { AttributeName: 'updatedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  localSecondaryIndexes: [
    {
      IndexName: 'byUpdatedAt',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'updatedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'expiresAt',
};

/** A connections-like table: hash key only, TTL, provisioned. */
export const connectionsTable: TableDefinition = {
  tableName: 'Connections',
  keySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }],
  billingMode: 'PROVISIONED',
  provisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
  timeToLiveAttribute: 'ttl',
};

/** Starts a service that is closed when the test ends (also when it fails). */
export async function startForTest(options: Partial<StartDynamoDbOptions> = {}): Promise<RunningDynamoDb> {
  const service = await startDynamoDb({ tables: [notesTable], ttlSweepIntervalMs: 0, ...options });
  onTestFinished(() => service.close());
  return service;
}

/** The real SDK clients, pointed at the service; destroyed when the test ends. */
export function clientsFor(service: RunningDynamoDb): {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
} {
  const client = new DynamoDBClient({ ...service.clientConfig, maxAttempts: 1 });
  const doc = DynamoDBDocumentClient.from(client);
  onTestFinished(() => client.destroy());
  return { client, doc };
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'local-cloud-ddb-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
