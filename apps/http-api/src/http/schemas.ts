/**
 * Path and query schemas of the notes routes. (Body schemas are the domain's: domain/note.ts.) Failures
 * become one 400 listing every bad field.
 */
import { pageQuery } from '@serverless-reference/middleware';
import * as z from 'zod';
import { CURSOR_MAX_LENGTH, decodeCursor } from '../domain/cursor';
import { NoteId } from '../domain/note';

/** `/notes/{id}` */
export const NotePath = z.object({ id: NoteId });

/** `/export/users/{userId}/notes`: a Cognito `sub` (UUID-shaped). */
export const ExportPath = z.object({ userId: z.guid() });

/** `?limit=1..100&cursor=<nextCursor of the previous page>` */
export const PageQuery = z.object(pageQuery(decodeCursor, CURSOR_MAX_LENGTH));
