/**
 * The opaque pagination cursor of a category listing. It holds a position in the category index and
 * nothing else: the sort key of the page's last product, i.e. its lower-cased name and its id. The
 * category comes from the request on every call, never from the cursor, and every product is public,
 * so a forged cursor can only move the reader to another position of a listing they may read anyway.
 *
 * Format: base64url of `{"v":1,"name":"<lower-cased name>","id":"<product id>"}` (the shared codec of
 * @serverless-reference/dynamodb-toolkit: opaque, versioned, anything else rejected → 400, never passed
 * to DynamoDB).
 */
import { cursorCodec } from '@serverless-reference/dynamodb-toolkit';
import * as z from 'zod';
import { NAME_MAX, ProductId } from './product';

/** Where the next page starts: after this sort position (exclusive). */
export interface PageCursor {
  /** The lower-cased product name (the first part of the index sort key). */
  readonly name: string;
  readonly id: ProductId;
}

/**
 * Bound on the encoded length: a 200-character name is at most ≈ 600 UTF-8 bytes lower-cased, ≈ 950
 * characters of cursor with the id and the JSON frame. Generous, but it keeps junk from being decoded.
 */
export const CURSOR_MAX_LENGTH = 1_800;

const codec = cursorCodec(
  {
    // toLowerCase may lengthen a few characters (İ → i̇), hence the slack over NAME_MAX.
    name: z
      .string()
      .min(1)
      .max(NAME_MAX * 2)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to exclude control characters
      .regex(/^[^\u0000-\u001f\u007f]+$/),
    id: ProductId,
  },
  { maxLength: CURSOR_MAX_LENGTH },
);

export const encodeCursor = (cursor: PageCursor): string =>
  codec.encode({ name: cursor.name, id: cursor.id });

/** The cursor, or `undefined` for anything {@link encodeCursor} did not produce. */
export const decodeCursor = (text: string): PageCursor | undefined => codec.decode(text);
