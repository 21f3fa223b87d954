import { request } from 'node:http';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { startDynamoDb } from '../../src/dynamodb/index.js';
import { clientsFor, connectionsTable, notesTable, startForTest } from './helpers.js';

describe('startDynamoDb (dynalite)', () => {
  it('creates the tables with keys, GSI and LSI through the API', async () => {
    const service = await startForTest({ tables: [notesTable, connectionsTable] });
    const { client } = clientsFor(service);

    expect(service.engine).toBe('dynalite');
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.endpoint).toBe(service.url);
    expect(service.tables).toEqual([
      { tableName: 'Notes', action: 'created' },
      { tableName: 'Connections', action: 'created' },
    ]);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Notes' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(notesTable.keySchema);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus, i.KeySchema])).toEqual([
      ['byOwner', 'ACTIVE', notesTable.globalSecondaryIndexes?.[0]?.KeySchema],
    ]);
    expect(Table?.LocalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType])).toEqual([
      ['byUpdatedAt', 'KEYS_ONLY'],
    ]);

    const connections = await client.send(new DescribeTableCommand({ TableName: 'Connections' }));
    expect(connections.Table?.ProvisionedThroughput?.ReadCapacityUnits).toBe(2);
  });

  it('serves Put, Get and Query on a GSI and an LSI to the document client', async () => {
    const service = await startForTest();
    const { doc } = clientsFor(service);
    const notes = [
      { pk: 'user#1', sk: 'note#a', owner: 'ana', updatedAt: 30, text: 'third' },
      { pk: 'user#1', sk: 'note#b', owner: 'ana', updatedAt: 10, text: 'first' },
      { pk: 'user#2', sk: 'note#c', owner: 'ben', updatedAt: 20, text: 'other' },
      { pk: 'user#1', sk: 'note#d', owner: 'ana', updatedAt: 20, text: 'second', tags: new Set(['x']) },
    ];
    for (const note of notes) await doc.send(new PutCommand({ TableName: 'Notes', Item: note }));

    const got = await doc.send(new GetCommand({ TableName: 'Notes', Key: { pk: 'user#1', sk: 'note#d' } }));
    expect(got.Item).toEqual(notes[3]);

    const byOwner = await doc.send(
      new QueryCommand({
        TableName: 'Notes',
        IndexName: 'byOwner',
        KeyConditionExpression: '#o = :o AND updatedAt >= :since',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':o': 'ana', ':since': 15 },
        ScanIndexForward: false,
      }),
    );
    expect(byOwner.Items?.map((i) => i.text)).toEqual(['third', 'second']);

    const byUpdatedAt = await doc.send(
      new QueryCommand({
        TableName: 'Notes',
        IndexName: 'byUpdatedAt',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'user#1' },
      }),
    );
    expect(byUpdatedAt.Items?.map((i) => i.sk)).toEqual(['note#b', 'note#d', 'note#a']);
    expect(byUpdatedAt.Items?.[0]).not.toHaveProperty('text'); // KEYS_ONLY
  });

  it('hands functions an environment the SDK picks up unchanged', async () => {
    const service = await startForTest();
    expect(service.env).toEqual({
      AWS_ENDPOINT_URL_DYNAMODB: service.url,
      AWS_ACCESS_KEY_ID: 'LOCALCLOUD',
      AWS_SECRET_ACCESS_KEY: 'localcloudsecret',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
    for (const [name, value] of Object.entries(service.env)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    const client = new DynamoDBClient({}); // what a handler writes: no endpoint, no credentials
    try {
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['Notes']);
    } finally {
      client.destroy();
      vi.unstubAllEnvs();
    }
  });

  it('answers operations dynalite lacks with a message that names the gap', async () => {
    const lines: string[] = [];
    const service = await startForTest({ log: (line) => lines.push(line) });
    const { client } = clientsFor(service);

    const failure = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: 'Notes', Item: { pk: { S: 'a' }, sk: { S: 'b' } } } }],
        }),
      )
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('TransactWriteItems is not implemented by dynalite 4.0.0'),
      $metadata: { httpStatusCode: 400 },
    });
    expect(lines).toContain(
      'DynamoDB: a client called TransactWriteItems, which dynalite does not implement (UnknownOperationException)',
    );
    expect(service.gaps[0]).toContain('TransactWriteItems');
  });

  it('survives a client that drops a request half-way', async () => {
    const service = await startForTest();
    const { port } = new URL(service.url);
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': '100',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write('{"Limit":', () => setTimeout(() => req.destroy(), 20));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { client } = clientsFor(service);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['Notes']);
  });

  it('runs two instances at once on different free ports', async () => {
    const [a, b] = await Promise.all([startForTest(), startForTest()]);
    expect(a.url).not.toBe(b.url);
    await clientsFor(a).doc.send(new PutCommand({ TableName: 'Notes', Item: { pk: 'only-in-a', sk: '1' } }));
    const inB = await clientsFor(b).doc.send(
      new GetCommand({ TableName: 'Notes', Key: { pk: 'only-in-a', sk: '1' } }),
    );
    expect(inB.Item).toBeUndefined();
  });

  it('closes cleanly: port freed, timers and sockets gone, close idempotent', async () => {
    const count = (type: string) => process.getActiveResourcesInfo().filter((t) => t === type).length;
    const before = {
      servers: count('TCPServerWrap'),
      sockets: count('TCPSocketWrap'),
      timers: count('Timeout'),
    };

    const service = await startDynamoDb({ tables: [notesTable], ttlSweepIntervalMs: 60_000 });
    const client = new DynamoDBClient(service.clientConfig);
    await client.send(new ListTablesCommand({}));
    expect(count('TCPServerWrap')).toBe(before.servers + 1);

    // close with the client's keep-alive connection still open: the service must not wait for it
    await Promise.all([service.close(), service.close()]);
    client.destroy();

    // "at most as many as before": resources of earlier tests may still be winding down
    await vi.waitFor(() => {
      expect(count('TCPServerWrap')).toBeLessThanOrEqual(before.servers);
      expect(count('TCPSocketWrap')).toBeLessThanOrEqual(before.sockets);
    });
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers); // outside waitFor, which has timers of its own
    const probe = new DynamoDBClient({ ...service.clientConfig, maxAttempts: 1 });
    await expect(probe.send(new ListTablesCommand({}))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    probe.destroy();
    await expect(service.sweep()).rejects.toThrow('closed');
  });

  it('rejects a busy port with a readable error', async () => {
    const first = await startForTest();
    const port = Number(new URL(first.url).port);
    await expect(startDynamoDb({ tables: [notesTable], port })).rejects.toThrow(
      `DynamoDB: port ${port} on 127.0.0.1 is already in use`,
    );
  });

  it('rejects invalid definitions before starting anything', async () => {
    await expect(startDynamoDb({ tables: [notesTable, notesTable] })).rejects.toThrow(
      'Notes is defined twice',
    );
    await expect(startDynamoDb({ tables: [], port: -1 })).rejects.toThrow('invalid port');
  });
});
