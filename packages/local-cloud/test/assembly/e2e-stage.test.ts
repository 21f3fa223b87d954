import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Stage } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssemblyModel, formatGap, loadAssembly } from '../../src/assembly/index';
import { removeTempDirs, tempDir } from './helpers';

afterAll(removeTempDirs);

/**
 * A CDK app shaped like ours: one Stage per environment, a shared stack with the user pool, and a
 * service stack that receives the pool through props (strong references → exports/imports).
 */
class SharedStack extends Stack {
  readonly pool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.pool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: { minLength: 12, requireSymbols: false },
      customAttributes: { tenant: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const read = new cognito.ResourceServerScope({ scopeName: 'read', scopeDescription: 'Read notes' });
    const server = this.pool.addResourceServer('Notes', { identifier: 'notes', scopes: [read] });
    this.webClient = this.pool.addClient('Web', {
      authFlows: { userPassword: true, userSrp: true },
      accessTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.days(7),
      preventUserExistenceErrors: true,
    });
    this.pool.addClient('Machine', {
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(server, read)],
      },
    });
    this.pool.addDomain('Domain', { cognitoDomain: { domainPrefix: `notes-${this.stackName}` } });
    new cognito.CfnUserPoolGroup(this, 'Admins', {
      userPoolId: this.pool.userPoolId,
      groupName: 'admins',
      precedence: 1,
    });
    new sqs.Queue(this, 'Jobs');
  }
}

class NotesStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { shared: SharedStack; codeDir: string }) {
    super(scope, id, props);
    const table = new dynamodb.Table(this, 'Notes', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    table.addGlobalSecondaryIndex({
      indexName: 'byUpdated',
      partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'updatedAt', type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['title'],
    });
    const handler = new lambda.Function(this, 'NotesHandler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.codeDir),
      timeout: Duration.seconds(10),
      memorySize: 512,
      environment: {
        TABLE_NAME: table.tableName,
        TABLE_ARN: table.tableArn,
        ISSUER: props.shared.pool.userPoolProviderUrl,
        CLIENT_ID: props.shared.webClient.userPoolClientId,
      },
    });
    table.grantReadWriteData(handler);
    new lambda.Function(this, 'Ping', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "pong" });'),
    });
    const api = new HttpApi(this, 'NotesApi', {
      corsPreflight: {
        allowOrigins: ['https://app.example.com'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.shared.pool, {
      userPoolClients: [props.shared.webClient],
    });
    const integration = new HttpLambdaIntegration('Notes', handler);
    api.addRoutes({ path: '/notes', methods: [HttpMethod.GET, HttpMethod.POST], integration, authorizer });
    api.addRoutes({ path: '/notes/{id}', methods: [HttpMethod.GET], integration, authorizer });
    api.addRoutes({
      path: '/export',
      methods: [HttpMethod.GET],
      integration,
      authorizer,
      authorizationScopes: ['notes/read'],
    });
    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }
}

let outdir: string;
let model: AssemblyModel;

beforeAll(async () => {
  const codeDir = tempDir('notes-code-');
  writeFileSync(join(codeDir, 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });\n');
  outdir = tempDir('cdk-out-');
  // The CDK CLI sets this context; construct paths then appear in templates and in gaps.
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false, // saves seconds; validation is not what is tested here
    context: { 'aws:cdk:enable-path-metadata': true },
  });
  const dev = new Stage(app, 'dev', { env: { region: 'eu-west-1' } });
  const shared = new SharedStack(dev, 'shared');
  new NotesStack(dev, 'notes', { shared, codeDir });
  // A second stage (kept small: synthesis time) to check stage selection and per-stage names.
  new SharedStack(new Stage(app, 'prod', { env: { region: 'us-east-2' } }), 'shared');
  app.synth();
  model = await loadAssembly({ dir: outdir, stage: 'dev' });
}, 60_000);

describe('a Stage with a shared user pool and a service stack', () => {
  it('loads the chosen stage, stacks in dependency order', () => {
    expect(model.stage).toBe('dev');
    expect(model.stages).toEqual(['dev', 'prod']);
    expect(model.stacks.map((s) => [s.name, s.region, s.dependsOn])).toEqual([
      ['dev-shared', 'eu-west-1', []],
      ['dev-notes', 'eu-west-1', ['dev-shared']],
    ]);
  });

  it('reports only what is really missing', () => {
    expect(model.gaps.map(formatGap)).toEqual([`UNSUPPORTED  dev-shared/${jobsQueueId()}  AWS::SQS::Queue`]);
    expect(model.gaps[0]?.path).toBe('dev/shared/Jobs/Resource');
  });

  it('models the user pool with its clients, resource server, group and domain', () => {
    expect(model.userPools).toHaveLength(1);
    const pool = model.userPools[0];
    if (!pool) throw new Error('no pool');
    expect(pool.id).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(pool.providerUrl).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${pool.id}`);
    expect(pool).toMatchObject({
      stack: 'dev-shared',
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      selfSignUpEnabled: true,
      passwordPolicy: {
        minimumLength: 12,
        requireSymbols: false,
        requireLowercase: true,
        requireNumbers: true,
      },
    });
    expect(pool.schema).toEqual([
      expect.objectContaining({
        name: 'tenant',
        custom: true,
        dataType: 'String',
        mutable: false,
        minLength: 1,
        maxLength: 64,
      }),
    ]);
    const web = pool.clients.find((c) => c.logicalId.startsWith('UserPoolWeb'));
    const machine = pool.clients.find((c) => c.logicalId.startsWith('UserPoolMachine'));
    expect(web).toMatchObject({
      explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      accessTokenValiditySeconds: 1800,
      refreshTokenValiditySeconds: 7 * 86400,
      preventUserExistenceErrors: true,
      secret: undefined,
    });
    expect(web?.id).toMatch(/^[a-z0-9]{26}$/);
    expect(machine).toMatchObject({ oauthFlows: ['client_credentials'], oauthScopes: ['notes/read'] });
    expect(machine?.secret).toMatch(/^[a-z0-9]{51}$/);
    expect(pool.resourceServers).toEqual([
      expect.objectContaining({ identifier: 'notes', scopes: [{ name: 'read', description: 'Read notes' }] }),
    ]);
    expect(pool.groups).toEqual([expect.objectContaining({ name: 'admins', precedence: 1 })]);
    expect(pool.domains).toEqual([
      expect.objectContaining({
        domain: 'notes-dev-shared',
        url: 'https://notes-dev-shared.auth.eu-west-1.amazoncognito.com',
      }),
    ]);
  });

  it('models the table with its GSI and TTL', () => {
    expect(model.tables).toHaveLength(1);
    expect(model.tables[0]).toMatchObject({
      stack: 'dev-notes',
      type: 'AWS::DynamoDB::Table',
      keySchema: [
        { attributeName: 'pk', keyType: 'HASH' },
        { attributeName: 'sk', keyType: 'RANGE' },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'byUpdated',
          keySchema: [
            { attributeName: 'owner', keyType: 'HASH' },
            { attributeName: 'updatedAt', keyType: 'RANGE' },
          ],
          projectionType: 'INCLUDE',
          nonKeyAttributes: ['title'],
        },
      ],
      ttlAttribute: 'expiresAt',
      billingMode: 'PAY_PER_REQUEST',
      streamArn: undefined,
    });
    expect(model.tables[0]?.name).toMatch(/^dev-notes-Notes[0-9A-F]{8}-[A-Z0-9]{12}$/);
  });

  it('models functions with their asset directory and resolved environment (imports across stacks)', () => {
    const pool = model.userPools[0];
    const handler = model.functions.find((f) => f.logicalId.startsWith('NotesHandler'));
    if (!handler || !pool) throw new Error('missing');
    expect(handler.code.kind).toBe('directory');
    if (handler.code.kind === 'directory') {
      expect(handler.code.path.startsWith(outdir)).toBe(true);
      expect(existsSync(join(handler.code.path, 'index.js'))).toBe(true);
    }
    expect(handler).toMatchObject({
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      timeoutSeconds: 10,
      memoryMb: 512,
      region: 'eu-west-1',
      environment: {
        TABLE_NAME: model.tables[0]?.name,
        TABLE_ARN: model.tables[0]?.arn,
        ISSUER: pool.providerUrl,
        CLIENT_ID: pool.clients.find((c) => c.logicalId.startsWith('UserPoolWeb'))?.id,
      },
    });
    expect(handler.arn).toBe(`arn:aws:lambda:eu-west-1:000000000000:function:${handler.name}`);
    const ping = model.functions.find((f) => f.logicalId.startsWith('Ping'));
    expect(ping?.code).toEqual({ kind: 'inline', source: expect.stringContaining('pong') });
  });

  it('models the HTTP API: routes → integration → function, JWT authorizer → the pool', () => {
    expect(model.httpApis).toHaveLength(1);
    const api = model.httpApis[0];
    const pool = model.userPools[0];
    if (!api || !pool) throw new Error('missing');
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.routes.map((r) => r.routeKey).sort()).toEqual([
      'GET /export',
      'GET /notes',
      'GET /notes/{id}',
      'POST /notes',
    ]);
    const [authorizer] = api.authorizers;
    expect(authorizer).toMatchObject({
      kind: 'JWT',
      issuer: pool.providerUrl,
      audience: [pool.clients.find((c) => c.logicalId.startsWith('UserPoolWeb'))?.id],
      identitySource: ['$request.header.Authorization'],
    });
    for (const route of api.routes) {
      expect(route.authorizationType).toBe('JWT');
      expect(route.authorizerId).toBe(authorizer?.id);
      const integration = api.integrations.find((i) => i.id === route.integrationId);
      expect(integration?.target?.function).toEqual({
        stack: 'dev-notes',
        logicalId: model.functions.find((f) => f.logicalId.startsWith('NotesHandler'))?.logicalId,
      });
      expect(integration?.payloadFormatVersion).toBe('2.0');
    }
    expect(api.routes.find((r) => r.routeKey === 'GET /export')?.authorizationScopes).toEqual(['notes/read']);
    expect(api.stages).toEqual([expect.objectContaining({ name: '$default', autoDeploy: true })]);
    expect(api.cors).toEqual({
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: [],
      allowCredentials: false,
      maxAgeSeconds: 3600,
    });
    const notes = model.stacks.find((s) => s.name === 'dev-notes');
    expect(notes?.outputs.find((o) => o.name === 'ApiUrl')?.value).toBe(api.endpoint);
    expect(api.endpoint).toBe(`https://${api.id}.execute-api.eu-west-1.amazonaws.com`);
  });

  it('lists the AWS endpoints to rewrite once local services listen', () => {
    const pool = model.userPools[0];
    const api = model.httpApis[0];
    expect(model.endpoints).toEqual([
      { kind: 'cognito-idp', url: pool?.providerUrl, poolId: pool?.id, region: 'eu-west-1' },
      { kind: 'cognito-domain', url: pool?.domains[0]?.url, poolId: pool?.id, region: 'eu-west-1' },
      { kind: 'execute-api', url: api?.endpoint, apiId: api?.id, region: 'eu-west-1', protocol: 'HTTP' },
    ]);
  });

  it('keeps every resource, including no-op ones, as generic data', () => {
    const types = new Set(model.resources.map((r) => r.type));
    expect(types).toContain('AWS::IAM::Role');
    expect(types).toContain('AWS::Lambda::Permission');
    expect(model.resources.find((r) => r.type === 'AWS::IAM::Role')?.support).toBe('no-op');
  });

  it('gives the same names on every load, different ones per stage', async () => {
    const again = await loadAssembly({ dir: outdir, stage: 'dev' });
    expect(again.functions.map((f) => f.name)).toEqual(model.functions.map((f) => f.name));
    expect(again.userPools[0]?.id).toBe(model.userPools[0]?.id);
    expect(again.userPools[0]?.clients.map((c) => [c.id, c.secret])).toEqual(
      model.userPools[0]?.clients.map((c) => [c.id, c.secret]),
    );
    const prod = await loadAssembly({ dir: outdir, stage: 'prod' });
    expect(prod.stacks.map((s) => s.name)).toEqual(['prod-shared']);
    expect(prod.userPools[0]?.id).toMatch(/^us-east-2_/);
    expect(prod.userPools[0]?.clients[0]?.id).not.toBe(model.userPools[0]?.clients[0]?.id);
  });
});

function jobsQueueId(): string {
  return model.resources.find((r) => r.type === 'AWS::SQS::Queue')?.logicalId ?? '?';
}
