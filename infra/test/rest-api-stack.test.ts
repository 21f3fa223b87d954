/**
 * The catalog REST API as synthesized for both stages: every method's authorization, API key, cache
 * settings and cache key, validators and models (checked against the functions' zod schemas), the TOKEN
 * authorizer, usage plans and keys, gateway responses, CORS preflights, the table, and what each function
 * may do to it. These are also the CloudFormation shapes the local cloud reads.
 */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyJsonSchemas } from '../../apps/rest-api/src/domain/json-schema';
import { CATEGORY_INDEX as APP_CATEGORY_INDEX } from '../../apps/rest-api/src/domain/table';
import {
  type StageConfig,
  StageConfigError,
  type StageName,
  validateStageConfig,
} from '../lib/config/stage-config';
import { stageConfigs } from '../lib/config/stages';
import { ACCESS_LOG_FORMATS } from '../lib/constructs/api-access-log/api-access-log';
import { BEARER_TOKEN_PATTERN, CACHE_INVALIDATION, CATEGORY_INDEX } from '../lib/stacks/rest-api-stack';
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
let templates: Record<StageName, Template>;

beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
  const { dev, prod } = buildStagesByName(bundleRoot);
  outdir = outdirOf(dev);
  templates = { dev: Template.fromStack(dev.restApi), prod: Template.fromStack(prod.restApi) };
});
afterAll(() => removeDir(bundleRoot));

// ---- reading the template -------------------------------------------------------------------------

interface MethodProps {
  HttpMethod: string;
  AuthorizationType: string;
  AuthorizerId?: { Ref: string };
  ApiKeyRequired?: boolean;
  RequestParameters?: Record<string, boolean>;
  RequestValidatorId?: { Ref: string };
  RequestModels?: Record<string, { Ref: string }>;
  Integration: {
    Type: string;
    CacheKeyParameters?: string[];
    Uri?: { 'Fn::Join': [string, unknown[]] };
    RequestTemplates?: Record<string, string>;
    IntegrationResponses?: { StatusCode: string; ResponseParameters: Record<string, string> }[];
  };
}

interface MethodSetting {
  HttpMethod: string;
  ResourcePath: string;
  CachingEnabled?: boolean;
  CacheTtlInSeconds?: number;
  CacheDataEncrypted?: boolean;
  ThrottlingRateLimit?: number;
  ThrottlingBurstLimit?: number;
}

/** The API's path of a resource logical id, e.g. `/products/{id}` (the root is `/`). */
function resourcePath(template: Template, resourceId: unknown): string {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const parts: string[] = [];
  let current = resourceId as { Ref?: string; 'Fn::GetAtt'?: unknown };
  while (current.Ref) {
    const resource = propertiesOf(resources[current.Ref] ?? { Type: '' });
    parts.unshift(resource.PathPart as string);
    current = resource.ParentId as typeof current;
  }
  return `/${parts.join('/')}`;
}

/** Every method of the API by `VERB /path`. */
function methods(template: Template): Record<string, MethodProps> {
  const result: Record<string, MethodProps> = {};
  for (const method of Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method'))) {
    const props = propertiesOf(method) as unknown as MethodProps & { ResourceId: unknown };
    result[`${props.HttpMethod} ${resourcePath(template, props.ResourceId)}`] = props;
  }
  return result;
}

function method(template: Template, key: string): MethodProps {
  const found = methods(template)[key];
  if (!found) throw new Error(`no method ${key}`);
  return found;
}

function stage(template: Template): { id: string; props: Record<string, unknown> } {
  const [entry, ...others] = Object.entries(resourcesOfType(template, 'AWS::ApiGateway::Stage'));
  expect(others).toEqual([]);
  if (!entry) throw new Error('no stage');
  return { id: entry[0], props: propertiesOf(entry[1]) };
}

/**
 * The method setting that applies to `VERB /path`: its own entry (resource path encoded with `~1`) if
 * there is one, else the stage-wide `/*` `*` entry — how API Gateway resolves them.
 */
function effectiveSetting(template: Template, key: string): MethodSetting {
  const [verb, apiPath] = key.split(' ') as [string, string];
  const encoded = `/${apiPath.replaceAll('/', '~1')}`;
  const settings = stage(template).props.MethodSettings as MethodSetting[];
  const own = settings.find((s) => s.HttpMethod === verb && s.ResourcePath === encoded);
  const all = settings.find((s) => s.HttpMethod === '*' && s.ResourcePath === '/*');
  const found = own ?? all;
  if (!found) throw new Error(`no method setting for ${key}`);
  return found;
}

/** Logical id of the Lambda function behind a proxy method. */
function functionId(props: MethodProps): string {
  const parts = props.Integration.Uri?.['Fn::Join'][1] ?? [];
  const arn = parts.find((part): part is { 'Fn::GetAtt': [string, string] } =>
    Boolean(part && typeof part === 'object' && 'Fn::GetAtt' in part),
  );
  if (!arn) throw new Error('not a Lambda proxy method');
  return arn['Fn::GetAtt'][0];
}

const PUBLIC_READS = ['GET /products', 'GET /products/{id}'];
const WRITES = ['POST /products', 'PATCH /products/{id}', 'DELETE /products/{id}'];
const PREFLIGHTS = ['OPTIONS /products', 'OPTIONS /products/{id}'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** What each stage must say, written out rather than read back from the config. */
const expected = {
  dev: { productTtl: 60, listTtl: 10, authorizerTtl: 60, origins: 2, write: [10, 20], stage: [100, 200] },
  prod: {
    productTtl: 300,
    listTtl: 30,
    authorizerTtl: 300,
    origins: 1,
    write: [50, 100],
    stage: [1000, 2000],
  },
} as const;

// ---- the tests ------------------------------------------------------------------------------------

describe.each(['dev', 'prod'] as const)('%s catalog stack', (stageName) => {
  const want = expected[stageName];
  const config = stageConfigs[stageName];
  const t = () => templates[stageName];

  describe('routes', () => {
    it('exactly these methods, each running its own bundle', () => {
      const all = methods(t());
      expect(Object.keys(all).sort()).toEqual(
        ['GET /health', ...PUBLIC_READS, ...WRITES, ...PREFLIGHTS].sort(),
      );
      const bundles = Object.fromEntries(
        ['GET /health', ...PUBLIC_READS, ...WRITES].map((key) => [
          key,
          bundleOf(t(), functionId(all[key] as MethodProps), outdir),
        ]),
      );
      expect(bundles).toEqual({
        'GET /health': 'apps/rest-api/health',
        'GET /products': 'apps/rest-api/list-products',
        'GET /products/{id}': 'apps/rest-api/get-product',
        'POST /products': 'apps/rest-api/create-product',
        'PATCH /products/{id}': 'apps/rest-api/update-product',
        'DELETE /products/{id}': 'apps/rest-api/delete-product',
      });
      for (const key of ['GET /health', ...PUBLIC_READS, ...WRITES]) {
        expect(method(t(), key).Integration.Type, key).toBe('AWS_PROXY');
      }
    });

    it('public reads: no authorizer, API key required; writes: the TOKEN authorizer, no API key', () => {
      const authorizerId = onlyId(t(), 'AWS::ApiGateway::Authorizer');
      for (const key of PUBLIC_READS) {
        expect({ key, ...method(t(), key) }).toMatchObject({
          key,
          AuthorizationType: 'NONE',
          ApiKeyRequired: true,
        });
        expect(method(t(), key).AuthorizerId, key).toBeUndefined();
      }
      for (const key of WRITES) {
        expect({ key, ...method(t(), key) }).toMatchObject({
          key,
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: authorizerId },
        });
        expect(method(t(), key).ApiKeyRequired, key).toBeFalsy();
      }
      expect(method(t(), 'GET /health')).toMatchObject({ AuthorizationType: 'NONE' });
      expect(method(t(), 'GET /health').ApiKeyRequired).toBeFalsy();
      t().hasResourceProperties('AWS::ApiGateway::RestApi', {
        Name: `${stageName}-catalog`,
        ApiKeySourceType: 'HEADER',
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
    });
  });

  describe('caching', () => {
    it('the stage has a 0.5 GB cache cluster, caching off by default and on only for the public reads', () => {
      expect(stage(t()).props).toMatchObject({
        StageName: stageName,
        TracingEnabled: true,
        CacheClusterEnabled: true,
        CacheClusterSize: '0.5',
      });
      const settings = stage(t()).props.MethodSettings as MethodSetting[];
      expect(settings.find((s) => s.HttpMethod === '*' && s.ResourcePath === '/*')).toMatchObject({
        CachingEnabled: false,
      });
      const cached = Object.keys(methods(t())).filter((key) => effectiveSetting(t(), key).CachingEnabled);
      expect(cached.sort()).toEqual([...PUBLIC_READS].sort());
    });

    it(`TTLs: ${want.productTtl} s for one product, ${want.listTtl} s for a listing page; entries encrypted`, () => {
      expect(effectiveSetting(t(), 'GET /products/{id}')).toMatchObject({
        CachingEnabled: true,
        CacheTtlInSeconds: want.productTtl,
        CacheDataEncrypted: true,
      });
      expect(effectiveSetting(t(), 'GET /products')).toMatchObject({
        CachingEnabled: true,
        CacheTtlInSeconds: want.listTtl,
        CacheDataEncrypted: true,
      });
    });

    it('writes, /health and preflights are never cached', () => {
      for (const key of [...WRITES, 'GET /health', ...PREFLIGHTS]) {
        expect({ key, cached: effectiveSetting(t(), key).CachingEnabled }).toEqual({ key, cached: false });
      }
    });

    it('cache keys: every input of the answer, each declared as a request parameter', () => {
      const originKey = want.origins > 1 ? ['method.request.header.Origin'] : [];
      expect(method(t(), 'GET /products').Integration.CacheKeyParameters).toEqual([
        'method.request.querystring.category',
        'method.request.querystring.limit',
        'method.request.querystring.cursor',
        ...originKey,
      ]);
      // Without the path parameter in the key every product would share one cache entry.
      expect(method(t(), 'GET /products/{id}').Integration.CacheKeyParameters).toEqual([
        'method.request.path.id',
        ...originKey,
      ]);
      for (const key of PUBLIC_READS) {
        const props = method(t(), key);
        for (const parameter of props.Integration.CacheKeyParameters ?? []) {
          expect(props.RequestParameters, `${key} declares ${parameter}`).toHaveProperty([parameter]);
        }
      }
      expect(method(t(), 'GET /products').RequestParameters).toMatchObject({
        'method.request.querystring.category': true,
        'method.request.querystring.limit': false,
        'method.request.querystring.cursor': false,
      });
    });

    it('no cached method can serve one caller’s answer to another: none has an authorizer', () => {
      // The cache key holds no identity, so a cached method's answer must not depend on the caller.
      for (const [key, props] of Object.entries(methods(t()))) {
        if (!effectiveSetting(t(), key).CachingEnabled) continue;
        expect({ key, auth: props.AuthorizationType }).toEqual({ key, auth: 'NONE' });
        const identityKeys = (props.Integration.CacheKeyParameters ?? []).filter((p) =>
          /authorization|x-api-key|cookie/i.test(p),
        );
        expect(identityKeys, key).toEqual([]);
      }
    });

    it('cache invalidation follows the API Gateway defaults (CloudFormation cannot set them)', () => {
      expect(CACHE_INVALIDATION).toEqual({
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      });
      for (const setting of stage(t()).props.MethodSettings as object[]) {
        expect(setting).not.toHaveProperty('RequireAuthorizationForCacheControl');
      }
    });
  });

  describe('throttling', () => {
    it(`stage ${want.stage[0]}/${want.stage[1]} for reads, a stricter ${want.write[0]}/${want.write[1]} for writes`, () => {
      for (const key of ['GET /health', ...PUBLIC_READS]) {
        expect({ key, ...effectiveSetting(t(), key) }).toMatchObject({
          key,
          ThrottlingRateLimit: want.stage[0],
          ThrottlingBurstLimit: want.stage[1],
        });
      }
      for (const key of WRITES) {
        expect({ key, ...effectiveSetting(t(), key) }).toMatchObject({
          key,
          ThrottlingRateLimit: want.write[0],
          ThrottlingBurstLimit: want.write[1],
        });
      }
    });
  });

  describe('usage plans and API keys', () => {
    it('two plans (free, pro) with their throttle and daily quota, bound to this stage', () => {
      const stageId = stage(t()).id;
      const plans = Object.values(resourcesOfType(t(), 'AWS::ApiGateway::UsagePlan')).map(propertiesOf);
      expect(plans.map((plan) => plan.UsagePlanName).sort()).toEqual([
        `${stageName}-catalog-free`,
        `${stageName}-catalog-pro`,
      ]);
      const byName = (tier: string) =>
        plans.find((plan) => plan.UsagePlanName === `${stageName}-catalog-${tier}`);
      expect(byName('free')).toMatchObject({
        Throttle: { RateLimit: 2, BurstLimit: 5 },
        Quota: { Limit: 100, Period: 'DAY' },
      });
      expect(byName('pro')).toMatchObject({
        Throttle: { RateLimit: 20, BurstLimit: 40 },
        Quota: { Limit: 10_000, Period: 'DAY' },
      });
      for (const plan of plans) {
        expect(plan.ApiStages).toEqual([
          expect.objectContaining({
            ApiId: { Ref: onlyId(t(), 'AWS::ApiGateway::RestApi') },
            Stage: { Ref: stageId },
          }),
        ]);
      }
    });

    it('one key per plan, generated by API Gateway (no value in the template), enabled', () => {
      const keys = resourcesOfType(t(), 'AWS::ApiGateway::ApiKey');
      expect(Object.keys(keys)).toHaveLength(2);
      for (const key of Object.values(keys)) {
        expect(propertiesOf(key)).toMatchObject({ Enabled: true });
        expect(propertiesOf(key)).not.toHaveProperty('Value');
        expect(propertiesOf(key)).not.toHaveProperty('Name');
      }
      const plans = resourcesOfType(t(), 'AWS::ApiGateway::UsagePlan');
      const links = Object.values(resourcesOfType(t(), 'AWS::ApiGateway::UsagePlanKey')).map(propertiesOf);
      expect(links).toHaveLength(2);
      for (const link of links) expect(link.KeyType).toBe('API_KEY');
      // Each plan has its own key: no key in two plans of one stage (API Gateway would refuse it).
      expect(new Set(links.map((l) => (l.KeyId as { Ref: string }).Ref))).toEqual(new Set(Object.keys(keys)));
      expect(new Set(links.map((l) => (l.UsagePlanId as { Ref: string }).Ref))).toEqual(
        new Set(Object.keys(plans)),
      );
    });

    it('outputs the API URL, the key ids (never values) and the plan ids', () => {
      const outputs = t().toJSON().Outputs as Record<string, { Value: unknown }>;
      const ref = (name: string) => (outputs[name]?.Value as { Ref?: string } | undefined)?.Ref;
      const keyIds = Object.keys(resourcesOfType(t(), 'AWS::ApiGateway::ApiKey'));
      const planIds = Object.keys(resourcesOfType(t(), 'AWS::ApiGateway::UsagePlan'));
      expect([ref('FreeApiKeyId'), ref('ProApiKeyId')].sort()).toEqual([...keyIds].sort());
      expect([ref('FreeUsagePlanId'), ref('ProUsagePlanId')].sort()).toEqual([...planIds].sort());
      expect(ref('FreeApiKeyId')).toMatch(/^FreeApiKey/);
      expect(outputs).toHaveProperty('ApiUrl');
      expect(outputs).toHaveProperty('ProductsTableName');
    });
  });

  describe('request validation', () => {
    it('GET /products: category required, checked by the params validator', () => {
      const validators = resourcesOfType(t(), 'AWS::ApiGateway::RequestValidator');
      const list = method(t(), 'GET /products');
      expect(propertiesOf(validators[list.RequestValidatorId?.Ref ?? ''] ?? { Type: '' })).toMatchObject({
        ValidateRequestParameters: true,
        ValidateRequestBody: false,
      });
      expect(list.RequestParameters?.['method.request.querystring.category']).toBe(true);
    });

    it('POST and PATCH: body and parameters validated against their models', () => {
      const validators = resourcesOfType(t(), 'AWS::ApiGateway::RequestValidator');
      const models = resourcesOfType(t(), 'AWS::ApiGateway::Model');
      const modelOf = (key: string) =>
        propertiesOf(models[method(t(), key).RequestModels?.['application/json']?.Ref ?? ''] ?? { Type: '' });
      for (const key of ['POST /products', 'PATCH /products/{id}']) {
        const validator = validators[method(t(), key).RequestValidatorId?.Ref ?? ''];
        expect(propertiesOf(validator ?? { Type: '' }), key).toMatchObject({
          ValidateRequestBody: true,
          ValidateRequestParameters: true,
        });
      }
      expect(modelOf('POST /products')).toMatchObject({
        Name: 'ProductCreate',
        ContentType: 'application/json',
      });
      expect(modelOf('PATCH /products/{id}')).toMatchObject({
        Name: 'ProductPatch',
        ContentType: 'application/json',
      });
      for (const key of ['GET /products/{id}', 'DELETE /products/{id}', 'GET /health', ...PREFLIGHTS]) {
        expect(method(t(), key).RequestModels, key).toBeUndefined();
      }
    });

    it('the models are the functions’ zod schemas, in JSON Schema draft-04', () => {
      const models = resourcesOfType(t(), 'AWS::ApiGateway::Model');
      const schemaOf = (name: string) => {
        const model = Object.values(models).find((m) => propertiesOf(m).Name === name);
        const { $schema, title, ...schema } = propertiesOf(model ?? { Type: '' }).Schema as Record<
          string,
          unknown
        >;
        expect({ $schema, title }).toEqual({
          $schema: 'http://json-schema.org/draft-04/schema#',
          title: name,
        });
        return schema;
      };
      const zod = bodyJsonSchemas();
      expect(schemaOf('ProductCreate')).toEqual(zod.create);
      // zod cannot render `.refine(at least one field)`; the model says it with minProperties.
      expect(schemaOf('ProductPatch')).toEqual({ ...zod.patch, minProperties: 1 });
    });
  });

  describe('TOKEN authorizer', () => {
    it(`reads the Authorization header, pre-checks it with a regex, caches results ${want.authorizerTtl} s`, () => {
      t().resourceCountIs('AWS::ApiGateway::Authorizer', 1);
      t().hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        IdentityValidationExpression: BEARER_TOKEN_PATTERN,
        AuthorizerResultTtlInSeconds: want.authorizerTtl,
      });
    });

    it('the regex admits a bearer JWT and refuses other schemes before the function runs', () => {
      const pattern = new RegExp(BEARER_TOKEN_PATTERN);
      expect(pattern.test('Bearer eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2ln-_nature')).toBe(true);
      for (const header of [
        'Basic dXNlcjpwYXNz',
        'Bearer',
        'Bearer ',
        'eyJ.x.y',
        'Bearer a b',
        'Bearer a\nb',
      ]) {
        expect({ header, ok: pattern.test(header) }).toEqual({ header, ok: false });
      }
    });

    it('its function trusts access tokens of the web and machine clients and leaves the write rule to code', () => {
      const authorizerUri = JSON.stringify(
        propertiesOf(Object.values(resourcesOfType(t(), 'AWS::ApiGateway::Authorizer'))[0] ?? { Type: '' })
          .AuthorizerUri,
      );
      const fns = resourcesOfType(t(), 'AWS::Lambda::Function');
      const [authorizerFn] = Object.keys(fns).filter((id) => authorizerUri.includes(`"${id}"`));
      expect(authorizerFn).toBeDefined();
      const variables = variablesOf(t(), authorizerFn ?? '');
      expect(variables).toMatchObject({
        JWT_ISSUER: cognitoIssuer({
          'Fn::ImportValue': expect.stringMatching(new RegExp(`^${stageName}-shared:.*UserPool[0-9A-F]+$`)),
        }),
        JWT_AUDIENCE: {
          'Fn::Join': [
            '',
            [
              { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^${stageName}-shared:.*WebClient`)) },
              ',',
              {
                'Fn::ImportValue': expect.stringMatching(new RegExp(`^${stageName}-shared:.*MachineClient`)),
              },
            ],
          ],
        },
        JWT_TOKEN_USE: 'access',
      });
      // "catalog/write scope OR admins group" cannot be said with the authorizer's all-of settings.
      expect(variables).not.toHaveProperty('JWT_REQUIRED_SCOPES');
      expect(variables).not.toHaveProperty('JWT_REQUIRED_GROUPS');
      expect(bundleOf(t(), authorizerFn ?? '', outdir)).toBe('packages/authorizers/token-authorizer');
    });
  });

  describe('CORS', () => {
    it('gateway errors (4XX, 5XX) carry Access-Control-Allow-Origin: the first configured origin', () => {
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        t().hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
          ResponseType: type,
          ResponseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': `'${config.corsAllowedOrigins[0]}'`,
          },
          ResponseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
        });
      }
      t().resourceCountIs('AWS::ApiGateway::GatewayResponse', 2);
    });

    it('preflights are MOCK methods without authorizer or key, allowing the headers the API reads', () => {
      for (const [key, verbs] of [
        ['OPTIONS /products', "'GET,POST'"],
        ['OPTIONS /products/{id}', "'GET,PATCH,DELETE'"],
      ] as const) {
        const props = method(t(), key);
        expect(props).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: false });
        expect(props.Integration).toMatchObject({
          Type: 'MOCK',
          RequestTemplates: { 'application/json': '{ statusCode: 200 }' },
        });
        expect(props.Integration.IntegrationResponses?.[0]).toMatchObject({
          StatusCode: '204',
          ResponseParameters: {
            'method.response.header.Access-Control-Allow-Origin': `'${config.corsAllowedOrigins[0]}'`,
            'method.response.header.Access-Control-Allow-Headers':
              "'Authorization,Content-Type,If-Match,X-Api-Key'",
            'method.response.header.Access-Control-Allow-Methods': verbs,
          },
        });
      }
    });

    it('every function sends its own CORS headers, for the configured origins', () => {
      for (const key of ['GET /health', ...PUBLIC_READS, ...WRITES]) {
        expect(variablesOf(t(), functionId(method(t(), key))), key).toMatchObject({
          CORS_ALLOWED_ORIGINS: config.corsAllowedOrigins.join(','),
        });
      }
    });
  });

  describe('logs and tracing', () => {
    it('a JSON access log to the stack’s log group, in the shared REST format, with X-Ray tracing on', () => {
      const { props } = stage(t());
      const setting = props.AccessLogSetting as { DestinationArn: unknown; Format: string };
      const [logGroupId, ...otherGroups] = Object.keys(resourcesOfType(t(), 'AWS::Logs::LogGroup')).filter(
        (id) => id.startsWith('AccessLog'),
      );
      expect(otherGroups).toEqual([]);
      // The log group's ARN, built from its name: `arn:…:logs:<region>:<account>:log-group:<Ref>`.
      expect(JSON.stringify(setting.DestinationArn)).toContain(JSON.stringify({ Ref: logGroupId }));
      expect(JSON.parse(setting.Format)).toEqual(ACCESS_LOG_FORMATS.rest);
      expect(props.TracingEnabled).toBe(true);
    });

    it('sets the account’s API Gateway CloudWatch role (REST logs need it), retained on delete, before the stage', () => {
      const [accountId, ...others] = Object.keys(resourcesOfType(t(), 'AWS::ApiGateway::Account'));
      expect(others).toEqual([]);
      if (!accountId) throw new Error('no AWS::ApiGateway::Account');
      const account = t().toJSON().Resources[accountId];
      expect(account.DeletionPolicy).toBe('Retain');
      const roleId = account.Properties.CloudWatchRoleArn['Fn::GetAtt'][0];
      t().hasResource('AWS::IAM::Role', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          ManagedPolicyArns: [
            Match.objectLike({
              'Fn::Join': [
                '',
                Match.arrayWith([':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']),
              ],
            }),
          ],
        }),
      });
      expect(t().toJSON().Resources[roleId]).toBeDefined();
      const stageResource = t().toJSON().Resources[stage(t()).id];
      // CloudFormation would otherwise create the stage first, and its access log setting would fail.
      expect(stageResource.DependsOn).toContain(accountId);
    });
  });

  describe('table and permissions', () => {
    it('one on-demand table keyed pk/sk with the byCategory index the code queries, without a name', () => {
      expect(CATEGORY_INDEX).toBe(APP_CATEGORY_INDEX);
      t().resourceCountIs('AWS::DynamoDB::Table', 1);
      t().hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TableName: Match.absent(),
        GlobalSecondaryIndexes: [
          {
            IndexName: APP_CATEGORY_INDEX,
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
    });

    it('least privilege: readers cannot write, writers get this table only, /health and the authorizer nothing', () => {
      const table = onlyId(t(), 'AWS::DynamoDB::Table');
      const fns = resourcesOfType(t(), 'AWS::Lambda::Function');
      const tableOf = (fnId: string) => variablesOf(t(), fnId).TABLE_NAME;
      const routeFns = new Set<string>();
      for (const key of [...PUBLIC_READS, ...WRITES]) {
        const fnId = functionId(method(t(), key));
        routeFns.add(fnId);
        const { actions, resources } = dynamoGrants(t(), fnId);
        expect(tableOf(fnId), key).toEqual({ Ref: table });
        for (const resource of resources) {
          expect([
            { 'Fn::GetAtt': [table, 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/*']] },
          ]).toContainEqual(resource);
        }
        const writes = actions.filter((a) => WRITE_ACTIONS.includes(a));
        if (PUBLIC_READS.includes(key)) expect(writes, key).toEqual([]);
        else
          expect(writes, key).toEqual(
            expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
          );
      }
      // Everything else (health, the authorizer) has no table access and no table name.
      const others = Object.keys(fns).filter((id) => !routeFns.has(id));
      expect(others).toHaveLength(2);
      for (const fnId of others) {
        expect(dynamoGrants(t(), fnId).actions, fnId).toEqual([]);
        expect(tableOf(fnId), fnId).toBeUndefined();
      }
    });
  });
});

describe('dev and prod differ where they must', () => {
  it('prod caches longer, keeps its authorizer results longer, and keeps its data', () => {
    expect(expected.prod.productTtl).toBeGreaterThan(expected.dev.productTtl);
    expect(expected.prod.listTtl).toBeGreaterThan(expected.dev.listTtl);
    expect(expected.prod.authorizerTtl).toBeGreaterThan(expected.dev.authorizerTtl);
    templates.dev.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        DeletionProtectionEnabled: false,
      }),
    });
    templates.prod.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('the authorizer keeps results well below the 1 h access-token lifetime in every stage', () => {
    for (const config of Object.values(stageConfigs)) {
      expect(config.catalog.authorizerCacheTtl.toSeconds()).toBeLessThanOrEqual(300);
    }
  });
});

describe('validateStageConfig: catalog settings', () => {
  const { dev } = stageConfigs;
  const withCatalog = (catalog: Partial<StageConfig['catalog']>): StageConfig => ({
    ...dev,
    catalog: { ...dev.catalog, ...catalog },
  });

  it('accepts the shipped configs', () => {
    for (const config of Object.values(stageConfigs)) expect(validateStageConfig(config)).toBe(config);
  });

  it('rejects TTLs API Gateway would refuse, listing every problem', () => {
    const bad = withCatalog({
      cache: { clusterSize: '0.5', productTtl: Duration.seconds(0), listTtl: Duration.hours(2) },
      authorizerCacheTtl: Duration.millis(1500),
    });
    expect(() => validateStageConfig(bad)).toThrow(StageConfigError);
    expect(() => validateStageConfig(bad)).toThrow(
      /catalog\.cache\.productTtl[\s\S]*catalog\.cache\.listTtl[\s\S]*catalog\.authorizerCacheTtl/,
    );
  });

  it('rejects throttles and quotas that could never take effect', () => {
    expect(() =>
      validateStageConfig(withCatalog({ writeThrottle: { rateLimit: 500, burstLimit: 20 } })),
    ).toThrow(/catalog\.writeThrottle must not exceed the stage throttle/);
    const plans = dev.catalog.usagePlans;
    expect(() =>
      validateStageConfig(
        withCatalog({
          usagePlans: { ...plans, pro: { ...plans.pro, quota: { limit: 0, period: 'DAY' } } },
        }),
      ),
    ).toThrow(/catalog\.usagePlans\.pro\.quota\.limit/);
    expect(() =>
      validateStageConfig(
        withCatalog({
          usagePlans: { ...plans, free: { ...plans.free, throttle: { rateLimit: 2, burstLimit: 1.5 } } },
        }),
      ),
    ).toThrow(/catalog\.usagePlans\.free\.throttle\.burstLimit/);
  });
});
