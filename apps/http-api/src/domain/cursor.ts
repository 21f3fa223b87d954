/**
 * The opaque pagination cursor. It carries only a position inside a partition — the id (sort key) of the
 * last note of the page — never the partition key: the store re-derives the partition from the caller's
 * token (or the export path) on every request. A tampered or foreign cursor can therefore only move
 * within the partition the caller may already read; it can never open another user's notes.
 *
 * Format: base64url of `{"v":1,"after":"<note id>"}` (the shared codec of @serverless-reference/dynamodb-toolkit:
 * opaque, versioned, anything else rejected → 400, never passed to DynamoDB).
 */
import { cursorCodec } from '@serverless-reference/dynamodb-toolkit';
import { NoteId } from './note';

/** Where the next page starts: after this note (exclusive). */
export interface PageCursor {
  readonly after: NoteId;
}

/** Generous bound for `{"v":1,"after":"<36 chars>"}` in base64url (≈ 64 chars). */
export const CURSOR_MAX_LENGTH = 128;

const codec = cursorCodec({ after: NoteId }, { maxLength: CURSOR_MAX_LENGTH });

export const encodeCursor = (cursor: PageCursor): string => codec.encode(cursor);

/** The cursor, or `undefined` for anything {@link encodeCursor} did not produce. */
export const decodeCursor = (text: string): PageCursor | undefined => codec.decode(text);
