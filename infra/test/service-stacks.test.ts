import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfigs } from '../lib/config/stages';
import {
  buildStages,
  bundleOf,
  cognitoIssuer,
  makeFakeBundleRoot,
  outdirOf,
  removeDir,
  resourcesOfType,
  stageTemplates,
  variablesOf,
} from './helpers/cdk';

let bundleRoot: string;
let t: Record<string, Template>;
let outdir: string;

beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
  const [dev] = buildStages(bundleRoot, [stageConfigs.dev]);
  if (!dev) throw new Error('no stage');
  t = stageTemplates(dev);
  outdir = outdirOf(dev);
});
afterAll(() => removeDir(bundleRoot));

const template = (id: string): Template => {
  const found = t[id];
  if (!found) throw new Error(`no template ${id}`);
  return found;
};

/** Which bundle each function of a stack deploys. */
function deployedBundles(id: string): string[] {
  const fns = resourcesOfType(template(id), 'AWS::Lambda::Function');
  return Object.keys(fns).map((fnId) => bundleOf(template(id), fnId, outdir));
}

// The catalog in depth (caching, keys, authorizer, models): rest-api-stack.test.ts.
describe('rest-api stack (catalog)', () => {
  it('a regional REST API with GET /health proxied to the health function', () => {
    const rest = template('rest-api');
    rest.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'dev-catalog',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    rest.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'health' });
    rest.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
    });
    rest.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev', TracingEnabled: true });
    // One account-wide CloudWatch role setting, for the access log (rest-api-stack.test.ts checks it).
    rest.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('the functions send CORS headers themselves, for the configured origins', () => {
    template('rest-api').hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CORS_ALLOWED_ORIGINS: 'http://localhost:5173,http://localhost:3000' }),
      },
    });
  });

  it('the catalog routes: public reads with an API key, writes behind the TOKEN authorizer', () => {
    const rest = template('rest-api');
    rest.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    rest.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'TOKEN' });
    rest.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      ApiKeyRequired: true,
    });
    rest.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'CUSTOM',
    });
    rest.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    rest.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    rest.resourceCountIs('AWS::DynamoDB::Table', 1);
  });
});

describe('http-api stack (notes)', () => {
  it('an HTTP API with GET /health (payload 2.0) on the auto-deployed $default stage with access logs', () => {
    const http = template('http-api');
    http.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'dev-notes', ProtocolType: 'HTTP' });
    http.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /health',
      AuthorizationType: 'NONE',
    });
    http.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    http.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"routeKey"') },
    });
  });

  it('CORS is answered by the gateway, so the function gets no CORS variable', () => {
    const http = template('http-api');
    http.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowHeaders: ['authorization', 'content-type', 'if-match'],
        ExposeHeaders: ['etag', 'location'],
      }),
    });
    for (const fnId of Object.keys(resourcesOfType(http, 'AWS::Lambda::Function'))) {
      expect(variablesOf(http, fnId)).not.toHaveProperty('CORS_ALLOWED_ORIGINS');
    }
  });
});

describe('websocket-chat stack (chat)', () => {
  it('$connect is guarded by the REQUEST authorizer reading the token query parameter', () => {
    const ws = template('websocket-chat');
    ws.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'dev-chat', ProtocolType: 'WEBSOCKET' });
    ws.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    ws.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: Match.stringLikeRegexp('ConnectAuthorizer') },
    });
  });

  it('$default answers the caller through a route response', () => {
    const ws = template('websocket-chat');
    ws.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      RouteResponseSelectionExpression: '$default',
    });
    ws.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', 1);
    ws.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'dev', AutoDeploy: true });
  });

  it('the authorizer trusts the shared user pool and web client, imported from the shared stack', () => {
    template('websocket-chat').hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          JWT_ISSUER: cognitoIssuer({ 'Fn::ImportValue': Match.stringLikeRegexp('^dev-shared:.*UserPool') }),
          JWT_AUDIENCE: { 'Fn::ImportValue': Match.stringLikeRegexp('^dev-shared:.*WebClient') },
          JWT_TOKEN_USE: 'access',
          JWT_QUERY_PARAMETER: 'token',
        }),
      },
    });
  });
});

describe('bundles', () => {
  it('each function deploys its own handler bundle', () => {
    expect(deployedBundles('rest-api').sort()).toEqual([
      'apps/rest-api/create-product',
      'apps/rest-api/delete-product',
      'apps/rest-api/get-product',
      'apps/rest-api/health',
      'apps/rest-api/list-products',
      'apps/rest-api/update-product',
      'packages/authorizers/token-authorizer',
    ]);
    expect(deployedBundles('http-api').sort()).toEqual([
      'apps/http-api/create-note',
      'apps/http-api/delete-note',
      'apps/http-api/export-notes',
      'apps/http-api/get-note',
      'apps/http-api/health',
      'apps/http-api/list-notes',
      'apps/http-api/update-note',
    ]);
    expect(deployedBundles('websocket-chat').sort()).toEqual([
      'apps/websocket-chat/health',
      'packages/authorizers/request-authorizer',
    ]);
  });
});
