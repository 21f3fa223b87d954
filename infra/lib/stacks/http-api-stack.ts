import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { apiServerErrorsAlarm } from '../alarms';
import { bundle, type HandlerName } from '../bundles';
import { ApiAccessLog } from '../constructs/api-access-log/api-access-log';
import { cognitoIssuer } from '../constructs/jwt-authorizer-function/jwt-authorizer-function';
import { ServiceFunction, type TableAccess } from '../constructs/service-function/service-function';
import { type ServiceStackProps, serviceTable } from './service-stack';
import { SCOPES } from './shared-stack';

/** Powertools service name of the notes functions. */
export const NOTES_SERVICE = 'notes';

/**
 * Scopes that let a **user's** access token call the notes routes (any one of them suffices: API
 * Gateway requires the token's `scope` to contain at least one of a route's scopes).
 *
 * - `aws.cognito.signin.user.admin` — the *only* scope of an access token from InitiateAuth
 *   (USER_PASSWORD_AUTH, SRP, refresh). Without it, every password-flow token would get 403.
 * - `openid` — present in access tokens of the hosted-UI authorization-code flow (the web client's
 *   OAuth scopes are `openid email profile`).
 *
 * A client_credentials token can carry only resource-server scopes (`notes/export`…), never these, so
 * machine tokens are rejected on user routes. ID tokens have no `scope` claim and are rejected too.
 */
export const USER_ROUTE_SCOPES = ['aws.cognito.signin.user.admin', 'openid'] as const;

/** One notes route: its function, how that function may use the table, and the scopes it requires. */
export interface NotesRoute {
  /** Construct id prefix: `<id>Function`, `<id>Integration`. */
  readonly id: string;
  readonly method: apigwv2.HttpMethod;
  readonly path: string;
  readonly handler: HandlerName<'apps/http-api'>;
  readonly tableAccess: TableAccess;
  /** Any-of: the token's `scope` must contain at least one. */
  readonly scopes: readonly string[];
}

/** Every authorized route of the notes API. One function per route: least privilege per route. */
export const NOTES_ROUTES: readonly NotesRoute[] = [
  {
    id: 'CreateNote',
    method: apigwv2.HttpMethod.POST,
    path: '/notes',
    handler: 'create-note',
    tableAccess: 'readwrite',
    scopes: USER_ROUTE_SCOPES,
  },
  {
    id: 'ListNotes',
    method: apigwv2.HttpMethod.GET,
    path: '/notes',
    handler: 'list-notes',
    tableAccess: 'read',
    scopes: USER_ROUTE_SCOPES,
  },
  {
    id: 'GetNote',
    method: apigwv2.HttpMethod.GET,
    path: '/notes/{id}',
    handler: 'get-note',
    tableAccess: 'read',
    scopes: USER_ROUTE_SCOPES,
  },
  {
    id: 'UpdateNote',
    method: apigwv2.HttpMethod.PATCH,
    path: '/notes/{id}',
    handler: 'update-note',
    tableAccess: 'readwrite',
    scopes: USER_ROUTE_SCOPES,
  },
  {
    id: 'DeleteNote',
    method: apigwv2.HttpMethod.DELETE,
    path: '/notes/{id}',
    handler: 'delete-note',
    tableAccess: 'readwrite',
    scopes: USER_ROUTE_SCOPES,
  },
  {
    // Machine to machine: only the machine client's client_credentials tokens carry notes/export.
    id: 'ExportNotes',
    method: apigwv2.HttpMethod.GET,
    path: '/export/users/{userId}/notes',
    handler: 'export-notes',
    tableAccess: 'read',
    scopes: [SCOPES.notesExport],
  },
];

/**
 * Personal notes: an HTTP API (v2) on the `$default` stage with JSON access logs and gateway-managed
 * CORS; a DynamoDB table partitioned by the caller's Cognito `sub`; a Cognito JWT authorizer trusting
 * the shared user pool's web and machine clients. `GET /health` is public; every other route needs an
 * access token with the scopes in {@link NOTES_ROUTES}.
 */
export class HttpApiStack extends Stack {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly table: dynamodb.Table;
  readonly authorizer: HttpJwtAuthorizer;
  readonly healthFunction: ServiceFunction;
  /** The function of each route, by {@link NotesRoute.id}. */
  readonly functions: Readonly<Record<string, ServiceFunction>>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, auth } = props;

    // pk = USER#<sub>, sk = NOTE#<UUIDv7 note id> (see apps/http-api README).
    this.table = serviceTable(this, 'NotesTable', config);

    this.healthFunction = new ServiceFunction(this, 'HealthFunction', {
      config,
      bundle: bundle('apps/http-api', 'health'),
      serviceName: NOTES_SERVICE,
      description: `notes: GET /health (${config.stageName})`,
    });

    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `${config.stageName}-notes`,
      description: `Personal notes (${config.stageName})`,
      createDefaultStage: false,
      // HTTP APIs answer CORS (preflight and response headers) at the gateway; functions send none.
      // Preflights need no route: with explicit routes (no `$default`/ANY), OPTIONS never meets the authorizer.
      corsPreflight: {
        allowOrigins: [...config.corsAllowedOrigins],
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.POST,
          apigwv2.CorsHttpMethod.PATCH,
          apigwv2.CorsHttpMethod.DELETE,
        ],
        // if-match: optimistic concurrency on PATCH/DELETE.
        allowHeaders: ['authorization', 'content-type', 'if-match'],
        // Browsers hide response headers not listed here: the app needs ETag (for If-Match) and Location.
        exposeHeaders: ['etag', 'location'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLog = new ApiAccessLog(this, 'AccessLog', { config });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttle.rateLimit, burstLimit: config.throttle.burstLimit },
      accessLogSettings: accessLog.forHttpApi(),
    });

    this.api.addRoutes({
      path: '/health',
      methods: [apigwv2.HttpMethod.GET],
      integration: new HttpLambdaIntegration('HealthIntegration', this.healthFunction.function),
    });

    // API Gateway verifies signature (issuer's JWKS), iss, exp/nbf/iat, and aud — or client_id when the
    // token has no aud, as Cognito access tokens do — against these two clients; routes add scopes.
    this.authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', cognitoIssuer(this, auth.userPool), {
      authorizerName: 'cognito',
      identitySource: ['$request.header.Authorization'],
      jwtAudience: [auth.webClient.userPoolClientId, auth.machineClient.userPoolClientId],
    });

    const functions: Record<string, ServiceFunction> = {};
    for (const route of NOTES_ROUTES) {
      const fn = new ServiceFunction(this, `${route.id}Function`, {
        config,
        bundle: bundle('apps/http-api', route.handler),
        serviceName: NOTES_SERVICE,
        description: `notes: ${route.method} ${route.path} (${config.stageName})`,
      }).bindTable(this.table, route.tableAccess);
      this.api.addRoutes({
        path: route.path,
        methods: [route.method],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn.function),
        authorizer: this.authorizer,
        authorizationScopes: [...route.scopes],
      });
      functions[route.id] = fn;
    }
    this.functions = functions;

    apiServerErrorsAlarm(
      this,
      'ServerErrorsAlarm',
      config,
      this.stage.metricServerError(),
      'notes HTTP API answered with 5xx',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'NotesTableName', { value: this.table.tableName });
  }
}
