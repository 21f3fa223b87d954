import { RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config';
import type { SharedAuth } from './shared-stack';

/** Props every service stack takes: its stage's config and the shared identity resources. */
export interface ServiceStackProps extends StackProps {
  readonly config: StageConfig;
  readonly auth: SharedAuth;
}

/**
 * Environment of functions behind a REST API, which must send CORS headers themselves (REST proxy
 * integrations pass the function's headers through). HTTP APIs answer CORS at the gateway instead.
 */
export function corsEnvironment(config: StageConfig): Record<string, string> {
  return { CORS_ALLOWED_ORIGINS: config.corsAllowedOrigins.join(',') };
}

/**
 * A service's table: string keys `pk`/`sk`, on demand, and no table name (stages share accounts). A stage
 * that keeps its data when the stack goes (RETAIN, i.e. prod) also backs it up and guards it.
 */
export function serviceTable(scope: Construct, id: string, config: StageConfig): dynamodb.Table {
  const durable = config.removalPolicy === RemovalPolicy.RETAIN;
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: durable },
    deletionProtection: durable,
    removalPolicy: config.removalPolicy,
  });
}
