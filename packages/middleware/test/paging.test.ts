import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, pageQuery } from '../src/index';

/** A stand-in codec: `p<n>` is position n. */
const decode = (text: string) => (/^p\d+$/.test(text) ? { position: Number(text.slice(1)) } : undefined);
const Query = z.object(pageQuery(decode, 8));

describe('pageQuery', () => {
  it('limit defaults to 20 and arrives as a number; the cursor arrives decoded', () => {
    expect(Query.parse({})).toEqual({ limit: PAGE_LIMIT_DEFAULT });
    expect(Query.parse({ limit: '5', cursor: 'p42' })).toEqual({ limit: 5, cursor: { position: 42 } });
  });

  it.each(['0', String(PAGE_LIMIT_MAX + 1), 'ten', '2.5'])('rejects limit=%s, naming the field', (limit) => {
    const result = Query.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['limit']]);
  });

  it('rejects a cursor the codec does not decode, or one longer than the bound, naming the field', () => {
    for (const cursor of ['garbage', 'p123456789']) {
      const result = Query.safeParse({ cursor });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path)).toEqual([['cursor']]);
    }
    expect(Query.safeParse({ cursor: 'garbage' }).error?.issues[0]?.message).toBe(
      "Invalid cursor: pass a previous page's nextCursor unchanged",
    );
  });
});
