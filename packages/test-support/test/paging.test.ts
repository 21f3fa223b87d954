import { describe, expect, it } from 'vitest';
import { readAllPages } from '../src/paging';

/** A listing of 0..count-1 in pages of `size`; the cursor is the next offset, prefixed as if encoded. */
const listing = (count: number, size: number) => async (after: number | undefined) => {
  const start = after ?? 0;
  const end = Math.min(start + size, count);
  const items = Array.from({ length: end - start }, (_, i) => start + i);
  return { items, nextCursor: end < count ? `c${end}` : null };
};
const decode = (cursor: string) => (cursor.startsWith('c') ? Number(cursor.slice(1)) : undefined);

describe('readAllPages', () => {
  it('follows the cursors from the first page to the last', async () => {
    expect(await readAllPages(decode, listing(5, 2))).toEqual([[0, 1], [2, 3], [4]]);
    expect(await readAllPages(decode, listing(0, 2))).toEqual([[]]);
  });

  it('fails on a cursor the codec cannot decode', async () => {
    const broken = async () => ({ items: [1], nextCursor: 'garbage' });
    await expect(readAllPages(decode, broken)).rejects.toThrow('undecodable cursor garbage');
  });

  it('stops after 50 pages of a listing that never ends', async () => {
    const endless = async () => ({ items: [1], nextCursor: 'c1' });
    expect(await readAllPages(decode, endless)).toHaveLength(50);
  });
});
