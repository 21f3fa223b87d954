/**
 * GET /notes?limit=&cursor= — the caller's notes, newest first, one page at a time.
 * Auth: Cognito access token of a user (route scopes: aws.cognito.signin.user.admin or openid).
 * 200 `{ items, nextCursor }` (nextCursor null on the last page) | 400 bad limit or cursor | 401
 */
import { httpApiHandler } from '@serverless-reference/middleware';
import { callerId } from '../http/request';
import { PageQuery } from '../http/schemas';
import { notes } from '../runtime';

export const handler = httpApiHandler({
  query: PageQuery,
  handler: async ({ query, event }) => notes.list(callerId(event), query),
});
