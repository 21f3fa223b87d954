import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { existsAtVersion, explainFailedCondition } from '../src/index';

class Missing extends Error {}
class Stale extends Error {
  constructor(readonly current: number) {
    super('stale');
  }
}
const errors = { notFound: () => new Missing(), versionMismatch: (v: number) => new Stale(v) };
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });

describe('existsAtVersion', () => {
  it('without a version: the item exists, and no name/value maps (DynamoDB rejects empty ones)', () => {
    expect(existsAtVersion(undefined)).toEqual({ expression: 'attribute_exists(pk)', names: {}, values: {} });
  });

  it('with a version: the item exists and is still at it', () => {
    expect(existsAtVersion(3)).toEqual({
      expression: 'attribute_exists(pk) AND #version = :expected',
      names: { '#version': 'version' },
      values: { ':expected': 3 },
    });
  });
});

describe('explainFailedCondition', () => {
  it('passes any other error through without reading', async () => {
    const other = new Error('throttled');
    let reads = 0;
    const find = async () => {
      reads += 1;
      return undefined;
    };
    expect(await explainFailedCondition(other, find, errors)).toBe(other);
    expect(reads).toBe(0);
  });

  it('a failed condition on a missing item → notFound', async () => {
    expect(await explainFailedCondition(conditionFailed(), async () => undefined, errors)).toBeInstanceOf(
      Missing,
    );
  });

  it('a failed condition on an item at another version → versionMismatch with that version', async () => {
    const error = await explainFailedCondition(conditionFailed(), async () => ({ version: 7 }), errors);
    expect(error).toBeInstanceOf(Stale);
    expect((error as Stale).current).toBe(7);
  });
});
