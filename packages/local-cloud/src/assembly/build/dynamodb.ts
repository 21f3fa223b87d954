import { arn } from '../environment';
import type {
  AttributeDefinition,
  KeySchemaElement,
  ProvisionedThroughput,
  SecondaryIndex,
  TableModel,
} from '../model';
import type { Json } from '../resolve/value';
import { STREAM_LABEL } from '../resource-types';
import {
  type BuildContext,
  bool,
  identity,
  num,
  obj,
  objects,
  type ResourceRecord,
  recordsOfType,
  str,
  strings,
  valueGap,
} from './context';

const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;

export function buildTables(ctx: BuildContext): TableModel[] {
  return [
    ...recordsOfType(ctx, 'AWS::DynamoDB::Table').map((record) => buildTable(record, ctx)),
    ...recordsOfType(ctx, 'AWS::DynamoDB::GlobalTable').map((record) => buildGlobalTable(record, ctx)),
  ];
}

function keySchema(value: Json | undefined): KeySchemaElement[] {
  return objects(value).map((item) => ({
    attributeName: str(item.AttributeName) ?? '',
    keyType: str(item.KeyType) === 'RANGE' ? 'RANGE' : 'HASH',
  }));
}

function attributeDefinitions(value: Json | undefined): AttributeDefinition[] {
  return objects(value).map((item) => {
    const type = str(item.AttributeType);
    return {
      attributeName: str(item.AttributeName) ?? '',
      attributeType: type === 'N' || type === 'B' ? type : 'S',
    };
  });
}

function throughput(value: Json | undefined): ProvisionedThroughput | undefined {
  const p = obj(value);
  const read = num(p.ReadCapacityUnits);
  const write = num(p.WriteCapacityUnits);
  return read === undefined || write === undefined
    ? undefined
    : { readCapacityUnits: read, writeCapacityUnits: write };
}

function indexes(value: Json | undefined): SecondaryIndex[] {
  return objects(value).map((item) => {
    const projection = obj(item.Projection);
    const type = str(projection.ProjectionType);
    return {
      indexName: str(item.IndexName) ?? '',
      keySchema: keySchema(item.KeySchema),
      projectionType: type === 'KEYS_ONLY' || type === 'INCLUDE' ? type : 'ALL',
      nonKeyAttributes: strings(projection.NonKeyAttributes),
      provisionedThroughput: throughput(item.ProvisionedThroughput),
    };
  });
}

function streamViewType(value: Json | undefined): TableModel['streamViewType'] {
  const type = str(obj(value).StreamViewType);
  return STREAM_VIEW_TYPES.find((candidate) => candidate === type);
}

function ttlAttribute(value: Json | undefined): string | undefined {
  const spec = obj(value);
  return bool(spec.Enabled) ? str(spec.AttributeName) : undefined;
}

function common(record: ResourceRecord) {
  const p = record.properties;
  const { env } = record.stack;
  const tableArn = arn(env, 'dynamodb', `table/${record.ref}`);
  const stream = streamViewType(p.StreamSpecification);
  return {
    ...identity(record),
    name: record.ref,
    arn: tableArn,
    streamArn: stream ? `${tableArn}/stream/${STREAM_LABEL}` : undefined,
    keySchema: keySchema(p.KeySchema),
    attributeDefinitions: attributeDefinitions(p.AttributeDefinitions),
    globalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes),
    localSecondaryIndexes: indexes(p.LocalSecondaryIndexes),
    ttlAttribute: ttlAttribute(p.TimeToLiveSpecification),
    billingMode:
      str(p.BillingMode) === 'PAY_PER_REQUEST' ? ('PAY_PER_REQUEST' as const) : ('PROVISIONED' as const),
    streamViewType: stream,
  };
}

function buildTable(record: ResourceRecord, ctx: BuildContext): TableModel {
  const model: TableModel = {
    type: 'AWS::DynamoDB::Table',
    ...common(record),
    provisionedThroughput: throughput(record.properties.ProvisionedThroughput),
    deletionProtection: bool(record.properties.DeletionProtectionEnabled) ?? false,
  };
  checkKeys(model, record, ctx);
  return model;
}

function buildGlobalTable(record: ResourceRecord, ctx: BuildContext): TableModel {
  const p = record.properties;
  const region = record.stack.env.region;
  const replica = objects(p.Replicas).find((item) => str(item.Region) === region);
  if (!replica) {
    valueGap(ctx, record, 'Replicas', `no replica in ${region}; the local table uses the table definition`);
  }
  const base = common(record);
  const read = num(obj(replica?.ReadProvisionedThroughputSettings).ReadCapacityUnits);
  const write = num(
    obj(obj(p.WriteProvisionedThroughputSettings).WriteCapacityAutoScalingSettings).MinCapacity,
  );
  const model: TableModel = {
    type: 'AWS::DynamoDB::GlobalTable',
    ...base,
    provisionedThroughput:
      base.billingMode === 'PROVISIONED'
        ? { readCapacityUnits: read ?? 5, writeCapacityUnits: write ?? 5 }
        : undefined,
    deletionProtection: bool(replica?.DeletionProtectionEnabled) ?? false,
  };
  checkKeys(model, record, ctx);
  return model;
}

/** Every key attribute must be defined, as CreateTable requires. */
function checkKeys(model: TableModel, record: ResourceRecord, ctx: BuildContext): void {
  const defined = new Set(model.attributeDefinitions.map((a) => a.attributeName));
  const keys = [
    ...model.keySchema,
    ...model.globalSecondaryIndexes.flatMap((i) => i.keySchema),
    ...model.localSecondaryIndexes.flatMap((i) => i.keySchema),
  ];
  if (model.keySchema.length === 0) valueGap(ctx, record, 'KeySchema', 'the table has no key schema');
  for (const key of keys) {
    if (!defined.has(key.attributeName)) {
      valueGap(ctx, record, 'AttributeDefinitions', `key attribute ${key.attributeName} is not defined`);
    }
  }
}
