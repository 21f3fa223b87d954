import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbSchemaChangedError, startDynamoDb, type TableDefinition } from '../../src/dynamodb/index.js';
import { clientsFor, connectionsTable, notesTable, startForTest, tempDir } from './helpers.js';

const key = { pk: 'user#1', sk: 'note#1' };

describe('persistDir', () => {
  it('keeps tables and items across a restart', async () => {
    const persistDir = await tempDir();
    const first = await startDynamoDb({ tables: [notesTable], persistDir, ttlSweepIntervalMs: 0 });
    expect(first.tables).toEqual([{ tableName: 'Notes', action: 'created' }]);
    await clientsFor(first).doc.send(new PutCommand({ TableName: 'Notes', Item: { ...key, text: 'kept' } }));
    await first.close();
    expect(existsSync(join(persistDir, 'dynalite'))).toBe(true);

    const lines: string[] = [];
    const second = await startForTest({ persistDir, log: (line) => lines.push(line) });
    expect(second.tables).toEqual([{ tableName: 'Notes', action: 'kept' }]);
    expect(lines).toContain(`DynamoDB table Notes: kept from ${join(persistDir, 'dynalite')} (same schema)`);
    const { Item } = await clientsFor(second).doc.send(new GetCommand({ TableName: 'Notes', Key: key }));
    expect(Item).toEqual({ ...key, text: 'kept' });
  });

  it('refuses a changed schema with a report and leaves the data alone', async () => {
    const persistDir = await tempDir();
    const first = await startDynamoDb({
      tables: [notesTable, connectionsTable],
      persistDir,
      ttlSweepIntervalMs: 0,
    });
    await clientsFor(first).doc.send(
      new PutCommand({ TableName: 'Notes', Item: { ...key, text: 'precious' } }),
    );
    await first.close();

    const changed: TableDefinition = {
      ...notesTable,
      attributeDefinitions: [
        ...notesTable.attributeDefinitions,
        { AttributeName: 'title', AttributeType: 'S' },
      ],
      globalSecondaryIndexes: [
        {
          IndexName: 'byOwner',
          KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'byTitle',
          KeySchema: [{ AttributeName: 'title', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      localSecondaryIndexes: undefined,
    };
    const failure = await startDynamoDb({ tables: [changed, connectionsTable], persistDir }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(DynamoDbSchemaChangedError);
    const dataDir = join(persistDir, 'dynalite');
    expect((failure as Error).message).toBe(
      [
        `A DynamoDB table stored in ${dataDir} no longer matches the template:`,
        '  - Notes: attribute definitions: stored [owner:S, pk:S, sk:S, updatedAt:N], template [owner:S, pk:S, sk:S, title:S, updatedAt:N]',
        '  - Notes: global secondary index "byOwner" key schema: stored owner(HASH) updatedAt(RANGE), template owner(HASH)',
        '  - Notes: global secondary index "byOwner" projection: stored ALL, template KEYS_ONLY',
        '  - Notes: global secondary index "byTitle" is in the template but not in the stored table',
        '  - Notes: local secondary index "byUpdatedAt" is in the stored table but not in the template',
        'The stored data was left untouched. To go on, either start with onSchemaChange: "recreate" (drops and',
        `recreates only the tables listed, deleting their items), or delete ${dataDir} to start empty.`,
      ].join('\n'),
    );
    expect((failure as DynamoDbSchemaChangedError).changes.map((c) => c.tableName)).toEqual(['Notes']);

    // The refused start released the directory and changed nothing.
    const again = await startForTest({ tables: [notesTable, connectionsTable], persistDir });
    expect(again.tables.map((t) => t.action)).toEqual(['kept', 'kept']);
    const { Item } = await clientsFor(again).doc.send(new GetCommand({ TableName: 'Notes', Key: key }));
    expect(Item?.text).toBe('precious');
  });

  it('recreates only the changed tables when told to', async () => {
    const persistDir = await tempDir();
    const first = await startDynamoDb({
      tables: [notesTable, connectionsTable],
      persistDir,
      ttlSweepIntervalMs: 0,
    });
    const { doc } = clientsFor(first);
    await doc.send(new PutCommand({ TableName: 'Notes', Item: { ...key, text: 'old' } }));
    await doc.send(new PutCommand({ TableName: 'Connections', Item: { connectionId: 'c1' } }));
    await first.close();

    const changed: TableDefinition = { ...notesTable, localSecondaryIndexes: undefined };
    const lines: string[] = [];
    const second = await startForTest({
      tables: [changed, connectionsTable],
      persistDir,
      onSchemaChange: 'recreate',
      log: (line) => lines.push(line),
    });
    expect(second.tables).toEqual([
      { tableName: 'Notes', action: 'recreated' },
      { tableName: 'Connections', action: 'kept' },
    ]);
    expect(lines).toContain(
      'DynamoDB table Notes: schema changed (local secondary index "byUpdatedAt" is in the stored table but not in ' +
        'the template); dropped and recreated, items deleted',
    );
    const docAgain = clientsFor(second).doc;
    expect((await docAgain.send(new GetCommand({ TableName: 'Notes', Key: key }))).Item).toBeUndefined();
    const conn = await docAgain.send(
      new GetCommand({ TableName: 'Connections', Key: { connectionId: 'c1' } }),
    );
    expect(conn.Item).toEqual({ connectionId: 'c1' });
  });

  it('mentions stored tables the template no longer has, and keeps them', async () => {
    const persistDir = await tempDir();
    const first = await startDynamoDb({
      tables: [notesTable, connectionsTable],
      persistDir,
      ttlSweepIntervalMs: 0,
    });
    await first.close();
    const lines: string[] = [];
    await startForTest({ tables: [notesTable], persistDir, log: (line) => lines.push(line) });
    expect(lines).toContain(
      `DynamoDB table Connections: in ${join(persistDir, 'dynalite')} but not in the template; left as it is`,
    );
  });

  it('refuses a directory another service is using', async () => {
    const persistDir = await tempDir();
    await startForTest({ persistDir });
    await expect(startDynamoDb({ tables: [notesTable], persistDir })).rejects.toThrow(
      `DynamoDB persistDir ${persistDir} is in use by another DynamoDB service in this process`,
    );
  });

  it('takes over a lock file left by a process that is gone', async () => {
    const persistDir = await tempDir();
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(persistDir, { recursive: true });
    await writeFile(join(persistDir, '.local-cloud-dynamodb.lock'), '2147483646'); // no such pid
    const service = await startForTest({ persistDir });
    expect(service.tables[0]?.action).toBe('created');
  });

  it('creates tables missing from an existing directory', async () => {
    const persistDir = await tempDir();
    const first = await startDynamoDb({ tables: [notesTable], persistDir, ttlSweepIntervalMs: 0 });
    await first.close();
    const second = await startForTest({ tables: [notesTable, connectionsTable], persistDir });
    expect(second.tables.map((t) => `${t.tableName}:${t.action}`)).toEqual([
      'Notes:kept',
      'Connections:created',
    ]);
  });

  it('reports an engine that refuses a definition and frees everything', async () => {
    const persistDir = await tempDir();
    const broken: TableDefinition = { ...connectionsTable, attributeDefinitions: [] };
    await expect(startDynamoDb({ tables: [broken], persistDir })).rejects.toThrow(
      'DynamoDB: the engine refused to create table Connections (ValidationException: Invalid KeySchema: Some index key attribute have no definition)',
    );
    const service = await startForTest({ tables: [connectionsTable], persistDir });
    const client = clientsFor(service).client;
    // the directory works again, and CreateTable errors come back as the SDK's own
    await expect(
      client.send(
        new CreateTableCommand({
          TableName: 'Connections',
          KeySchema: connectionsTable.keySchema.slice(),
          AttributeDefinitions: connectionsTable.attributeDefinitions.slice(),
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceInUseException' });
  });
});
