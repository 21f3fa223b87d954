/**
 * The notes HTTP API as synthesized for both stages: the table, the Cognito JWT authorizer, every route's
 * authorization and scopes (checked against the tokens the shared user pool's clients can really get),
 * which bundle each route runs, and what each function may do to the table.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageName } from '../lib/config/stage-config';
import type { ServerlessReferenceStage } from '../lib/stage';
import {
  buildStagesByName,
  bundleOf,
  cognitoIssuer,
  dynamoGrants,
  makeFakeBundleRoot,
  onlyId,
  outdirOf,
  propertiesOf,
  removeDir,
  resourcesOfType,
  variablesOf,
} from './helpers/cdk';

let bundleRoot: string;
let outdir: string;
let templates: Record<StageName, { notes: Template; shared: Template }>;

beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
  const { dev, prod } = buildStagesByName(bundleRoot);
  outdir = outdirOf(dev);
  const of = (stage: ServerlessReferenceStage) => ({
    notes: Template.fromStack(stage.httpApi),
    shared: Template.fromStack(stage.shared),
  });
  templates = { dev: of(dev), prod: of(prod) };
});
afterAll(() => removeDir(bundleRoot));

const notes = (stage: StageName): Template => templates[stage].notes;
const shared = (stage: StageName): Template => templates[stage].shared;

/** What a user's access token carries from InitiateAuth (USER_PASSWORD_AUTH / SRP / refresh). */
const PASSWORD_FLOW_SCOPE = 'aws.cognito.signin.user.admin';
const USER_ROUTES = [
  'POST /notes',
  'GET /notes',
  'GET /notes/{id}',
  'PATCH /notes/{id}',
  'DELETE /notes/{id}',
];
const EXPORT_ROUTE = 'GET /export/users/{userId}/notes';

interface RouteView {
  authorizationType: string;
  scopes: string[] | undefined;
  authorizerId: unknown;
  /** Logical id of the Lambda function behind the route. */
  functionId: string;
}

/** Every route of the notes API, by route key, resolved to the function it invokes. */
function routes(template: Template): Record<string, RouteView> {
  const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');
  const result: Record<string, RouteView> = {};
  for (const route of Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'))) {
    const props = propertiesOf(route) as {
      RouteKey: string;
      AuthorizationType: string;
      AuthorizationScopes?: string[];
      AuthorizerId?: unknown;
      Target: { 'Fn::Join': [string, [string, { Ref: string }]] };
    };
    const integrationId = props.Target['Fn::Join'][1][1].Ref;
    const uri = propertiesOf(integrations[integrationId] ?? { Type: '' }).IntegrationUri as {
      'Fn::GetAtt': [string, string];
    };
    result[props.RouteKey] = {
      authorizationType: props.AuthorizationType,
      scopes: props.AuthorizationScopes,
      authorizerId: props.AuthorizerId,
      functionId: uri['Fn::GetAtt'][0],
    };
  }
  return result;
}

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

describe.each(['dev', 'prod'] as const)('%s notes stack', (stage) => {
  it('one on-demand table keyed pk/sk, without a physical name', () => {
    const template = notes(stage);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TableName: Match.absent(),
    });
  });

  it('a JWT authorizer trusting the shared pool (issuer) and its web and machine clients (audience)', () => {
    const template = notes(stage);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: cognitoIssuer({
          'Fn::ImportValue': Match.stringLikeRegexp(`^${stage}-shared:.*UserPool[0-9A-F]+$`),
        }),
        Audience: [
          { 'Fn::ImportValue': Match.stringLikeRegexp(`^${stage}-shared:.*WebClient`) },
          { 'Fn::ImportValue': Match.stringLikeRegexp(`^${stage}-shared:.*MachineClient`) },
        ],
      },
    });
  });

  it('routes: /health public, user routes any-of user scopes, export requires notes/export', () => {
    const template = notes(stage);
    const [authorizerId] = Object.keys(resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer'));
    const all = routes(template);

    expect(Object.keys(all).sort()).toEqual(['GET /health', EXPORT_ROUTE, ...USER_ROUTES].sort());
    expect(all['GET /health']).toMatchObject({ authorizationType: 'NONE', scopes: undefined });
    for (const key of USER_ROUTES) {
      expect({ key, ...all[key] }).toMatchObject({
        key,
        authorizationType: 'JWT',
        authorizerId: { Ref: authorizerId },
        scopes: ['aws.cognito.signin.user.admin', 'openid'],
      });
    }
    expect(all[EXPORT_ROUTE]).toMatchObject({
      authorizationType: 'JWT',
      authorizerId: { Ref: authorizerId },
      scopes: ['notes/export'],
    });
  });

  it('each route runs its own handler bundle', () => {
    const template = notes(stage);
    const bundles = Object.fromEntries(
      Object.entries(routes(template)).map(([key, route]) => [
        key,
        bundleOf(template, route.functionId, outdir),
      ]),
    );
    expect(bundles).toEqual({
      'GET /health': 'apps/http-api/health',
      'POST /notes': 'apps/http-api/create-note',
      'GET /notes': 'apps/http-api/list-notes',
      'GET /notes/{id}': 'apps/http-api/get-note',
      'PATCH /notes/{id}': 'apps/http-api/update-note',
      'DELETE /notes/{id}': 'apps/http-api/delete-note',
      [EXPORT_ROUTE]: 'apps/http-api/export-notes',
    });
  });

  it('least privilege: readers cannot write, writers get the table only, /health gets nothing', () => {
    const template = notes(stage);
    const table = onlyId(template, 'AWS::DynamoDB::Table');
    const all = routes(template);
    const tableOf = (functionId: string) => variablesOf(template, functionId).TABLE_NAME;

    const health = all['GET /health']?.functionId ?? '';
    expect(dynamoGrants(template, health).actions).toEqual([]);
    expect(tableOf(health)).toBeUndefined();

    const readers = ['GET /notes', 'GET /notes/{id}', EXPORT_ROUTE];
    const writers = ['POST /notes', 'PATCH /notes/{id}', 'DELETE /notes/{id}'];
    for (const key of [...readers, ...writers]) {
      const functionId = all[key]?.functionId ?? '';
      const { actions, resources } = dynamoGrants(template, functionId);
      expect(tableOf(functionId), key).toEqual({ Ref: table });
      expect(resources, key).toEqual(resources.map(() => ({ 'Fn::GetAtt': [table, 'Arn'] })));
      expect(actions, key).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      if (readers.includes(key)) {
        expect(
          actions.filter((a) => WRITE_ACTIONS.includes(a)),
          key,
        ).toEqual([]);
      } else {
        expect(actions, key).toEqual(
          expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
        );
      }
    }
  });

  it('the scopes match the tokens Cognito really issues to the shared clients', () => {
    const clients = Object.values(resourcesOfType(shared(stage), 'AWS::Cognito::UserPoolClient')).map(
      (client) =>
        propertiesOf(client) as {
          AllowedOAuthFlows: string[];
          AllowedOAuthScopes: string[];
          ExplicitAuthFlows?: string[];
        },
    );
    // A resource-server scope is `{ Fn::Join: ['', [{ Ref: <server> }, '/export']] }`; the Ref is its Identifier.
    const servers = resourcesOfType(shared(stage), 'AWS::Cognito::UserPoolResourceServer');
    const scopeName = (scope: unknown): string => {
      if (typeof scope === 'string') return scope;
      const [ref, suffix] = (scope as { 'Fn::Join': [string, [{ Ref: string }, string]] })['Fn::Join'][1];
      return `${propertiesOf(servers[ref.Ref] ?? { Type: '' }).Identifier}${suffix}`;
    };
    for (const client of clients) client.AllowedOAuthScopes = client.AllowedOAuthScopes.map(scopeName);
    const web = clients.find((c) => c.AllowedOAuthFlows.includes('code'));
    const machine = clients.find((c) => c.AllowedOAuthFlows.includes('client_credentials'));
    if (!web || !machine) throw new Error('expected a web and a machine client');

    // The `scope` claim of each kind of access token the clients can obtain.
    const tokens = {
      passwordFlow: web.ExplicitAuthFlows?.includes('ALLOW_USER_PASSWORD_AUTH') ? [PASSWORD_FLOW_SCOPE] : [],
      codeFlow: web.AllowedOAuthScopes,
      machine: machine.AllowedOAuthScopes,
    };
    expect(tokens.passwordFlow).toEqual([PASSWORD_FLOW_SCOPE]);
    expect(tokens.machine).toEqual(['notes/export', 'catalog/write']);
    // API Gateway accepts a token when its scopes contain at least one of the route's scopes.
    const accepts = (route: string, scopes: string[]) =>
      (routes(notes(stage))[route]?.scopes ?? []).some((scope) => scopes.includes(scope));

    for (const route of USER_ROUTES) {
      expect({ route, passwordFlow: accepts(route, tokens.passwordFlow) }).toEqual({
        route,
        passwordFlow: true,
      });
      expect({ route, codeFlow: accepts(route, tokens.codeFlow) }).toEqual({ route, codeFlow: true });
      expect({ route, machine: accepts(route, tokens.machine) }).toEqual({ route, machine: false });
    }
    expect(accepts(EXPORT_ROUTE, tokens.machine)).toBe(true);
    expect(accepts(EXPORT_ROUTE, tokens.passwordFlow)).toBe(false);
    expect(accepts(EXPORT_ROUTE, tokens.codeFlow)).toBe(false);
  });

  it('CORS at the gateway allows If-Match and exposes ETag and Location to browsers', () => {
    notes(stage).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowHeaders: ['authorization', 'content-type', 'if-match'],
        AllowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
        ExposeHeaders: ['etag', 'location'],
      }),
    });
  });
});

describe('table durability follows the stage removal policy', () => {
  it('dev: deleted with the stack, no backups, no deletion protection', () => {
    notes('dev').hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        DeletionProtectionEnabled: false,
      }),
    });
  });

  it('prod: retained, point-in-time recovery on, deletion protection on', () => {
    notes('prod').hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });
});
