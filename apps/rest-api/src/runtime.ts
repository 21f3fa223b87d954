/**
 * Per-execution-environment singletons of the catalog functions, created once at module scope (a cold
 * start pays for them, warm invocations reuse them and their connections).
 *
 * Configuration comes from the environment the template sets: `TABLE_NAME` (ServiceFunction.bindTable);
 * region and credentials from Lambda; locally `AWS_ENDPOINT_URL_DYNAMODB` points the SDK at the local
 * DynamoDB — the SDK reads it itself, so this code is the same everywhere.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '@serverless-reference/middleware';
import { CatalogStore } from './domain/catalog-store';

const tableName = process.env.TABLE_NAME;
if (!tableName) {
  // Fail the cold start loudly rather than every request obscurely.
  throw new Error(
    'TABLE_NAME is not set: bind the function to the products table (ServiceFunction.bindTable)',
  );
}

/** X-Ray subsegments per DynamoDB call when tracing is on; a no-op otherwise. */
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const catalog = new CatalogStore({ db: DynamoDBDocumentClient.from(dynamodb), tableName });
