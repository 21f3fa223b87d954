import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type BundleRef, resolveBundleDir } from '../../bundles';
import type { LogLevel, StageConfig } from '../../config/stage-config';

/**
 * The Lambda runtime of every function. Bundles are built for `node20` (the local cloud runs them on
 * Node 20), which runs unchanged on this newer runtime; nodejs20.x is deprecated on Lambda.
 */
export const SERVICE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** How a function may use a table: `read` = get/query/scan, `readwrite` = that plus put/update/delete/batch. */
export type TableAccess = 'read' | 'readwrite';

export interface ServiceFunctionProps {
  /** The handler bundle to deploy, e.g. `bundle('apps/http-api', 'health')`. */
  readonly bundle: BundleRef;
  /** The stage's config: log level and retention, removal policy, metrics namespace, alarms. */
  readonly config: StageConfig;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`), shared by all functions of one service. */
  readonly serviceName: string;
  /**
   * What the function does, shown in the Lambda console.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Memory in MiB (CPU scales with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Execution timeout. Keep it below the API's integration timeout (29 s by default).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Extra environment variables. They cannot replace the ones this construct sets.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
}

const applicationLogLevels: Record<LogLevel, lambda.ApplicationLogLevel> = {
  DEBUG: lambda.ApplicationLogLevel.DEBUG,
  INFO: lambda.ApplicationLogLevel.INFO,
  WARN: lambda.ApplicationLogLevel.WARN,
  ERROR: lambda.ApplicationLogLevel.ERROR,
};

/**
 * A Lambda function for one handler bundle with the project's decisions baked in:
 *
 * - code from `<workspace>/dist/<handler>/` (handler `index.handler`); a missing bundle fails synth with
 *   "run npm run build first" instead of CDK's generic asset error;
 * - {@link SERVICE_RUNTIME} on ARM64, X-Ray tracing active, source maps on (`NODE_OPTIONS`);
 * - an explicit log group (CloudFormation-generated name) with the stage's retention and removal policy,
 *   JSON log format, and Lambda's log-level filter set to the same level as Powertools;
 * - Powertools environment: service name, metrics namespace, log level;
 * - an `Errors` alarm when the stage has alarms;
 * - no physical names, so any number of stages can share an account.
 *
 * Integrate APIs with {@link ServiceFunction.function}. (When canaries arrive, that becomes a `live` alias.)
 *
 * @example
 * const notes = new ServiceFunction(this, 'ListNotes', {
 *   bundle: bundle('apps/http-api', 'list-notes'),
 *   config,
 *   serviceName: 'notes',
 * });
 * notes.bindTable(table, 'read'); // grants read access and sets TABLE_NAME
 */
export class ServiceFunction extends Construct {
  /** The Lambda function. */
  readonly function: lambda.Function;
  /** The function's log group, owned by this stack. */
  readonly logGroup: logs.LogGroup;
  /** Fires on function errors; only in stages with alarms. */
  readonly errorsAlarm?: cloudwatch.Alarm;

  /** Environment variable names already taken (managed, given in props, or bound). */
  private readonly takenEnv: Set<string>;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config } = props;
    const codeDir = resolveBundleDir(this, props.bundle);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: config.logging.retention,
      removalPolicy: config.removalPolicy,
    });

    const managed: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
      POWERTOOLS_LOG_LEVEL: config.logging.level,
    };
    const clashes = Object.keys(props.environment ?? {}).filter((key) => key in managed);
    if (clashes.length > 0) {
      throw new Error(
        `${this.node.path}: environment cannot override ${clashes.join(', ')} (set by ServiceFunction)`,
      );
    }
    this.takenEnv = new Set([...Object.keys(managed), ...Object.keys(props.environment ?? {})]);

    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(codeDir),
      handler: 'index.handler',
      runtime: SERVICE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: applicationLogLevels[config.logging.level],
      // INFO keeps the platform's START/REPORT lines (duration, memory, init time).
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: { ...props.environment, ...managed },
      description: props.description,
    });

    if (config.alarms.enabled) {
      this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
        alarmDescription: `${props.serviceName}: ${this.node.path} reported errors (stage ${config.stageName})`,
        metric: this.function.metricErrors({
          period: config.alarms.period,
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: config.alarms.functionErrors,
        evaluationPeriods: config.alarms.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  /**
   * Gives the function access to a DynamoDB table and tells it the table's name.
   * @param table the table (from this stack or, by reference, another one)
   * @param access `read` or `readwrite`
   * @param envVar the environment variable that receives the table name
   * @default envVar `TABLE_NAME`
   */
  bindTable(table: dynamodb.ITable, access: TableAccess, envVar = 'TABLE_NAME'): this {
    if (!/^[A-Z][A-Z0-9_]*$/.test(envVar)) {
      throw new Error(`${this.node.path}: bindTable envVar "${envVar}" must be UPPER_SNAKE_CASE`);
    }
    if (this.takenEnv.has(envVar)) {
      throw new Error(`${this.node.path}: bindTable envVar ${envVar} is already set; pass another name`);
    }
    this.takenEnv.add(envVar);
    if (access === 'read') table.grantReadData(this.function);
    else table.grantReadWriteData(this.function);
    this.function.addEnvironment(envVar, table.tableName);
    return this;
  }
}
