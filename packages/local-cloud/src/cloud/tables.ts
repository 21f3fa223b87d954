/**
 * DynamoDB tables of the model → the local DynamoDB's `TableDefinition`s (the SDK's CreateTable shapes).
 * `AWS::DynamoDB::GlobalTable` (CDK `TableV2`) becomes one table: the replica of the stack's region.
 */
import type { KeySchemaElement, SecondaryIndex, TableModel } from '../assembly';
import type { TableDefinition } from '../dynamodb';

function keySchema(keys: readonly KeySchemaElement[]) {
  return keys.map((key) => ({ AttributeName: key.attributeName, KeyType: key.keyType }));
}

function projection(index: SecondaryIndex) {
  return {
    ProjectionType: index.projectionType,
    ...(index.nonKeyAttributes.length > 0 ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
  };
}

function throughput(value: TableModel['provisionedThroughput']) {
  return value === undefined
    ? undefined
    : { ReadCapacityUnits: value.readCapacityUnits, WriteCapacityUnits: value.writeCapacityUnits };
}

export function mapTable(table: TableModel): TableDefinition {
  const provisioned = throughput(table.provisionedThroughput);
  return {
    tableName: table.name,
    keySchema: keySchema(table.keySchema),
    attributeDefinitions: table.attributeDefinitions.map((a) => ({
      AttributeName: a.attributeName,
      AttributeType: a.attributeType,
    })),
    globalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => {
      const indexThroughput = throughput(index.provisionedThroughput);
      return {
        IndexName: index.indexName,
        KeySchema: keySchema(index.keySchema),
        Projection: projection(index),
        ...(indexThroughput === undefined ? {} : { ProvisionedThroughput: indexThroughput }),
      };
    }),
    localSecondaryIndexes: table.localSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: keySchema(index.keySchema),
      Projection: projection(index),
    })),
    billingMode: table.billingMode,
    ...(provisioned === undefined ? {} : { provisionedThroughput: provisioned }),
    ...(table.ttlAttribute === undefined ? {} : { timeToLiveAttribute: table.ttlAttribute }),
    ...(table.streamViewType === undefined
      ? {}
      : { streamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }),
  };
}

export function mapTables(tables: readonly TableModel[]): TableDefinition[] {
  return tables.map(mapTable);
}
