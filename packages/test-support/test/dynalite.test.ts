import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite, TEST_AWS_ENV } from '../src/dynalite';

describe('startDynalite', () => {
  let local: LocalDynamoDB;
  beforeAll(async () => {
    local = await startDynalite();
  });
  afterAll(async () => {
    await local.stop();
  });

  it('listens on a loopback port', () => {
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives a handler the region, dummy credentials and its endpoint, as the local cloud would', () => {
    expect(local.env).toEqual({ ...TEST_AWS_ENV, AWS_ENDPOINT_URL_DYNAMODB: local.endpoint });
  });

  it('creates tables with unique names from the given layout, ready at once', async () => {
    const layout = {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
    };
    const first = await local.createTable('things', layout);
    const second = await local.createTable('things', layout);
    expect(first).toMatch(/^things-test-\d+$/);
    expect(second).not.toBe(first);

    await local.db.send(new PutCommand({ TableName: first, Item: { pk: 'a', n: 1 } }));
    const got = await local.db.send(new GetCommand({ TableName: first, Key: { pk: 'a' } }));
    expect(got.Item).toEqual({ pk: 'a', n: 1 });
  });
});
