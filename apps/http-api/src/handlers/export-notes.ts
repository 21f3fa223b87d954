/**
 * GET /export/users/{userId}/notes?limit=&cursor= — machine-to-machine export of one user's notes
 * (e.g. a compliance job), newest first and paginated like GET /notes. Reads one partition with a
 * query — never a table scan.
 * Auth: client_credentials access token with the `notes/export` scope (checked by the route and here).
 * 200 `{ userId, items, nextCursor }` | 400 | 401 | 403 scope missing
 */
import { httpApiHandler, logger, MetricUnit, metrics } from '@serverless-reference/middleware';
import { requireScope } from '../http/request';
import { ExportPath, PageQuery } from '../http/schemas';
import { notes } from '../runtime';

/** The resource-server scope of infra's shared stack (`SCOPES.notesExport`). */
const EXPORT_SCOPE = 'notes/export';

export const handler = httpApiHandler({
  path: ExportPath,
  query: PageQuery,
  handler: async ({ path, query, event }) => {
    const { clientId } = requireScope(event, EXPORT_SCOPE);
    const page = await notes.list(path.userId, query, { consistentRead: false });
    logger.info('Notes exported', { userId: path.userId, clientId, count: page.items.length });
    metrics.addMetric('NotesExported', MetricUnit.Count, page.items.length);
    return { userId: path.userId, ...page };
  },
});
