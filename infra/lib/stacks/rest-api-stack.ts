import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { apiServerErrorsAlarm } from '../alarms';
import { bundle, type HandlerName } from '../bundles';
import { USAGE_PLAN_TIERS, type UsagePlanTier } from '../config/stage-config';
import { ApiAccessLog } from '../constructs/api-access-log/api-access-log';
import { JwtAuthorizerFunction } from '../constructs/jwt-authorizer-function/jwt-authorizer-function';
import { ServiceFunction, type TableAccess } from '../constructs/service-function/service-function';
import { corsEnvironment, type ServiceStackProps, serviceTable } from './service-stack';

/** Powertools service name of the catalog functions. */
export const CATALOG_SERVICE = 'catalog';

/**
 * Name of the products table's category index: partition key `gsi1pk`, sort key `gsi1sk`. The catalog
 * code queries it under this name (apps/rest-api `src/domain/table.ts`).
 */
export const CATEGORY_INDEX = 'byCategory';

/**
 * What a TOKEN authorizer accepts before its function runs: `Bearer ` and one RFC 6750 b64token. Anything
 * else is answered 401 by API Gateway without invoking (or paying for) the authorizer.
 */
export const BEARER_TOKEN_PATTERN = '^Bearer [-0-9A-Za-z._~+/]+=*$';

/**
 * Per-key cache invalidation (`Cache-Control: max-age=0`) on the cached reads. CloudFormation has no
 * property for these two method settings (`AWS::ApiGateway::Stage` MethodSetting lacks them; they exist
 * only in the UpdateStage API), so a stage created from this template gets API Gateway's defaults — and
 * the defaults are what we want:
 *
 * - `requireAuthorizationForCacheControl: true`: only a caller with IAM permission
 *   `execute-api:InvalidateCache` on the method (a SigV4-signed request) can bypass and refresh an entry.
 *   Without it anyone could defeat the cache, send every request to Lambda and DynamoDB, and the usage
 *   plans' intent with it;
 * - `SUCCEED_WITH_RESPONSE_HEADER`: anyone else's `max-age=0` is ignored; the request is answered (from
 *   the cache when there is an entry) with a warning header. Not `FAIL_WITH_403`: browsers send
 *   `Cache-Control: max-age=0` on a reload, and a public read must not fail for that.
 *
 * Changing them would need a custom resource calling UpdateStage; the local cloud applies these values.
 */
export const CACHE_INVALIDATION = {
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
} as const;

/** One catalog route: its function, how that function may use the table, and who may call it. */
export interface CatalogRoute {
  /** Construct id prefix: `<id>Function`. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: '/products' | '/products/{id}';
  readonly handler: HandlerName<'apps/rest-api'>;
  readonly tableAccess: TableAccess;
  /**
   * `public-read`: no authorizer, an API key (usage plan) required, answered from the stage cache.
   * `write`: the TOKEN authorizer, no API key, never cached, the stricter write throttle.
   */
  readonly access: 'public-read' | 'write';
  /** Public reads: which of the stage's cache TTLs applies (`config.catalog.cache`). */
  readonly cacheTtl?: 'listTtl' | 'productTtl';
}

/** Every catalog route except `GET /health`. One function per route: least privilege per route. */
export const CATALOG_ROUTES: readonly CatalogRoute[] = [
  {
    id: 'ListProducts',
    method: 'GET',
    path: '/products',
    handler: 'list-products',
    tableAccess: 'read',
    access: 'public-read',
    cacheTtl: 'listTtl',
  },
  {
    id: 'GetProduct',
    method: 'GET',
    path: '/products/{id}',
    handler: 'get-product',
    tableAccess: 'read',
    access: 'public-read',
    cacheTtl: 'productTtl',
  },
  {
    id: 'CreateProduct',
    method: 'POST',
    path: '/products',
    handler: 'create-product',
    tableAccess: 'readwrite',
    access: 'write',
  },
  {
    id: 'UpdateProduct',
    method: 'PATCH',
    path: '/products/{id}',
    handler: 'update-product',
    tableAccess: 'readwrite',
    access: 'write',
  },
  {
    id: 'DeleteProduct',
    method: 'DELETE',
    path: '/products/{id}',
    handler: 'delete-product',
    tableAccess: 'readwrite',
    access: 'write',
  },
];

// ---------------------------------------------------------------------------------------------------
// Request models: JSON Schema draft-04 copies of the zod body schemas in apps/rest-api
// `src/domain/product.ts`. infra/test/rest-api-stack.test.ts compares them with zod's own draft-04
// rendering, so the gateway never rejects a body the function would accept (and rejects most of what
// it would not) without a function call.

const SLUG = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
/** One line of text: no control characters, no leading or trailing white space. */
const ONE_LINE = '^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?$';
const { STRING, INTEGER, ARRAY, OBJECT, NULL } = apigateway.JsonSchemaType;

const productFields = {
  name: { type: STRING, maxLength: 200, pattern: ONE_LINE },
  description: { type: STRING, maxLength: 2000 },
  category: { type: STRING, maxLength: 40, pattern: SLUG },
  priceCents: { type: INTEGER, minimum: 0, maximum: 99_999_999 },
  currency: { type: STRING, enum: ['EUR', 'GBP', 'USD'] },
  stock: { type: INTEGER, minimum: 0, maximum: 1_000_000_000 },
  tags: { type: ARRAY, maxItems: 10, items: { type: STRING, maxLength: 30, pattern: SLUG } },
} satisfies Record<string, apigateway.JsonSchema>;

/** `POST /products`: every writable field, the server fields (id, version, timestamps) rejected. */
export const PRODUCT_CREATE_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'ProductCreate',
  type: OBJECT,
  properties: {
    sku: { type: STRING, pattern: '^[A-Z0-9](?:[A-Z0-9-]{1,38})[A-Z0-9]$' },
    ...productFields,
  },
  required: ['sku', 'name', 'category', 'priceCents', 'currency'],
  additionalProperties: false,
};

/** `PATCH /products/{id}`: a non-empty subset; no SKU (immutable); `stock: null` stops stock tracking. */
export const PRODUCT_PATCH_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'ProductPatch',
  type: OBJECT,
  properties: { ...productFields, stock: { anyOf: [productFields.stock, { type: NULL }] } },
  additionalProperties: false,
  minProperties: 1,
};

// ---------------------------------------------------------------------------------------------------

const PASCAL_TIER: Record<UsagePlanTier, string> = { free: 'Free', pro: 'Pro' };

/**
 * The product catalog: a regional REST API (v1) whose stage is named after the deployment stage
 * (`/<stage>/products`), in front of one function per route and a DynamoDB table.
 *
 * - Public reads (`GET /products`, `GET /products/{id}`): no authorizer, an **API key** required (usage
 *   plans `free` / `pro`), answered from the stage **cache** with every input of the answer in the key.
 * - Writes (`POST`, `PATCH`, `DELETE`): the shared **TOKEN authorizer** (Cognito access tokens of the web
 *   and machine clients), then `catalog/write` or `admins` checked in the function; a stricter throttle.
 * - Request validation (required query/path parameters, JSON-schema body models), gateway responses
 *   with CORS, MOCK `OPTIONS` preflights. `GET /health` stays public, keyless and uncached.
 *
 * - A JSON access log (one line per request, the same fields as the other APIs: ApiAccessLog). REST
 *   APIs can only write logs once the account's API Gateway CloudWatch role is set, so the stack sets it.
 */
export class RestApiStack extends Stack {
  readonly api: apigateway.RestApi;
  readonly table: dynamodb.Table;
  readonly authorizer: apigateway.TokenAuthorizer;
  readonly authorizerFunction: JwtAuthorizerFunction;
  readonly healthFunction: ServiceFunction;
  /** The function of each route, by {@link CatalogRoute.id}. */
  readonly functions: Readonly<Record<string, ServiceFunction>>;
  readonly usagePlans: Readonly<Record<UsagePlanTier, apigateway.UsagePlan>>;
  readonly apiKeys: Readonly<Record<UsagePlanTier, apigateway.ApiKey>>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, auth } = props;
    const catalog = config.catalog;

    // pk = PRODUCT#<id>, sk = PRODUCT (see apps/rest-api README).
    this.table = serviceTable(this, 'ProductsTable', config);
    // gsi1pk = CATEGORY#<category>, gsi1sk = <lower-cased name>\u001f<id>: a category sorted by name.
    this.table.addGlobalSecondaryIndex({
      indexName: CATEGORY_INDEX,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.healthFunction = new ServiceFunction(this, 'HealthFunction', {
      config,
      bundle: bundle('apps/rest-api', 'health'),
      serviceName: CATALOG_SERVICE,
      description: `catalog: GET /health (${config.stageName})`,
      environment: corsEnvironment(config),
    });

    const functions: Record<string, ServiceFunction> = {};
    for (const route of CATALOG_ROUTES) {
      functions[route.id] = new ServiceFunction(this, `${route.id}Function`, {
        config,
        bundle: bundle('apps/rest-api', route.handler),
        serviceName: CATALOG_SERVICE,
        description: `catalog: ${route.method} ${route.path} (${config.stageName})`,
        environment: corsEnvironment(config),
      }).bindTable(this.table, route.tableAccess);
    }
    this.functions = functions;
    const fn = (routeId: string): ServiceFunction => {
      const found = functions[routeId];
      if (!found) throw new Error(`no catalog route ${routeId}`);
      return found;
    };

    // ---- the API and its stage -------------------------------------------------------------------
    // Method settings are keyed `<resource path>/<HTTP method>`; CloudFormation receives the path with
    // `/` encoded as `~1` (`/~1products~1{id}`). Caching is off for the whole stage (`/*/*`) and turned
    // on only for the two public reads: a new method is never cached by accident.
    const readSettings = (ttl: Duration): apigateway.MethodDeploymentOptions => ({
      cachingEnabled: true,
      cacheTtl: ttl,
      cacheDataEncrypted: true,
      // A per-method setting replaces the stage's: repeat its throttle rather than leave it undefined.
      throttlingRateLimit: config.throttle.rateLimit,
      throttlingBurstLimit: config.throttle.burstLimit,
    });
    const writeSettings: apigateway.MethodDeploymentOptions = {
      cachingEnabled: false,
      throttlingRateLimit: catalog.writeThrottle.rateLimit,
      throttlingBurstLimit: catalog.writeThrottle.burstLimit,
    };
    const methodOptions: Record<string, apigateway.MethodDeploymentOptions> = {};
    for (const route of CATALOG_ROUTES) {
      methodOptions[`${route.path}/${route.method}`] =
        route.access === 'public-read' && route.cacheTtl
          ? readSettings(catalog.cache[route.cacheTtl])
          : writeSettings;
    }

    const accessLog = new ApiAccessLog(this, 'AccessLog', { config });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${config.stageName}-catalog`,
      description: `Product catalog (${config.stageName})`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-wide role API Gateway writes REST (and WebSocket) logs with (AWS::ApiGateway::Account).
      // One setting per account and region, shared by every stage deployed there: retained, so deleting
      // one stage never stops another's logs.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      apiKeySourceType: apigateway.ApiKeySourceType.HEADER,
      deployOptions: {
        stageName: config.stageName,
        ...accessLog.forRestApi(),
        tracingEnabled: true,
        throttlingRateLimit: config.throttle.rateLimit,
        throttlingBurstLimit: config.throttle.burstLimit,
        cacheClusterEnabled: true,
        cacheClusterSize: catalog.cache.clusterSize,
        cachingEnabled: false,
        methodOptions,
      },
    });

    // ---- the TOKEN authorizer of the writes --------------------------------------------------------
    // Verifies Cognito access tokens of the web client (users) and the machine client; the write rule
    // (catalog/write scope OR admins group) is checked by the functions, which get scope and groups in
    // the authorizer context. Its Allow covers the whole stage, so the cached result fits every method.
    this.authorizerFunction = new JwtAuthorizerFunction(this, 'WriteAuthorizerFunction', {
      kind: 'token-authorizer',
      config,
      serviceName: CATALOG_SERVICE,
      userPool: auth.userPool,
      clients: [auth.webClient, auth.machineClient],
      tokenUse: 'access',
    });
    this.authorizer = new apigateway.TokenAuthorizer(this, 'TokenAuthorizer', {
      authorizerName: 'cognito-token',
      handler: this.authorizerFunction.function,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      validationRegex: BEARER_TOKEN_PATTERN,
      resultsCacheTtl: catalog.authorizerCacheTtl,
    });

    // ---- validation: validators and models --------------------------------------------------------
    const paramsValidator = this.api.addRequestValidator('ParamsValidator', {
      requestValidatorName: 'params',
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const bodyValidator = this.api.addRequestValidator('BodyAndParamsValidator', {
      requestValidatorName: 'body-and-params',
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const createModel = this.api.addModel('ProductCreateModel', {
      modelName: 'ProductCreate',
      contentType: 'application/json',
      schema: PRODUCT_CREATE_SCHEMA,
    });
    const patchModel = this.api.addModel('ProductPatchModel', {
      modelName: 'ProductPatch',
      contentType: 'application/json',
      schema: PRODUCT_PATCH_SCHEMA,
    });

    // ---- resources and methods ---------------------------------------------------------------------
    const lambda = (target: ServiceFunction, cacheKeyParameters?: string[]) =>
      new apigateway.LambdaIntegration(target.function, {
        allowTestInvoke: false,
        ...(cacheKeyParameters ? { cacheKeyParameters } : {}),
      });

    this.api.root.addResource('health').addMethod('GET', lambda(this.healthFunction));

    const products = this.api.root.addResource('products');
    const product = products.addResource('{id}');

    // Preflights: MOCK methods answered by API Gateway itself, no authorizer, no API key (a browser's
    // OPTIONS carries neither). The functions add CORS headers to their own answers.
    const preflight: Omit<apigateway.CorsOptions, 'allowMethods'> = {
      allowOrigins: [...config.corsAllowedOrigins],
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Api-Key'],
      maxAge: Duration.hours(1),
    };
    products.addCorsPreflight({ ...preflight, allowMethods: ['GET', 'POST'] });
    product.addCorsPreflight({ ...preflight, allowMethods: ['GET', 'PATCH', 'DELETE'] });

    // Cache keys: every request input a cached answer depends on. With several allowed origins the
    // functions echo the caller's Origin in Access-Control-Allow-Origin, so Origin joins the key;
    // otherwise an answer cached for one site would be served, unreadable, to another.
    const ORIGIN = 'method.request.header.Origin';
    const originVaries = config.corsAllowedOrigins.length > 1;
    const cachedRead = (required: Record<string, boolean>) => ({
      requestParameters: { ...required, ...(originVaries ? { [ORIGIN]: false } : {}) },
      cacheKeyParameters: [...Object.keys(required), ...(originVaries ? [ORIGIN] : [])],
    });

    const list = cachedRead({
      'method.request.querystring.category': true,
      'method.request.querystring.limit': false,
      'method.request.querystring.cursor': false,
    });
    products.addMethod('GET', lambda(fn('ListProducts'), list.cacheKeyParameters), {
      apiKeyRequired: true,
      requestParameters: list.requestParameters,
      requestValidator: paramsValidator, // no category → 400 at the gateway
    });

    const one = cachedRead({ 'method.request.path.id': true });
    product.addMethod('GET', lambda(fn('GetProduct'), one.cacheKeyParameters), {
      apiKeyRequired: true,
      requestParameters: one.requestParameters,
    });

    const write: apigateway.MethodOptions = {
      authorizer: this.authorizer,
      authorizationType: apigateway.AuthorizationType.CUSTOM,
    };
    products.addMethod('POST', lambda(fn('CreateProduct')), {
      ...write,
      requestValidator: bodyValidator,
      requestModels: { 'application/json': createModel },
    });
    product.addMethod('PATCH', lambda(fn('UpdateProduct')), {
      ...write,
      requestParameters: { 'method.request.path.id': true },
      requestValidator: bodyValidator,
      requestModels: { 'application/json': patchModel },
    });
    product.addMethod('DELETE', lambda(fn('DeleteProduct')), {
      ...write,
      requestParameters: { 'method.request.path.id': true },
    });

    // ---- gateway responses ---------------------------------------------------------------------------
    // Errors API Gateway answers itself (401 from the authorizer, 403 missing key, 400 validation, 429,
    // 5xx) never reach a function, so they need their CORS header here or browsers report a CORS error
    // instead of the status. A gateway response header is static: it carries the first configured
    // origin (the web app). Other configured origins still get CORS on every function answer.
    // The body template is API Gateway's default, `{"message":…}`, so clients see the usual shape. One
    // visible effect: a type without a response of its own falls back to these, so ACCESS_DENIED's 403
    // also reads `message`, where AWS's built-in answer spells it `Message`.
    const corsOrigin = config.corsAllowedOrigins[0];
    if (corsOrigin !== undefined) {
      for (const [responseId, type] of [
        ['Default4xx', apigateway.ResponseType.DEFAULT_4XX],
        ['Default5xx', apigateway.ResponseType.DEFAULT_5XX],
      ] as const) {
        this.api.addGatewayResponse(responseId, {
          type,
          responseHeaders: { 'Access-Control-Allow-Origin': `'${corsOrigin}'` },
          templates: { 'application/json': '{"message":$context.error.messageString}' },
        });
      }
    }

    // ---- usage plans and API keys ------------------------------------------------------------------
    // One plan and one key per tier. The key values are generated by API Gateway (never in the
    // template); read one with `aws apigateway get-api-key --api-key <id> --include-value`.
    const usagePlans = {} as Record<UsagePlanTier, apigateway.UsagePlan>;
    const apiKeys = {} as Record<UsagePlanTier, apigateway.ApiKey>;
    for (const tier of USAGE_PLAN_TIERS) {
      const settings = catalog.usagePlans[tier];
      const Tier = PASCAL_TIER[tier];
      const plan = this.api.addUsagePlan(`${Tier}UsagePlan`, {
        name: `${config.stageName}-catalog-${tier}`,
        description: `Catalog ${tier} tier (${config.stageName}): ${settings.throttle.rateLimit} req/s, ${settings.quota.limit} per ${settings.quota.period}`,
        throttle: { rateLimit: settings.throttle.rateLimit, burstLimit: settings.throttle.burstLimit },
        quota: { limit: settings.quota.limit, period: apigateway.Period[settings.quota.period] },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      // No name: CloudFormation then generates one and can replace the key when it must.
      const key = new apigateway.ApiKey(this, `${Tier}ApiKey`, {
        description: `Catalog ${tier} tier (${config.stageName})`,
        enabled: true,
      });
      plan.addApiKey(key);
      usagePlans[tier] = plan;
      apiKeys[tier] = key;
      new CfnOutput(this, `${Tier}ApiKeyId`, { value: key.keyId });
      new CfnOutput(this, `${Tier}UsagePlanId`, { value: plan.usagePlanId });
    }
    this.usagePlans = usagePlans;
    this.apiKeys = apiKeys;

    apiServerErrorsAlarm(
      this,
      'ServerErrorsAlarm',
      config,
      this.api.deploymentStage.metricServerError(),
      'catalog REST API answered with 5xx',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'ProductsTableName', { value: this.table.tableName });
  }
}
