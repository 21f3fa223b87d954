/**
 * The notes table for tests, on the shared dynalite harness (@serverless-reference/test-support): the key
 * schema infra's http-api stack defines.
 */
import type { LocalDynamoDB, TableLayout } from '@serverless-reference/test-support/dynalite';

export { type LocalDynamoDB, startDynalite } from '@serverless-reference/test-support/dynalite';

const NOTES_TABLE: TableLayout = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
};

/** Creates a table with the notes key schema and returns its name. */
export const createNotesTable = (local: LocalDynamoDB): Promise<string> =>
  local.createTable('notes', NOTES_TABLE);
