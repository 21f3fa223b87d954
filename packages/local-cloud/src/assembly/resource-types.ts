import { arn, type StackEnvironment } from './environment';
import {
  apiGatewayId,
  deterministicString,
  deterministicUuid,
  generatedName,
  LOWER_ALNUM,
  MIXED_ALNUM,
  UPPER_ALNUM,
  userPoolClientId,
  userPoolClientSecret,
  userPoolId,
} from './physical-ids';
import { type Json, scalarToString } from './resolve/value';

/** One resource, as the `Ref` / `Fn::GetAtt` table sees it. */
export interface ResourceHandle {
  readonly logicalId: string;
  readonly type: string;
  readonly env: StackEnvironment;
  /** Seed for this resource's deterministic ids (see physical-ids.ts). */
  readonly seed: string;
  /** A resolved property, undefined when absent. */
  prop(name: string): Json | undefined;
  /** This resource's own `Ref` value. */
  ref(): string;
}

export interface ResourceTypeInfo {
  /** What `Ref` returns. */
  readonly ref: (r: ResourceHandle) => string;
  /** `Fn::GetAtt` attributes. */
  readonly attributes?: { readonly [attribute: string]: (r: ResourceHandle) => Json };
}

/** A fixed timestamp for deterministic DynamoDB stream ARNs. */
export const STREAM_LABEL = '2026-01-01T00:00:00.000';

const str = (r: ResourceHandle, name: string): string | undefined =>
  scalarToString(r.prop(name)) || undefined;

/** `<stack>-<logicalId>-<SUFFIX>` unless the template names the resource. */
const named =
  (
    property: string | undefined,
    maxLength: number,
    options: { lowercase?: boolean; alphabet?: string } = {},
  ) =>
  (r: ResourceHandle): string =>
    (property && str(r, property)) ||
    generatedName(r.seed, r.env.stackName, r.logicalId, {
      maxLength,
      ...(options.lowercase ? { lowercase: true, alphabet: LOWER_ALNUM } : {}),
      ...(options.alphabet ? { alphabet: options.alphabet } : {}),
    });

const shortId =
  (length: number) =>
  (r: ResourceHandle): string =>
    apiGatewayId(r.seed, length);

/** The unqualified function ARN for a `FunctionName` property (name, partial or full ARN). */
export function functionArnFor(value: string, env: StackEnvironment): string {
  if (value.startsWith('arn:')) return value.split(':').slice(0, 7).join(':');
  const parts = value.split(':');
  if (parts.length >= 3 && parts[1] === 'function')
    return arn(env, 'lambda', `function:${parts[2]}`, { accountId: parts[0] });
  return arn(env, 'lambda', `function:${parts[0]}`);
}

const lambdaFunctionArn = (r: ResourceHandle) => arn(r.env, 'lambda', `function:${r.ref()}`);
const tableArn = (r: ResourceHandle) => arn(r.env, 'dynamodb', `table/${r.ref()}`);
const poolProviderName = (r: ResourceHandle) => `cognito-idp.${r.env.region}.${r.env.urlSuffix}/${r.ref()}`;
const roleName = named('RoleName', 64);
const queueName = (r: ResourceHandle) => {
  const given = str(r, 'QueueName');
  if (given) return given;
  const fifo = r.prop('FifoQueue') === true || r.prop('FifoQueue') === 'true';
  return fifo ? `${named(undefined, 75)(r)}.fifo` : named(undefined, 80)(r);
};
const topicName = (r: ResourceHandle) => {
  const given = str(r, 'TopicName');
  if (given) return given;
  const fifo = r.prop('FifoTopic') === true || r.prop('FifoTopic') === 'true';
  return fifo ? `${named(undefined, 251)(r)}.fifo` : named(undefined, 256)(r);
};
const bucketName = named('BucketName', 63, { lowercase: true });
const layerName = named('LayerName', 140);
const logGroupName = named('LogGroupName', 512);
const alarmName = named('AlarmName', 255);
/** A state machine without `StateMachineName`: CloudFormation names it `<logicalId>-<12 alphanumerics>`. */
const stateMachineName = (r: ResourceHandle) =>
  str(r, 'StateMachineName') ??
  `${r.logicalId.slice(0, 80 - 13)}-${deterministicString(r.seed, 'name', MIXED_ALNUM, 12)}`;
const stateMachineArn = (r: ResourceHandle) => arn(r.env, 'states', `stateMachine:${stateMachineName(r)}`);
/** A rule's event bus: `EventBusName` is a name or an ARN; absent (or `default`) = the default bus. */
const ruleBusName = (r: ResourceHandle): string | undefined => {
  const given = str(r, 'EventBusName');
  const at = given?.indexOf(':event-bus/') ?? -1;
  const name = given?.startsWith('arn:') && at >= 0 ? given.slice(at + ':event-bus/'.length) : given;
  return name && name !== 'default' ? name : undefined;
};
const ruleName = named('Name', 64);
const kinesisStreamName = named('Name', 128);
const deliveryStreamName = named('DeliveryStreamName', 64);
const ssmParameterName = (r: ResourceHandle) =>
  str(r, 'Name') ?? `CFN-${r.logicalId}-${deterministicString(r.seed, 'name', MIXED_ALNUM, 12)}`;
const secretArn = (r: ResourceHandle) =>
  arn(
    r.env,
    'secretsmanager',
    `secret:${named('Name', 256)(r)}-${deterministicString(r.seed, 'secret', MIXED_ALNUM, 6)}`,
  );

/**
 * `Ref` and `Fn::GetAtt` per resource type, for the types an app commonly references (CloudFormation's
 * documented return values). Types not listed get a generated name from `Ref` and a placeholder from
 * `Fn::GetAtt`; the resolver reports such a resource once as a gap (see {@link isKnownType}).
 */
export const RESOURCE_TYPES: { readonly [type: string]: ResourceTypeInfo } = {
  // Lambda
  'AWS::Lambda::Function': {
    ref: named('FunctionName', 64),
    attributes: { Arn: lambdaFunctionArn },
  },
  'AWS::Lambda::Version': {
    ref: (r) => `${functionArnFor(str(r, 'FunctionName') ?? '', r.env)}:1`,
    attributes: {
      Version: () => '1',
      FunctionArn: (r) => r.ref(),
    },
  },
  'AWS::Lambda::Alias': {
    ref: (r) => `${functionArnFor(str(r, 'FunctionName') ?? '', r.env)}:${str(r, 'Name') ?? r.logicalId}`,
    attributes: { AliasArn: (r) => r.ref() },
  },
  'AWS::Lambda::LayerVersion': {
    ref: (r) => arn(r.env, 'lambda', `layer:${layerName(r)}:1`),
    attributes: { LayerVersionArn: (r) => r.ref() },
  },
  'AWS::Lambda::Url': {
    ref: (r) => functionArnFor(str(r, 'TargetFunctionArn') ?? '', r.env),
    attributes: {
      FunctionArn: (r) => functionArnFor(str(r, 'TargetFunctionArn') ?? '', r.env),
      FunctionUrl: (r) =>
        `https://${deterministicString(r.seed, 'url', LOWER_ALNUM, 32)}.lambda-url.${r.env.region}.on.aws/`,
    },
  },
  'AWS::Lambda::EventSourceMapping': {
    ref: (r) => deterministicUuid(r.seed),
    attributes: { Id: (r) => r.ref() },
  },
  // DynamoDB
  'AWS::DynamoDB::Table': {
    ref: named('TableName', 255),
    attributes: {
      Arn: tableArn,
      StreamArn: (r) => `${tableArn(r)}/stream/${STREAM_LABEL}`,
    },
  },
  'AWS::DynamoDB::GlobalTable': {
    ref: named('TableName', 255),
    attributes: {
      Arn: tableArn,
      StreamArn: (r) => `${tableArn(r)}/stream/${STREAM_LABEL}`,
      TableId: (r) => deterministicUuid(r.seed, 'table-id'),
    },
  },
  // Cognito
  'AWS::Cognito::UserPool': {
    ref: (r) => userPoolId(r.seed, r.env.region),
    attributes: {
      Arn: (r) => arn(r.env, 'cognito-idp', `userpool/${r.ref()}`),
      ProviderName: poolProviderName,
      ProviderURL: (r) => `https://${poolProviderName(r)}`,
      UserPoolId: (r) => r.ref(),
    },
  },
  'AWS::Cognito::UserPoolClient': {
    ref: (r) => userPoolClientId(r.seed),
    attributes: {
      ClientId: (r) => r.ref(),
      ClientSecret: (r) => userPoolClientSecret(r.seed),
      Name: (r) => str(r, 'ClientName') ?? r.logicalId,
    },
  },
  'AWS::Cognito::UserPoolResourceServer': { ref: (r) => str(r, 'Identifier') ?? r.logicalId },
  'AWS::Cognito::UserPoolGroup': { ref: named('GroupName', 128) },
  'AWS::Cognito::UserPoolDomain': {
    ref: (r) => str(r, 'Domain') ?? r.logicalId,
    attributes: {
      CloudFrontDistribution: (r) => `${deterministicString(r.seed, 'cf', LOWER_ALNUM, 14)}.cloudfront.net`,
    },
  },
  'AWS::Cognito::UserPoolUser': { ref: (r) => str(r, 'Username') ?? deterministicUuid(r.seed, 'username') },
  // IAM
  'AWS::IAM::Role': {
    ref: roleName,
    attributes: {
      Arn: (r) => arn(r.env, 'iam', `role${str(r, 'Path') ?? '/'}${roleName(r)}`, { region: '' }),
      RoleId: (r) => `AROA${deterministicString(r.seed, 'role-id', UPPER_ALNUM, 17)}`,
    },
  },
  'AWS::IAM::ManagedPolicy': {
    ref: (r) =>
      arn(r.env, 'iam', `policy${str(r, 'Path') ?? '/'}${named('ManagedPolicyName', 128)(r)}`, {
        region: '',
      }),
    attributes: {
      PolicyArn: (r) => r.ref(),
      PolicyId: (r) => `ANPA${deterministicString(r.seed, 'policy-id', UPPER_ALNUM, 17)}`,
    },
  },
  // Logs
  'AWS::Logs::LogGroup': {
    ref: logGroupName,
    attributes: { Arn: (r) => arn(r.env, 'logs', `log-group:${logGroupName(r)}:*`) },
  },
  // API Gateway (REST)
  'AWS::ApiGateway::RestApi': {
    ref: shortId(10),
    attributes: {
      RestApiId: (r) => r.ref(),
      RootResourceId: (r) => deterministicString(r.seed, 'root-resource', LOWER_ALNUM, 10),
    },
  },
  'AWS::ApiGateway::Resource': { ref: shortId(6), attributes: { ResourceId: (r) => r.ref() } },
  'AWS::ApiGateway::Method': { ref: shortId(6) },
  'AWS::ApiGateway::Deployment': { ref: shortId(6), attributes: { DeploymentId: (r) => r.ref() } },
  'AWS::ApiGateway::Stage': { ref: (r) => str(r, 'StageName') ?? r.logicalId },
  'AWS::ApiGateway::Authorizer': { ref: shortId(6), attributes: { AuthorizerId: (r) => r.ref() } },
  'AWS::ApiGateway::ApiKey': { ref: shortId(10), attributes: { APIKeyId: (r) => r.ref() } },
  'AWS::ApiGateway::UsagePlan': { ref: shortId(6), attributes: { Id: (r) => r.ref() } },
  'AWS::ApiGateway::RequestValidator': {
    ref: shortId(6),
    attributes: { RequestValidatorId: (r) => r.ref() },
  },
  'AWS::ApiGateway::Model': { ref: named('Name', 64) },
  'AWS::ApiGateway::DomainName': {
    ref: (r) => str(r, 'DomainName') ?? r.logicalId,
    attributes: {
      DistributionDomainName: (r) => `${deterministicString(r.seed, 'cf', LOWER_ALNUM, 14)}.cloudfront.net`,
      RegionalDomainName: (r) => `d-${shortId(10)(r)}.execute-api.${r.env.region}.${r.env.urlSuffix}`,
    },
  },
  // API Gateway v2 (HTTP, WebSocket)
  'AWS::ApiGatewayV2::Api': {
    ref: shortId(10),
    attributes: {
      ApiId: (r) => r.ref(),
      ApiEndpoint: (r) =>
        `${r.prop('ProtocolType') === 'WEBSOCKET' ? 'wss' : 'https'}://${r.ref()}.execute-api.${r.env.region}.${r.env.urlSuffix}`,
    },
  },
  'AWS::ApiGatewayV2::Route': { ref: shortId(7), attributes: { RouteId: (r) => r.ref() } },
  'AWS::ApiGatewayV2::Integration': { ref: shortId(7), attributes: { IntegrationId: (r) => r.ref() } },
  'AWS::ApiGatewayV2::Authorizer': { ref: shortId(6), attributes: { AuthorizerId: (r) => r.ref() } },
  'AWS::ApiGatewayV2::Stage': { ref: (r) => str(r, 'StageName') ?? r.logicalId },
  'AWS::ApiGatewayV2::Deployment': { ref: shortId(6), attributes: { DeploymentId: (r) => r.ref() } },
  'AWS::ApiGatewayV2::RouteResponse': { ref: shortId(6), attributes: { RouteResponseId: (r) => r.ref() } },
  'AWS::ApiGatewayV2::IntegrationResponse': {
    ref: shortId(6),
    attributes: { IntegrationResponseId: (r) => r.ref() },
  },
  'AWS::ApiGatewayV2::DomainName': {
    ref: (r) => str(r, 'DomainName') ?? r.logicalId,
    attributes: {
      RegionalDomainName: (r) => `d-${shortId(10)(r)}.execute-api.${r.env.region}.${r.env.urlSuffix}`,
    },
  },
  // Messaging, storage, other common references
  'AWS::SQS::Queue': {
    ref: (r) => `https://sqs.${r.env.region}.${r.env.urlSuffix}/${r.env.accountId}/${queueName(r)}`,
    attributes: {
      Arn: (r) => arn(r.env, 'sqs', queueName(r)),
      QueueName: queueName,
      QueueUrl: (r) => r.ref(),
    },
  },
  'AWS::SNS::Topic': {
    ref: (r) => arn(r.env, 'sns', topicName(r)),
    attributes: { TopicArn: (r) => r.ref(), TopicName: topicName },
  },
  'AWS::S3::Bucket': {
    ref: bucketName,
    attributes: {
      Arn: (r) => `arn:${r.env.partition}:s3:::${bucketName(r)}`,
      DomainName: (r) => `${bucketName(r)}.s3.${r.env.urlSuffix}`,
      RegionalDomainName: (r) => `${bucketName(r)}.s3.${r.env.region}.${r.env.urlSuffix}`,
      DualStackDomainName: (r) => `${bucketName(r)}.s3.dualstack.${r.env.region}.${r.env.urlSuffix}`,
      WebsiteURL: (r) => `http://${bucketName(r)}.s3-website-${r.env.region}.${r.env.urlSuffix}`,
    },
  },
  // A rule on a custom bus: Ref is `<bus>|<rule>` (CloudFormation's documented "rule ID"), the ARN
  // `rule/<bus>/<rule>`; on the default bus both hold the rule name alone.
  'AWS::Events::Rule': {
    ref: (r) => {
      const bus = ruleBusName(r);
      return bus ? `${bus}|${ruleName(r)}` : ruleName(r);
    },
    attributes: {
      Arn: (r) => {
        const bus = ruleBusName(r);
        return arn(r.env, 'events', `rule/${bus ? `${bus}/` : ''}${ruleName(r)}`);
      },
      RuleName: ruleName,
    },
  },
  'AWS::Events::EventBus': {
    ref: (r) => str(r, 'Name') ?? r.logicalId,
    attributes: {
      Arn: (r) => arn(r.env, 'events', `event-bus/${r.ref()}`),
      Name: (r) => r.ref(),
      Policy: (r) => {
        const policy = r.prop('Policy');
        return policy === undefined ? '' : typeof policy === 'string' ? policy : JSON.stringify(policy);
      },
    },
  },
  'AWS::StepFunctions::StateMachine': {
    ref: stateMachineArn,
    attributes: {
      Arn: stateMachineArn,
      Name: stateMachineName,
      StateMachineRevisionId: (r) => deterministicUuid(r.seed, 'state-machine-revision'),
    },
  },
  'AWS::StepFunctions::Activity': {
    ref: (r) => arn(r.env, 'states', `activity:${str(r, 'Name') ?? r.logicalId}`),
    attributes: { Arn: (r) => r.ref(), Name: (r) => str(r, 'Name') ?? r.logicalId },
  },
  'AWS::Kinesis::Stream': {
    ref: kinesisStreamName,
    attributes: { Arn: (r) => arn(r.env, 'kinesis', `stream/${kinesisStreamName(r)}`) },
  },
  'AWS::KinesisFirehose::DeliveryStream': {
    ref: deliveryStreamName,
    attributes: { Arn: (r) => arn(r.env, 'firehose', `deliverystream/${deliveryStreamName(r)}`) },
  },
  'AWS::KMS::Key': {
    ref: (r) => deterministicUuid(r.seed),
    attributes: { Arn: (r) => arn(r.env, 'kms', `key/${r.ref()}`), KeyId: (r) => r.ref() },
  },
  'AWS::KMS::Alias': { ref: (r) => str(r, 'AliasName') ?? `alias/${r.logicalId}` },
  'AWS::SecretsManager::Secret': { ref: secretArn, attributes: { Id: secretArn } },
  'AWS::SSM::Parameter': {
    ref: ssmParameterName,
    attributes: {
      // `/app/flag` → `parameter/app/flag`, `flag` → `parameter/flag`.
      Arn: (r) => arn(r.env, 'ssm', `parameter/${ssmParameterName(r).replace(/^\//, '')}`),
      Type: (r) => str(r, 'Type') ?? 'String',
      Value: (r) => str(r, 'Value') ?? '',
    },
  },
  'AWS::CloudWatch::Alarm': {
    ref: alarmName,
    attributes: { Arn: (r) => arn(r.env, 'cloudwatch', `alarm:${alarmName(r)}`) },
  },
  'AWS::CodeDeploy::Application': { ref: named('ApplicationName', 100) },
  'AWS::CodeDeploy::DeploymentGroup': { ref: named('DeploymentGroupName', 100) },
  'AWS::CloudFormation::Stack': {
    ref: (r) =>
      arn(
        r.env,
        'cloudformation',
        `stack/${named(undefined, 128)(r)}/${deterministicUuid(r.seed, 'nested-stack')}`,
      ),
  },
};

/** Whether the table knows what `Ref` and `Fn::GetAtt` return for a type. */
export function isKnownType(type: string): boolean {
  return Object.hasOwn(RESOURCE_TYPES, type);
}

/** `Ref` of a resource of any type. */
export function refOf(r: ResourceHandle): string {
  return (RESOURCE_TYPES[r.type]?.ref ?? named(undefined, 128))(r);
}

/**
 * `Fn::GetAtt` of a resource: the value, or `undefined` when the table does not know the
 * attribute (the caller reports a gap).
 */
export function attributeOf(r: ResourceHandle, attribute: string): Json | undefined {
  const fn = RESOURCE_TYPES[r.type]?.attributes?.[attribute];
  return fn ? fn(r) : undefined;
}

/** A plausible ARN for a resource type the table does not know (used, with a gap, for `Arn`). */
export function guessedArn(r: ResourceHandle): string {
  const [, service = 'unknown', kind = 'resource'] = r.type.split('::');
  return arn(r.env, service.toLowerCase(), `${kind.toLowerCase()}/${r.ref()}`);
}
