/**
 * The whole local cloud on a small CDK app synthesized here: a user pool and client, a table, a function
 * (bundled with the real AWS SDK) behind an HTTP API with a public route and a Cognito JWT route, and an
 * SQS queue the local cloud does not implement.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/cloud';
import type { LogRecord } from '../../src/lambda';

const packageDir = path.resolve(import.meta.dirname, '../..');

/** One handler for every route: reports its environment, uses DynamoDB, calls its own API by its AWS URL. */
const HANDLER = `
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({});
export const handler = async (event) => {
  const path = event.rawPath;
  if (path === '/public') return { ok: true };
  if (path === '/env') {
    const { TABLE_NAME, POOL_ISSUER, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER } = process.env;
    return { TABLE_NAME, POOL_ISSUER, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER };
  }
  if (path === '/self') {
    const response = await fetch('https://' + event.requestContext.domainName + '/public');
    return { status: response.status, body: await response.json() };
  }
  const sub = event.requestContext.authorizer.jwt.claims.sub;
  await ddb.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { pk: { S: sub }, note: { S: 'hello' } } }));
  const { Item } = await ddb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: sub } } }));
  return { sub, note: Item.note.S };
};
`;

let workDir: string;
let cloud: LocalCloud;
const lines: string[] = [];
const functionLines: LogRecord[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'local-cloud-it-'));
  const codeDir = path.join(workDir, 'code');
  await build({
    stdin: { contents: HANDLER, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(codeDir, 'index.mjs'),
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });

  const outdir = path.join(workDir, 'cdk.out');
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'itest');
  const pool = new cognito.UserPool(stack, 'Pool', { selfSignUpEnabled: true });
  const client = pool.addClient('Web', { authFlows: { userPassword: true } });
  const table = new dynamodb.Table(stack, 'Notes', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(codeDir),
    environment: { TABLE_NAME: table.tableName, POOL_ISSUER: pool.userPoolProviderUrl },
  });
  const api = new HttpApi(stack, 'Api');
  const integration = new HttpLambdaIntegration('Integration', fn);
  const authorizer = new HttpUserPoolAuthorizer('Cognito', pool, { userPoolClients: [client] });
  api.addRoutes({ path: '/public', methods: [HttpMethod.GET], integration });
  api.addRoutes({ path: '/env', methods: [HttpMethod.GET], integration });
  api.addRoutes({ path: '/self', methods: [HttpMethod.GET], integration });
  api.addRoutes({ path: '/notes', methods: [HttpMethod.GET], integration, authorizer });
  new sqs.Queue(stack, 'Jobs');
  new CfnOutput(stack, 'ApiUrl', { value: api.url ?? '' });
  new CfnOutput(stack, 'PoolIssuer', { value: pool.userPoolProviderUrl });
  app.synth();

  cloud = await startLocalCloud({
    assemblyDir: outdir,
    port: 0,
    log: (line) => lines.push(line),
    functionLogs: (record) => functionLines.push(record),
    seedUsers: [{ username: 'alice', password: 'Alice-Passw0rd!' }],
  });
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  await rm(workDir, { recursive: true, force: true });
});

function cognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: cloud.endpoints.region,
    endpoint: cloud.endpoints.cognito.endpoint,
    credentials: { accessKeyId: 'LOCALCLOUD', secretAccessKey: 'localcloudsecret' },
  });
}

describe('startLocalCloud on a synthesized app', () => {
  it('describes what it serves in the endpoints file, outputs rewritten to local URLs', () => {
    const { endpoints } = cloud;
    const [api] = endpoints.apis;
    const [pool] = endpoints.cognito.userPools;
    expect(api).toMatchObject({
      kind: 'http',
      stack: 'itest',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
    });
    expect(endpoints.outputs.itest?.ApiUrl).toBe(api?.url);
    expect(pool?.issuer).toBe(`${endpoints.cognito.endpoint}/${pool?.id}`);
    expect(endpoints.outputs.itest?.PoolIssuer).toBe(pool?.issuer);
    expect(pool?.tokenEndpoint).toBe(`${pool?.issuer}/oauth2/token`);
    expect(pool?.clients).toHaveLength(1);
    expect(endpoints.dynamodb.tables).toEqual([
      { stack: 'itest', logicalId: expect.stringMatching(/^Notes/), name: expect.any(String) },
    ]);
    expect(endpoints.functions).toEqual([
      {
        stack: 'itest',
        logicalId: expect.stringMatching(/^Fn/),
        name: expect.any(String),
        arn: expect.any(String),
      },
    ]);
    expect(endpoints.demoUsers).toEqual([
      {
        poolId: pool?.id,
        username: 'alice',
        password: 'Alice-Passw0rd!',
        groups: [],
        sub: expect.any(String),
      },
    ]);
  });

  it('reports the unsupported SQS queue among the gaps, at start and in the endpoints file', () => {
    const gap = cloud.endpoints.gaps.find((line) => line.includes('AWS::SQS::Queue'));
    expect(gap).toMatch(/^UNSUPPORTED {2}itest\/Jobs\w+ {2}AWS::SQS::Queue$/);
    expect(lines).toContain(`  ${gap}`);
  });

  it('serves the public route and refuses the JWT route without a token (401)', async () => {
    const url = cloud.endpoints.apis[0]?.url as string;
    const open = await fetch(new URL('public', url));
    expect(open.status).toBe(200);
    expect(await open.json()).toEqual({ ok: true });
    const closed = await fetch(new URL('notes', url));
    expect(closed.status).toBe(401);
    expect(await closed.json()).toEqual({ message: 'Unauthorized' });
  });

  it('lets a user signed up and in through the Cognito SDK call the JWT route, which reaches DynamoDB', async () => {
    const cognitoSdk = cognitoClient();
    const [pool] = cloud.endpoints.cognito.userPools;
    const ClientId = pool?.clients[0]?.id;
    await cognitoSdk.send(new SignUpCommand({ ClientId, Username: 'bob', Password: 'Bob-Passw0rd!' }));
    await cognitoSdk.send(new AdminConfirmSignUpCommand({ UserPoolId: pool?.id, Username: 'bob' }));
    const auth = await cognitoSdk.send(
      new InitiateAuthCommand({
        ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'bob', PASSWORD: 'Bob-Passw0rd!' },
      }),
    );
    const token = auth.AuthenticationResult?.AccessToken as string;
    const response = await fetch(new URL('notes', cloud.endpoints.apis[0]?.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { sub: string; note: string };
    expect(body.note).toBe('hello');
    expect(body.sub).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives the function its template environment resolved and rewritten, and the local endpoints', async () => {
    const response = await fetch(new URL('env', cloud.endpoints.apis[0]?.url));
    expect(await response.json()).toEqual({
      TABLE_NAME: cloud.endpoints.dynamodb.tables[0]?.name,
      POOL_ISSUER: cloud.endpoints.cognito.userPools[0]?.issuer,
      AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb.endpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cloud.endpoints.cognito.endpoint,
    });
  });

  it("routes a function's call to its own API's AWS URL to the local gateway", async () => {
    const response = await fetch(new URL('self', cloud.endpoints.apis[0]?.url));
    expect(await response.json()).toEqual({ status: 200, body: { ok: true } });
  });

  it('leaves nothing listening or running after close(), and closes once', async () => {
    const urls = [
      cloud.endpoints.apis[0]?.url,
      cloud.endpoints.cognito.endpoint,
      cloud.endpoints.dynamodb.endpoint,
    ];
    expect(functionLines.some((record) => record.line.startsWith('REPORT'))).toBe(true);
    await Promise.all([cloud.close(), cloud.close()]);
    for (const url of urls) await expect(fetch(url as string)).rejects.toThrow();
    expect(cloud.lambda.stats().every((fn) => fn.workers === 0)).toBe(true);
  });
});
