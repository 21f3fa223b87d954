/**
 * The query parameters every paged listing takes: `limit` (1–100, default 20) and `cursor`, a previous
 * page's `nextCursor` passed back unchanged. The cursor is decoded by the app's own codec while the query
 * is validated, so a handler receives a position or the client a 400 naming the field.
 */
import * as z from 'zod';

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/**
 * The `limit` and `cursor` fields of a list route's query schema: `z.object({ ...pageQuery(decode, max) })`.
 * Query values arrive as strings, hence `z.coerce`; a text longer than `maxLength` is never decoded.
 * (Schemas are built inside the call, so a bundle that never pages leaves zod out.)
 */
export function pageQuery<Cursor>(decode: (text: string) => Cursor | undefined, maxLength: number) {
  return {
    limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
    cursor: z
      .string()
      .max(maxLength)
      .transform((text, ctx) => {
        const cursor = decode(text);
        if (cursor === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: "Invalid cursor: pass a previous page's nextCursor unchanged",
          });
          return z.NEVER;
        }
        return cursor;
      })
      .optional(),
  };
}
