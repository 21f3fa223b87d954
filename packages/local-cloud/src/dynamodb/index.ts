import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { systemClock } from '../clock.js';
import { lockDataDir } from './data-dir-lock.js';
import { startDynalite } from './dynalite-engine.js';
import { startDynamoDbLocal } from './dynamodb-local-engine.js';
import { type EngineInstance, once } from './engine.js';
import { DEFAULT_REGION, dynamoDbEnv, localClientConfig } from './env.js';
import { ensureTables, keyAttributes } from './tables.js';
import { TtlSweeper, type TtlTable } from './ttl-sweeper.js';
import type { DynamoDbEngine, RunningDynamoDb, StartDynamoDbOptions, TableDefinition } from './types.js';

export { DYNALITE_OPERATIONS, unsupportedOperationMessage } from './dynalite-engine.js';
export {
  buildDynamoDbLocalArgs,
  DynamoDbLocalNotInstalledError,
  installCommand,
  locateDynamoDbLocal,
} from './dynamodb-local-engine.js';
export { dynamoDbEnv, LOCAL_CREDENTIALS, localClientConfig } from './env.js';
export type { TableSchemaChange } from './tables.js';
export { createTableInput, DynamoDbSchemaChangedError, schemaDifferences } from './tables.js';
export { TTL_MAX_AGE_SECONDS } from './ttl-sweeper.js';
export type * from './types.js';

const DEFAULT_SWEEP_INTERVAL_MS = 5_000;
const DEFAULT_SWEEP_PAGE_SIZE = 100;

function validate(options: StartDynamoDbOptions): void {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`DynamoDB: invalid port ${port}`);
  const interval = options.ttlSweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  // setInterval turns anything above 2^31 - 1 ms into 1 ms
  if (!(interval >= 0 && interval <= 2_147_483_647))
    throw new Error(`DynamoDB: invalid ttlSweepIntervalMs ${interval}`);
  const pageSize = options.ttlSweepPageSize ?? DEFAULT_SWEEP_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new Error(`DynamoDB: invalid ttlSweepPageSize ${pageSize}`);
  const seen = new Set<string>();
  for (const table of options.tables) {
    if (seen.has(table.tableName)) throw new Error(`DynamoDB: table ${table.tableName} is defined twice`);
    seen.add(table.tableName);
    if (table.keySchema.length === 0) throw new Error(`DynamoDB: table ${table.tableName} has no key schema`);
  }
}

/** Differences from AWS for this run, one line each. */
export function describeGaps(
  engine: DynamoDbEngine,
  tables: readonly TableDefinition[],
  sweepIntervalMs: number,
): string[] {
  const gaps: string[] = [];
  if (engine === 'dynalite') {
    gaps.push(
      'DynamoDB (dynalite): TransactWriteItems, TransactGetItems, UpdateTimeToLive, PartiQL (ExecuteStatement, ' +
        'BatchExecuteStatement, ExecuteTransaction) and every other operation outside its 17 are not implemented; ' +
        "calls fail with UnknownOperationException naming the engine (engine 'dynamodb-local' has them)",
      'DynamoDB (dynalite): ReturnValuesOnConditionCheckFailure is ignored; ConditionalCheckFailedException carries no Item',
    );
  }
  const when = sweepIntervalMs > 0 ? `every ${sweepIntervalMs} ms` : 'only when sweep() is called';
  for (const table of tables) {
    if (table.timeToLiveAttribute) {
      gaps.push(
        `DynamoDB table ${table.tableName}: TTL on "${table.timeToLiveAttribute}" is applied by the local sweeper ${when} ` +
          '(AWS: typically within 48 h)' +
          (engine === 'dynalite' ? '; DescribeTimeToLive answers DISABLED on dynalite' : ''),
      );
    }
    if (table.streamSpecification?.StreamEnabled && engine === 'dynalite') {
      gaps.push(
        `DynamoDB table ${table.tableName}: StreamSpecification is not emulated by dynalite; no stream records`,
      );
    }
  }
  return gaps;
}

async function listTableNames(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand(start ? { ExclusiveStartTableName: start } : {}));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** Engines with a real TTL API (DynamoDB Local) get it enabled too, so DescribeTimeToLive tells the truth. */
async function enableTimeToLive(client: DynamoDBClient, table: TtlTable, log: (line: string) => void) {
  try {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    const description = current.TimeToLiveDescription;
    if (description?.TimeToLiveStatus === 'ENABLED' && description.AttributeName === table.attributeName)
      return;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.tableName,
        TimeToLiveSpecification: { AttributeName: table.attributeName, Enabled: true },
      }),
    );
  } catch (err) {
    log(
      `DynamoDB table ${table.tableName}: could not enable TTL in the engine (${err instanceof Error ? err.message : String(err)}); ` +
        'the local sweeper still expires items',
    );
  }
}

/**
 * Starts a local DynamoDB on 127.0.0.1 and creates the tables through the DynamoDB API. With `persistDir`,
 * tables found there with the same keys and indexes are kept with their items.
 */
export async function startDynamoDb(options: StartDynamoDbOptions): Promise<RunningDynamoDb> {
  validate(options);
  const engine = options.engine ?? 'dynalite';
  const region = options.region ?? DEFAULT_REGION;
  const log = options.log ?? (() => undefined);
  const sweepIntervalMs = options.ttlSweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const persistDir = options.persistDir === undefined ? undefined : resolve(options.persistDir);
  // The engines' formats differ, so each keeps its own folder inside persistDir.
  const dataDir = persistDir === undefined ? undefined : join(persistDir, engine);

  // Undone last to first on close or on a failed start; the first failure is reported after all ran.
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    let failure: unknown;
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => {
        failure ??= err;
      });
    }
    if (failure !== undefined) throw failure;
  };

  try {
    if (persistDir !== undefined) cleanups.push(await lockDataDir(persistDir));
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true }); // DynamoDB Local does not create it
    const port = options.port ?? 0;
    const instance: EngineInstance =
      engine === 'dynalite'
        ? await startDynalite({ port, dataDir, log })
        : await startDynamoDbLocal({ port, dataDir, region, options: options.dynamoDbLocal, log });
    cleanups.push(instance.close);

    const clientConfig = localClientConfig(instance.url, region);
    const client = new DynamoDBClient(clientConfig);
    cleanups.push(async () => client.destroy());

    const tables = await ensureTables(client, options.tables, {
      policy: options.onSchemaChange ?? 'fail',
      dataDir: dataDir ?? 'memory',
      log,
    });
    if (dataDir !== undefined) {
      const defined = new Set(options.tables.map((t) => t.tableName));
      for (const name of await listTableNames(client)) {
        if (!defined.has(name))
          log(`DynamoDB table ${name}: in ${dataDir} but not in the template; left as it is`);
      }
    }

    const ttlTables: TtlTable[] = options.tables.flatMap((def) =>
      def.timeToLiveAttribute
        ? [
            {
              tableName: def.tableName,
              attributeName: def.timeToLiveAttribute,
              keyAttributes: keyAttributes(def),
            },
          ]
        : [],
    );
    if (engine === 'dynamodb-local')
      for (const table of ttlTables) await enableTimeToLive(client, table, log);
    const sweeper = new TtlSweeper({
      client,
      tables: ttlTables,
      clock: options.clock ?? systemClock,
      intervalMs: sweepIntervalMs,
      pageSize: options.ttlSweepPageSize ?? DEFAULT_SWEEP_PAGE_SIZE,
      log,
    });
    cleanups.push(() => sweeper.stop());
    sweeper.start();

    const gaps = describeGaps(engine, options.tables, sweepIntervalMs);
    for (const gap of gaps) log(gap);

    let closed = false;
    return {
      url: instance.url,
      endpoint: instance.url,
      engine,
      region,
      tables,
      gaps,
      env: Object.freeze(dynamoDbEnv(instance.url, region)),
      clientConfig,
      sweep: () =>
        closed ? Promise.reject(new Error('DynamoDB service is closed; nothing to sweep')) : sweeper.sweep(),
      close: once(async () => {
        closed = true;
        await cleanUp();
      }),
    };
  } catch (err) {
    await cleanUp().catch(() => undefined);
    throw err;
  }
}
