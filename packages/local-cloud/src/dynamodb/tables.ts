import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { SchemaChangePolicy, TableDefinition, TableStatus } from './types.js';

/** Used when a PROVISIONED table or index comes without numbers; they limit nothing locally. */
const DEFAULT_THROUGHPUT = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };

/** The CreateTable request for a definition. */
export function createTableInput(def: TableDefinition): CreateTableInput {
  const provisioned = def.billingMode === 'PROVISIONED';
  const throughput = provisioned ? (def.provisionedThroughput ?? DEFAULT_THROUGHPUT) : undefined;
  const input: CreateTableInput = {
    TableName: def.tableName,
    KeySchema: [...def.keySchema],
    AttributeDefinitions: [...def.attributeDefinitions],
    BillingMode: def.billingMode,
  };
  if (throughput) input.ProvisionedThroughput = throughput;
  if (def.globalSecondaryIndexes?.length) {
    input.GlobalSecondaryIndexes = def.globalSecondaryIndexes.map((gsi) => {
      if (!provisioned) {
        const { ProvisionedThroughput: _ignored, ...rest } = gsi;
        return rest;
      }
      return { ...gsi, ProvisionedThroughput: gsi.ProvisionedThroughput ?? throughput };
    });
  }
  if (def.localSecondaryIndexes?.length) input.LocalSecondaryIndexes = [...def.localSecondaryIndexes];
  if (def.streamSpecification) input.StreamSpecification = def.streamSpecification;
  return input;
}

// ---------------------------------------------------------------------------------------------------------
// Schema comparison: keys, attribute types and indexes decide where items live; billing and throughput
// do not, so they are not compared.

function keyText(schema: readonly KeySchemaElement[] | undefined): string {
  return (schema ?? []).map((k) => `${k.AttributeName}(${k.KeyType})`).join(' ') || '(none)';
}

function attributesText(defs: readonly AttributeDefinition[] | undefined): string {
  const parts = (defs ?? []).map((a) => `${a.AttributeName}:${a.AttributeType}`).sort();
  return `[${parts.join(', ')}]`;
}

function projectionText(p: Projection | undefined): string {
  const type = p?.ProjectionType ?? 'ALL';
  const extra = p?.NonKeyAttributes?.length ? ` (${[...p.NonKeyAttributes].sort().join(', ')})` : '';
  return type + extra;
}

interface IndexShape {
  readonly IndexName?: string | undefined;
  readonly KeySchema?: readonly KeySchemaElement[] | undefined;
  readonly Projection?: Projection | undefined;
}

function compareIndexes(
  kind: string,
  stored: readonly IndexShape[] | undefined,
  wanted: readonly IndexShape[] | undefined,
): string[] {
  const differences: string[] = [];
  const byName = (list: readonly IndexShape[] | undefined) =>
    new Map((list ?? []).map((index) => [index.IndexName ?? '', index]));
  const storedByName = byName(stored);
  const wantedByName = byName(wanted);
  for (const [name, want] of wantedByName) {
    const have = storedByName.get(name);
    if (!have) {
      differences.push(`${kind} "${name}" is in the template but not in the stored table`);
      continue;
    }
    if (keyText(have.KeySchema) !== keyText(want.KeySchema)) {
      differences.push(
        `${kind} "${name}" key schema: stored ${keyText(have.KeySchema)}, template ${keyText(want.KeySchema)}`,
      );
    }
    if (projectionText(have.Projection) !== projectionText(want.Projection)) {
      differences.push(
        `${kind} "${name}" projection: stored ${projectionText(have.Projection)}, template ${projectionText(want.Projection)}`,
      );
    }
  }
  for (const name of storedByName.keys()) {
    if (!wantedByName.has(name))
      differences.push(`${kind} "${name}" is in the stored table but not in the template`);
  }
  return differences;
}

/** Human-readable differences between a stored table and its definition; empty = same schema. */
export function schemaDifferences(stored: TableDescription, def: TableDefinition): string[] {
  const differences: string[] = [];
  if (keyText(stored.KeySchema) !== keyText(def.keySchema)) {
    differences.push(`key schema: stored ${keyText(stored.KeySchema)}, template ${keyText(def.keySchema)}`);
  }
  if (attributesText(stored.AttributeDefinitions) !== attributesText(def.attributeDefinitions)) {
    differences.push(
      `attribute definitions: stored ${attributesText(stored.AttributeDefinitions)}, template ${attributesText(def.attributeDefinitions)}`,
    );
  }
  differences.push(
    ...compareIndexes('global secondary index', stored.GlobalSecondaryIndexes, def.globalSecondaryIndexes),
    ...compareIndexes('local secondary index', stored.LocalSecondaryIndexes, def.localSecondaryIndexes),
  );
  return differences;
}

export interface TableSchemaChange {
  readonly tableName: string;
  readonly differences: readonly string[];
}

/** A persisted table no longer matches the template and the policy says not to touch it. */
export class DynamoDbSchemaChangedError extends Error {
  override readonly name = 'DynamoDbSchemaChangedError';
  readonly changes: readonly TableSchemaChange[];

  constructor(changes: readonly TableSchemaChange[], dataDir: string) {
    const lines = changes.flatMap((c) => c.differences.map((d) => `  - ${c.tableName}: ${d}`));
    super(
      [
        changes.length === 1
          ? `A DynamoDB table stored in ${dataDir} no longer matches the template:`
          : `${changes.length} DynamoDB tables stored in ${dataDir} no longer match the template:`,
        ...lines,
        'The stored data was left untouched. To go on, either start with onSchemaChange: "recreate" (drops and',
        `recreates only the tables listed, deleting their items), or delete ${dataDir} to start empty.`,
      ].join('\n'),
    );
    this.changes = changes;
  }
}

// ---------------------------------------------------------------------------------------------------------

const POLL_MS = 10;

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

async function waitFor(
  client: DynamoDBClient,
  tableName: string,
  done: (t: TableDescription | undefined) => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done(await describe(client, tableName))) return;
    if (Date.now() > deadline)
      throw new Error(`DynamoDB table ${tableName} did not become ${what} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const isActive = (t: TableDescription | undefined) =>
  t?.TableStatus === 'ACTIVE' && (t.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');

async function create(client: DynamoDBClient, def: TableDefinition, timeoutMs: number): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(def)));
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`DynamoDB: the engine refused to create table ${def.tableName} (${reason})`, {
      cause: err,
    });
  }
  await waitFor(client, def.tableName, isActive, 'ACTIVE', timeoutMs);
}

export interface EnsureTablesOptions {
  readonly policy: SchemaChangePolicy;
  /** Where the data lives, for messages. */
  readonly dataDir: string;
  readonly timeoutMs?: number;
  readonly log: (line: string) => void;
}

/**
 * Creates every table that does not exist; keeps existing ones with the same schema; for changed ones,
 * follows the policy. With `fail`, nothing is created or dropped before the whole set has been checked, so
 * a refused start leaves the stored data exactly as it was.
 */
export async function ensureTables(
  client: DynamoDBClient,
  defs: readonly TableDefinition[],
  options: EnsureTablesOptions,
): Promise<TableStatus[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const existing = await Promise.all(defs.map((def) => describe(client, def.tableName)));

  const changes: TableSchemaChange[] = [];
  defs.forEach((def, i) => {
    const stored = existing[i];
    if (!stored) return;
    const differences = schemaDifferences(stored, def);
    if (differences.length) changes.push({ tableName: def.tableName, differences });
  });
  if (changes.length && options.policy === 'fail')
    throw new DynamoDbSchemaChangedError(changes, options.dataDir);

  const changed = new Set(changes.map((c) => c.tableName));
  return Promise.all(
    defs.map(async (def, i): Promise<TableStatus> => {
      const stored = existing[i];
      if (!stored) {
        await create(client, def, timeoutMs);
        return { tableName: def.tableName, action: 'created' };
      }
      if (!changed.has(def.tableName)) {
        // A table found right after a crash may still be CREATING on engines with transient states.
        if (!isActive(stored)) await waitFor(client, def.tableName, isActive, 'ACTIVE', timeoutMs);
        options.log(`DynamoDB table ${def.tableName}: kept from ${options.dataDir} (same schema)`);
        return { tableName: def.tableName, action: 'kept' };
      }
      await client.send(new DeleteTableCommand({ TableName: def.tableName }));
      await waitFor(client, def.tableName, (t) => t === undefined, 'deleted', timeoutMs);
      await create(client, def, timeoutMs);
      const detail = changes.find((c) => c.tableName === def.tableName)?.differences.join('; ') ?? '';
      options.log(
        `DynamoDB table ${def.tableName}: schema changed (${detail}); dropped and recreated, items deleted`,
      );
      return { tableName: def.tableName, action: 'recreated' };
    }),
  );
}

/** Names of the key attributes of a definition, table key first. */
export function keyAttributes(def: TableDefinition): string[] {
  return def.keySchema.map((k) => k.AttributeName).filter((n): n is string => typeof n === 'string');
}
