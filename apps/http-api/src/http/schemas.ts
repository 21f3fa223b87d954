/**
 * Path and query schemas of the notes routes. (Body schemas are the domain's: domain/note.ts.) Query
 * values arrive as strings, hence `z.coerce`. Failures become one 400 listing every bad field.
 */
import * as z from 'zod';
import { CURSOR_MAX_LENGTH, decodeCursor } from '../domain/cursor';
import { NoteId } from '../domain/note';

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/** `/notes/{id}` */
export const NotePath = z.object({ id: NoteId });

/** `/export/users/{userId}/notes`: a Cognito `sub` (UUID-shaped). */
export const ExportPath = z.object({ userId: z.guid() });

/** `?limit=1..100&cursor=<nextCursor of the previous page>` */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  cursor: z
    .string()
    .max(CURSOR_MAX_LENGTH)
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
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
});
