/**
 * The products table for tests, on the shared dynalite harness (@serverless-reference/test-support): the
 * key schema and category index infra's rest-api stack defines.
 */
import type { LocalDynamoDB, TableLayout } from '@serverless-reference/test-support/dynalite';
import { CATEGORY_INDEX } from '../../src/domain/table';

export { type LocalDynamoDB, startDynalite } from '@serverless-reference/test-support/dynalite';

const PRODUCTS_TABLE: TableLayout = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'gsi1pk', AttributeType: 'S' },
    { AttributeName: 'gsi1sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: CATEGORY_INDEX,
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

/** Creates a table with the products key schema and category index and returns its name. */
export const createProductsTable = (local: LocalDynamoDB): Promise<string> =>
  local.createTable('products', PRODUCTS_TABLE);
