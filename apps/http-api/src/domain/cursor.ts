/**
 * The opaque pagination cursor. It carries only a position inside a partition — the id (sort key) of the
 * last note of the page — never the partition key: the store re-derives the partition from the caller's
 * token (or the export path) on every request. A tampered or foreign cursor can therefore only move
 * within the partition the caller may already read; it can never open another user's notes.
 *
 * Format: base64url of `{"v":1,"after":"<note id>"}`. Clients must treat it as opaque; the version lets
 * the format change without breaking cursors in flight. Anything that does not decode to exactly this
 * shape is rejected (→ 400), never passed to DynamoDB.
 */
import * as z from 'zod';
import { NoteId } from './note';

/** Where the next page starts: after this note (exclusive). */
export interface PageCursor {
  readonly after: NoteId;
}

/** Generous bound for `{"v":1,"after":"<36 chars>"}` in base64url (≈ 64 chars). */
export const CURSOR_MAX_LENGTH = 128;

const CursorPayload = z.strictObject({ v: z.literal(1), after: NoteId });
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, after: cursor.after }), 'utf8').toString('base64url');
}

/** The cursor, or `undefined` for anything {@link encodeCursor} did not produce. */
export function decodeCursor(text: string): PageCursor | undefined {
  if (text.length > CURSOR_MAX_LENGTH || !BASE64URL.test(text)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = CursorPayload.safeParse(payload);
  return parsed.success ? { after: parsed.data.after } : undefined;
}
