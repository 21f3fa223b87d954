/** A page as the stores return it: its items and the opaque cursor of the next one, `null` on the last. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * Every page of a listing, as a client pages it: from the first page, each next one asked for with the
 * previous page's cursor, decoded by the app's own codec (an undecodable cursor fails the test). Stops
 * after 50 pages, so a listing that never ends fails instead of hanging.
 */
export async function readAllPages<T, Cursor>(
  decode: (cursor: string) => Cursor | undefined,
  list: (cursor: Cursor | undefined) => Promise<Page<T>>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const after = cursor === null ? undefined : decode(cursor);
    if (cursor !== null && after === undefined) throw new Error(`undecodable cursor ${cursor}`);
    const page: Page<T> = await list(after);
    pages.push([...page.items]);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}
