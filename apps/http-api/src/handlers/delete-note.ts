/**
 * DELETE /notes/{id} — delete one of the caller's notes; with `If-Match: "<version>"` only if unchanged.
 * Auth: Cognito access token of a user (route scopes: aws.cognito.signin.user.admin or openid).
 * 204 | 400 | 401 | 404 (also for a second delete) | 412 stale version
 */
import { httpApiHandler, MetricUnit, metrics, noContent } from '@serverless-reference/middleware';
import { callerId, expectedVersion } from '../http/request';
import { NotePath } from '../http/schemas';
import { notes } from '../runtime';

export const handler = httpApiHandler({
  path: NotePath,
  handler: async ({ path, headers, event }) => {
    await notes.delete(callerId(event), path.id, expectedVersion(headers, { required: false }));
    metrics.addMetric('NoteDeleted', MetricUnit.Count, 1);
    return noContent();
  },
});
