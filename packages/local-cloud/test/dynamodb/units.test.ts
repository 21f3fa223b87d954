import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsupportedOperation } from '../../src/dynamodb/dynalite-engine.js';
import {
  createTableInput,
  DYNALITE_OPERATIONS,
  describeGaps,
  schemaDifferences,
  type TableDefinition,
} from '../../src/dynamodb/index.js';
import { connectionsTable, notesTable } from './helpers.js';

describe('createTableInput', () => {
  it('maps a definition to the SDK request', () => {
    expect(createTableInput(notesTable)).toEqual({
      TableName: 'Notes',
      KeySchema: notesTable.keySchema,
      AttributeDefinitions: notesTable.attributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: notesTable.globalSecondaryIndexes,
      LocalSecondaryIndexes: notesTable.localSecondaryIndexes,
    });
  });

  it('fills throughput where PROVISIONED needs it and drops it where on-demand forbids it', () => {
    const gsi = {
      IndexName: 'g',
      KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' as const }],
      Projection: { ProjectionType: 'ALL' as const },
    };
    const provisioned: TableDefinition = {
      ...connectionsTable,
      provisionedThroughput: undefined,
      globalSecondaryIndexes: [gsi],
    };
    expect(createTableInput(provisioned)).toMatchObject({
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        { ...gsi, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
      ],
    });
    const onDemand: TableDefinition = {
      ...provisioned,
      billingMode: 'PAY_PER_REQUEST',
      provisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      globalSecondaryIndexes: [
        { ...gsi, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      ],
      streamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    };
    const input = createTableInput(onDemand);
    expect(input.ProvisionedThroughput).toBeUndefined();
    expect(input.GlobalSecondaryIndexes).toEqual([gsi]);
    expect(input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  });
});

describe('schemaDifferences', () => {
  const stored = createTableInput(notesTable);

  it('finds none for the same schema, whatever the order and billing', () => {
    const reordered: TableDefinition = {
      ...notesTable,
      attributeDefinitions: [...notesTable.attributeDefinitions].reverse(),
      billingMode: 'PROVISIONED',
      provisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 9 },
    };
    expect(schemaDifferences(stored, reordered)).toEqual([]);
  });

  it('names key and attribute type changes', () => {
    const changed: TableDefinition = {
      ...notesTable,
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      attributeDefinitions: notesTable.attributeDefinitions.map((a) =>
        a.AttributeName === 'updatedAt' ? { ...a, AttributeType: 'S' } : a,
      ),
    };
    expect(schemaDifferences(stored, changed)).toEqual([
      'key schema: stored pk(HASH) sk(RANGE), template pk(HASH)',
      'attribute definitions: stored [owner:S, pk:S, sk:S, updatedAt:N], template [owner:S, pk:S, sk:S, updatedAt:S]',
    ]);
  });

  it('compares INCLUDE projections by their attributes', () => {
    const include = (attrs: string[]): TableDefinition => ({
      ...notesTable,
      globalSecondaryIndexes: notesTable.globalSecondaryIndexes?.map((g) => ({
        ...g,
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: attrs },
      })),
    });
    expect(schemaDifferences(createTableInput(include(['a', 'b'])), include(['b', 'a']))).toEqual([]);
    expect(schemaDifferences(createTableInput(include(['a'])), include(['a', 'c']))).toEqual([
      'global secondary index "byOwner" projection: stored INCLUDE (a), template INCLUDE (a, c)',
    ]);
  });
});

describe('dynalite operations', () => {
  it('match what the installed dynalite implements', () => {
    const actions = join(dirname(createRequire(import.meta.url).resolve('dynalite')), 'actions');
    const implemented = readdirSync(actions)
      .filter((f) => f.endsWith('.js'))
      .map((f) => f[0]?.toUpperCase() + f.slice(1, -3))
      .sort();
    expect([...DYNALITE_OPERATIONS].sort()).toEqual(implemented);
  });

  it('flags only DynamoDB operations outside that set', () => {
    expect(unsupportedOperation('DynamoDB_20120810.TransactWriteItems')).toBe('TransactWriteItems');
    expect(unsupportedOperation('DynamoDB_20120810.ExecuteStatement')).toBe('ExecuteStatement');
    expect(unsupportedOperation('DynamoDB_20120810.PutItem')).toBeUndefined();
    expect(unsupportedOperation('DynamoDBStreams_20120810.GetRecords')).toBeUndefined();
    expect(unsupportedOperation('DynamoDB_20120810')).toBeUndefined();
    expect(unsupportedOperation(undefined)).toBeUndefined();
  });
});

describe('describeGaps', () => {
  it('lists engine gaps, TTL semantics and streams, one line each', () => {
    const streaming: TableDefinition = {
      ...connectionsTable,
      streamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    };
    const gaps = describeGaps('dynalite', [streaming], 5_000);
    expect(gaps).toHaveLength(4);
    expect(gaps[2]).toBe(
      'DynamoDB table Connections: TTL on "ttl" is applied by the local sweeper every 5000 ms (AWS: typically ' +
        'within 48 h); DescribeTimeToLive answers DISABLED on dynalite',
    );
    expect(gaps[3]).toBe(
      'DynamoDB table Connections: StreamSpecification is not emulated by dynalite; no stream records',
    );
    expect(describeGaps('dynamodb-local', [streaming], 5_000)).toEqual([
      'DynamoDB table Connections: TTL on "ttl" is applied by the local sweeper every 5000 ms (AWS: typically within 48 h)',
    ]);
  });
});
