/**
 * POST /notes — create a note for the caller.
 * Auth: Cognito access token of a user (route scopes: aws.cognito.signin.user.admin or openid).
 * 201 + the note, `Location` and `ETag` | 400 invalid body (unknown fields included) | 401 | 415
 */
import { httpApiHandler, json, MetricUnit, metrics } from '@serverless-reference/middleware';
import { NoteInput } from '../domain/note';
import { callerId, etag } from '../http/request';
import { notes } from '../runtime';

export const handler = httpApiHandler({
  body: NoteInput,
  handler: async ({ body, event }) => {
    const note = await notes.create(callerId(event), body);
    metrics.addMetric('NoteCreated', MetricUnit.Count, 1);
    return json(201, note, { Location: `/notes/${note.id}`, ETag: etag(note) });
  },
});
