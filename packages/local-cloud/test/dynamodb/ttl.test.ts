import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { TTL_MAX_AGE_SECONDS } from '../../src/dynamodb/index.js';
import { TtlSweeper } from '../../src/dynamodb/ttl-sweeper.js';
import { clientsFor, connectionsTable, notesTable, startForTest } from './helpers.js';

const start = Date.UTC(2026, 0, 1);
const nowSeconds = start / 1000;

async function keys(doc: ReturnType<typeof clientsFor>['doc'], table: string): Promise<string[]> {
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: table }));
  return Items.map((i) => String(i.connectionId ?? `${i.pk}/${i.sk}`)).sort();
}

describe('TTL sweeper', () => {
  it('deletes expired items and keeps live ones, as the clock says', async () => {
    const clock = new ManualClock(start);
    const service = await startForTest({ tables: [notesTable, connectionsTable], clock });
    const { doc } = clientsFor(service);
    const put = (Item: Record<string, unknown>) =>
      doc.send(new PutCommand({ TableName: 'Connections', Item }));
    await put({ connectionId: 'expired', ttl: nowSeconds - 1 });
    await put({ connectionId: 'expires-now', ttl: nowSeconds });
    await put({ connectionId: 'live', ttl: nowSeconds + 60 });
    await put({ connectionId: 'no-ttl' });
    await put({ connectionId: 'string-ttl', ttl: String(nowSeconds - 100) }); // not a Number: ignored
    await put({ connectionId: 'millis', ttl: start + 1 }); // milliseconds by mistake: far future
    await put({ connectionId: 'ancient', ttl: nowSeconds - TTL_MAX_AGE_SECONDS - 1 }); // > 5 years: ignored
    await doc.send(
      new PutCommand({ TableName: 'Notes', Item: { pk: 'n', sk: '1', expiresAt: nowSeconds - 5 } }),
    );

    const first = await service.sweep();
    expect(first).toEqual({
      nowSeconds,
      deleted: 2,
      skipped: 0,
      tables: { Notes: { deleted: 1, skipped: 0 }, Connections: { deleted: 1, skipped: 0 } },
    });
    expect(await keys(doc, 'Connections')).toEqual([
      'ancient',
      'expires-now',
      'live',
      'millis',
      'no-ttl',
      'string-ttl',
    ]);
    expect(await keys(doc, 'Notes')).toEqual([]);

    clock.advance(1_000); // "expires-now" is now in the past; "live" still has 59 s
    expect((await service.sweep()).deleted).toBe(1);
    clock.advance(60_000);
    expect((await service.sweep()).deleted).toBe(1);
    expect(await keys(doc, 'Connections')).toEqual(['ancient', 'millis', 'no-ttl', 'string-ttl']);
  });

  it('removes swept items from the indexes too', async () => {
    const clock = new ManualClock(start);
    const service = await startForTest({ clock });
    const { doc } = clientsFor(service);
    const item = { pk: 'u', sk: '1', owner: 'ana', updatedAt: 1, expiresAt: nowSeconds - 1 };
    await doc.send(new PutCommand({ TableName: 'Notes', Item: item }));
    await service.sweep();
    const { Items } = await doc.send(new ScanCommand({ TableName: 'Notes', IndexName: 'byOwner' }));
    expect(Items).toEqual([]);
  });

  it('walks every page of the scan', async () => {
    const clock = new ManualClock(start);
    const service = await startForTest({ tables: [connectionsTable], clock, ttlSweepPageSize: 2 });
    const { doc } = clientsFor(service);
    for (let i = 0; i < 7; i++) {
      await doc.send(
        new PutCommand({
          TableName: 'Connections',
          Item: { connectionId: `c${i}`, ttl: nowSeconds - (i % 2) },
        }),
      );
    }
    await doc.send(
      new PutCommand({ TableName: 'Connections', Item: { connectionId: 'live', ttl: nowSeconds + 1 } }),
    );
    clock.advance(1_000);
    expect((await service.sweep()).deleted).toBe(7);
    expect(await keys(doc, 'Connections')).toEqual(['live']);
  });

  it('leaves an item alone when its TTL changed between the scan and the delete', async () => {
    const service = await startForTest({ tables: [connectionsTable] });
    const { doc } = clientsFor(service);
    await doc.send(
      new PutCommand({ TableName: 'Connections', Item: { connectionId: 'busy', ttl: nowSeconds - 1 } }),
    );
    await doc.send(
      new PutCommand({ TableName: 'Connections', Item: { connectionId: 'idle', ttl: nowSeconds - 1 } }),
    );

    // A client of the sweeper's own that lets a "handler" extend one item right after each Scan page.
    const client = new DynamoDBClient(service.clientConfig);
    onTestFinished(() => client.destroy());
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'ScanCommand') {
          await doc.send(
            new UpdateCommand({
              TableName: 'Connections',
              Key: { connectionId: 'busy' },
              UpdateExpression: 'SET #t = :later',
              ExpressionAttributeNames: { '#t': 'ttl' },
              ExpressionAttributeValues: { ':later': nowSeconds + 3600 },
            }),
          );
        }
        return result;
      },
      { step: 'initialize', name: 'concurrentUpdate' },
    );
    const sweeper = new TtlSweeper({
      client,
      tables: [{ tableName: 'Connections', attributeName: 'ttl', keyAttributes: ['connectionId'] }],
      clock: new ManualClock(start),
      intervalMs: 0,
      pageSize: 100,
      log: () => undefined,
    });

    const result = await sweeper.sweep();
    expect(result).toMatchObject({ deleted: 1, skipped: 1 });
    const busy = await doc.send(new GetCommand({ TableName: 'Connections', Key: { connectionId: 'busy' } }));
    expect(busy.Item).toEqual({ connectionId: 'busy', ttl: nowSeconds + 3600 });
    expect(await keys(doc, 'Connections')).toEqual(['busy']);
  });

  it('sweeps on its own timer when given an interval, and stops on close', async () => {
    const clock = new ManualClock(start);
    const service = await startForTest({ tables: [connectionsTable], clock, ttlSweepIntervalMs: 5 });
    const { doc } = clientsFor(service);
    await doc.send(
      new PutCommand({ TableName: 'Connections', Item: { connectionId: 'c', ttl: nowSeconds + 10 } }),
    );
    clock.advance(11_000);
    await vi.waitFor(async () => expect(await keys(doc, 'Connections')).toEqual([]), { timeout: 2_000 });
    await service.close();
  });

  it('runs overlapping sweep() calls one after the other', async () => {
    const clock = new ManualClock(start);
    const service = await startForTest({ tables: [connectionsTable], clock });
    const { doc } = clientsFor(service);
    await doc.send(
      new PutCommand({ TableName: 'Connections', Item: { connectionId: 'c', ttl: nowSeconds - 1 } }),
    );
    const [a, b] = await Promise.all([service.sweep(), service.sweep()]);
    expect(a.deleted + b.deleted).toBe(1);
    expect(a.skipped + b.skipped).toBe(0);
  });

  it('reports the TTL semantics among the gaps', async () => {
    const service = await startForTest({ tables: [connectionsTable], ttlSweepIntervalMs: 0 });
    expect(service.gaps).toContain(
      'DynamoDB table Connections: TTL on "ttl" is applied by the local sweeper only when sweep() is called ' +
        '(AWS: typically within 48 h); DescribeTimeToLive answers DISABLED on dynalite',
    );
  });
});
