import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoIssuer, makeFakeBundleRoot, removeDir, testApp } from '../../../test/helpers/cdk';
import { stageConfigs } from '../../config/stages';
import { JwtAuthorizerFunction, type JwtAuthorizerFunctionProps } from './jwt-authorizer-function';

const { dev } = stageConfigs;
let bundleRoot: string;
beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
});
afterAll(() => removeDir(bundleRoot));

/** A pool in one stack and the authorizer in another, as in the real app. */
function setup(props: Partial<JwtAuthorizerFunctionProps> = {}) {
  const app = testApp(bundleRoot);
  const authStack = new Stack(app, 'Auth');
  const userPool = new cognito.UserPool(authStack, 'Pool');
  const web = userPool.addClient('Web');
  const other = userPool.addClient('Other');
  const stack = new Stack(app, 'Service');
  const create = () =>
    new JwtAuthorizerFunction(stack, 'Authorizer', {
      kind: 'request-authorizer',
      config: dev,
      serviceName: 'chat',
      userPool,
      clients: [web, other],
      ...props,
    });
  return { stack, create };
}

describe('JwtAuthorizerFunction', () => {
  it('deploys the chosen authorizer bundle with the JWT environment, issuer derived from the pool', () => {
    const { stack, create } = setup({
      requiredScopes: ['notes/export'],
      requiredGroups: ['admins', 'editors'],
      queryParameter: 'token',
    });
    create();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 5,
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          JWT_ISSUER: cognitoIssuer({ 'Fn::ImportValue': Match.anyValue() }),
          JWT_AUDIENCE: {
            'Fn::Join': [
              '',
              [{ 'Fn::ImportValue': Match.anyValue() }, ',', { 'Fn::ImportValue': Match.anyValue() }],
            ],
          },
          JWT_TOKEN_USE: 'access',
          JWT_REQUIRED_SCOPES: 'notes/export',
          JWT_REQUIRED_GROUPS: 'admins,editors',
          JWT_QUERY_PARAMETER: 'token',
          POWERTOOLS_SERVICE_NAME: 'chat',
        }),
      },
    });
  });

  it('leaves optional variables unset', () => {
    const { stack, create } = setup({ kind: 'token-authorizer', tokenUse: 'id' });
    create();
    const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
    const vars = fn?.Properties.Environment.Variables as Record<string, unknown>;
    expect(vars.JWT_TOKEN_USE).toBe('id');
    expect(Object.keys(vars)).not.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^JWT_(REQUIRED_SCOPES|REQUIRED_GROUPS|QUERY_PARAMETER|JWKS_URI)$/),
      ]),
    );
  });

  it('rejects a query parameter on the TOKEN authorizer', () => {
    expect(setup({ kind: 'token-authorizer', queryParameter: 'token' }).create).toThrow(
      /TOKEN authorizer cannot read a query parameter/,
    );
    expect(setup({ kind: 'request-authorizer', queryParameter: 'access_token' }).create).not.toThrow();
  });

  it('rejects an empty client list and list values that would break the comma-separated format', () => {
    expect(setup({ clients: [] }).create).toThrow(/at least one app client/);
    expect(setup({ requiredGroups: ['a,b'] }).create).toThrow(/not a valid scope or group name/);
  });
});
