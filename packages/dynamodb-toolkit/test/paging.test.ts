import { describe, expect, it } from 'vitest';
import { lookaheadLimit, takePage } from '../src/index';

describe('lookahead paging', () => {
  it('queries one item more than the page holds', () => {
    expect(lookaheadLimit(10)).toBe(11);
  });

  it('the extra item means another page, and is not part of this one', () => {
    expect(takePage([1, 2, 3], 2, undefined)).toEqual({ items: [1, 2], last: 2, more: true });
  });

  it('no extra item and no LastEvaluatedKey: the last page', () => {
    expect(takePage([1, 2], 2, undefined)).toEqual({ items: [1, 2], last: 2, more: false });
    expect(takePage([], 2, undefined)).toEqual({ items: [], last: undefined, more: false });
  });

  it('DynamoDB stopped early (1 MB): more, even with a short page', () => {
    expect(takePage([1], 2, { pk: 'x' })).toEqual({ items: [1], last: 1, more: true });
  });
});
