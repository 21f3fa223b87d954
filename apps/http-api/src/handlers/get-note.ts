/**
 * GET /notes/{id} — one of the caller's notes.
 * Auth: Cognito access token of a user (route scopes: aws.cognito.signin.user.admin or openid).
 * 200 + the note and its `ETag` | 400 malformed id | 401 | 404 no such note *for this caller*
 */
import { httpApiHandler, json } from '@serverless-reference/middleware';
import { callerId, etag } from '../http/request';
import { NotePath } from '../http/schemas';
import { notes } from '../runtime';

export const handler = httpApiHandler({
  path: NotePath,
  handler: async ({ path, event }) => {
    const note = await notes.get(callerId(event), path.id);
    return json(200, note, { ETag: etag(note) });
  },
});
