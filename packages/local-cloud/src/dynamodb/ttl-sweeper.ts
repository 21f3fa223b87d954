import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock.js';
import type { SweepResult } from './types.js';

export interface TtlTable {
  readonly tableName: string;
  readonly attributeName: string;
  /** Attribute names of the table's primary key. */
  readonly keyAttributes: readonly string[];
}

export interface TtlSweeperOptions {
  readonly client: DynamoDBClient;
  readonly tables: readonly TtlTable[];
  readonly clock: Clock;
  /** 0 = no timer; sweep only when `sweep()` is called. */
  readonly intervalMs: number;
  readonly pageSize: number;
  readonly log: (line: string) => void;
}

/**
 * DynamoDB ignores TTL values more than five years in the past (a guard against wrong units); so do we.
 * Five years of 365 days.
 */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 60 * 60;

/** Deletes in flight at once while sweeping one page. */
const DELETE_CONCURRENCY = 16;

/**
 * Deletes expired items the way DynamoDB's TTL process does, through the ordinary API: Scan for items whose
 * TTL attribute is a Number below the clock's epoch seconds (and not older than five years), then a
 * DeleteItem for each, conditional on the TTL value seen, so an item updated in between survives.
 */
export class TtlSweeper {
  readonly #options: TtlSweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepResult> | undefined;
  #stopped = false;

  constructor(options: TtlSweeperOptions) {
    this.#options = options;
  }

  get tables(): readonly TtlTable[] {
    return this.#options.tables;
  }

  /** Starts the periodic sweep (when there is something to sweep and an interval); the timer is unref'd. */
  start(): void {
    const { intervalMs, tables } = this.#options;
    if (this.#stopped || this.#timer || intervalMs <= 0 || tables.length === 0) return;
    this.#timer = setInterval(() => {
      if (this.#running) return; // a slow sweep is still going; the next tick will catch up
      this.sweep().catch((err: unknown) => {
        if (!this.#stopped) this.#options.log(`DynamoDB TTL sweep failed: ${errorText(err)}`);
      });
    }, intervalMs);
    this.#timer.unref();
  }

  /** One full pass over every TTL table. Calls made while a pass runs wait for it, then run their own. */
  async sweep(): Promise<SweepResult> {
    while (this.#running) await this.#running.catch(() => undefined);
    const pass = this.#pass();
    this.#running = pass;
    try {
      return await pass;
    } finally {
      if (this.#running === pass) this.#running = undefined;
    }
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  async #pass(): Promise<SweepResult> {
    const nowSeconds = Math.floor(this.#options.clock.now() / 1000);
    const tables: Record<string, { deleted: number; skipped: number }> = {};
    let deleted = 0;
    let skipped = 0;
    for (const table of this.#options.tables) {
      const counts = await this.#sweepTable(table, nowSeconds);
      tables[table.tableName] = counts;
      deleted += counts.deleted;
      skipped += counts.skipped;
    }
    return { nowSeconds, deleted, skipped, tables };
  }

  async #sweepTable(table: TtlTable, nowSeconds: number): Promise<{ deleted: number; skipped: number }> {
    const { client, pageSize } = this.#options;
    const names: Record<string, string> = { '#ttl': table.attributeName };
    const keyPlaceholders = table.keyAttributes.map((name, i) => {
      names[`#k${i}`] = name;
      return `#k${i}`;
    });
    const projection = [...new Set([...keyPlaceholders, '#ttl'])].join(', ');
    let deleted = 0;
    let skipped = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      let page: ScanCommandOutput;
      try {
        page = await client.send(
          new ScanCommand({
            TableName: table.tableName,
            // A Number comparison never matches a String or any other type, as in DynamoDB's TTL.
            FilterExpression: '#ttl < :now AND #ttl >= :oldest',
            ProjectionExpression: projection,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':now': { N: String(nowSeconds) },
              ':oldest': { N: String(nowSeconds - TTL_MAX_AGE_SECONDS) },
            },
            Limit: pageSize,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
      } catch (err) {
        if (err instanceof ResourceNotFoundException) break; // table dropped meanwhile: nothing to expire
        throw err;
      }
      const items = page.Items ?? [];
      for (let i = 0; i < items.length; i += DELETE_CONCURRENCY) {
        const outcomes = await Promise.all(
          items.slice(i, i + DELETE_CONCURRENCY).map((item) => this.#deleteIfUnchanged(table, item)),
        );
        for (const gone of outcomes) {
          if (gone) deleted++;
          else skipped++;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && !this.#stopped);
    return { deleted, skipped };
  }

  /** True when deleted; false when the item changed (or vanished) since the Scan. */
  async #deleteIfUnchanged(table: TtlTable, item: Record<string, AttributeValue>): Promise<boolean> {
    const seen = item[table.attributeName];
    if (!seen) return false;
    const key: Record<string, AttributeValue> = {};
    for (const name of table.keyAttributes) {
      const value = item[name];
      if (value) key[name] = value;
    }
    try {
      await this.#options.client.send(
        new DeleteItemCommand({
          TableName: table.tableName,
          Key: key,
          ConditionExpression: '#ttl = :seen',
          ExpressionAttributeNames: { '#ttl': table.attributeName },
          ExpressionAttributeValues: { ':seen': seen },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
