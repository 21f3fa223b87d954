/**
 * Pages without a trailing empty page: query one item more than the page holds (`lookaheadLimit`), then
 * `takePage` keeps the page and tells whether another follows.
 */

export interface PageRequest<Cursor> {
  /** Page size, 1–100 (the HTTP layer enforces the bounds). */
  readonly limit: number;
  /** Continue after this position; absent = first page. */
  readonly cursor?: Cursor | undefined;
}

/** The `Limit` of the query for a page of `limit` items: the extra one says "there is another page". */
export const lookaheadLimit = (limit: number): number => limit + 1;

/**
 * The page out of a lookahead query's items. More to read when the extra item came back, or when
 * DynamoDB stopped early (1 MB per query page) and returned a `LastEvaluatedKey`.
 */
export function takePage<T>(
  found: readonly T[],
  limit: number,
  lastEvaluatedKey: unknown,
): { readonly items: T[]; readonly last: T | undefined; readonly more: boolean } {
  const items = found.slice(0, limit);
  return { items, last: items.at(-1), more: found.length > limit || lastEvaluatedKey !== undefined };
}
