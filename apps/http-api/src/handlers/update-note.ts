/**
 * PATCH /notes/{id} — change some of title, content, tags. Requires `If-Match: "<version>"` (the ETag
 * the client read) so concurrent edits are never silently lost; `If-Match: *` overwrites any version.
 * Auth: Cognito access token of a user (route scopes: aws.cognito.signin.user.admin or openid).
 * 200 + the note and its new `ETag` | 400 | 401 | 404 | 412 stale version | 428 no If-Match
 */
import { httpApiHandler, json, MetricUnit, metrics } from '@serverless-reference/middleware';
import { NotePatch } from '../domain/note';
import { callerId, etag, expectedVersion } from '../http/request';
import { NotePath } from '../http/schemas';
import { notes } from '../runtime';

export const handler = httpApiHandler({
  path: NotePath,
  body: NotePatch,
  handler: async ({ path, body, headers, event }) => {
    const version = expectedVersion(headers, { required: true });
    const note = await notes.update(callerId(event), path.id, body, version);
    metrics.addMetric('NoteUpdated', MetricUnit.Count, 1);
    return json(200, note, { ETag: etag(note) });
  },
});
