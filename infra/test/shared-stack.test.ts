import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfigs } from '../lib/config/stages';
import { GROUPS, RESOURCE_SERVERS, SCOPES } from '../lib/stacks/shared-stack';
import { buildStages, makeFakeBundleRoot, removeDir, resourcesOfType, stageTemplates } from './helpers/cdk';

let bundleRoot: string;
let shared: Template;

beforeAll(() => {
  bundleRoot = makeFakeBundleRoot();
  const [dev] = buildStages(bundleRoot, [stageConfigs.dev]);
  if (!dev) throw new Error('no stage');
  shared = stageTemplates(dev).shared as Template;
});
afterAll(() => removeDir(bundleRoot));

function clientByFlow(flow: string): Record<string, unknown> {
  const clients = Object.values(resourcesOfType(shared, 'AWS::Cognito::UserPoolClient'));
  const client = clients.find((c) =>
    (c.Properties?.AllowedOAuthFlows as string[] | undefined)?.includes(flow),
  );
  if (!client?.Properties) throw new Error(`no client with flow ${flow}`);
  return client.Properties;
}

describe('shared stack', () => {
  it('user pool: email sign-in, self sign-up, verified email', () => {
    shared.resourceCountIs('AWS::Cognito::UserPool', 1);
    shared.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameConfiguration: { CaseSensitive: false },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
    });
  });

  it('resource servers with their scopes', () => {
    shared.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 2);
    shared.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'notes',
      Scopes: [{ ScopeName: 'export', ScopeDescription: Match.anyValue() }],
    });
    shared.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'catalog',
      Scopes: [{ ScopeName: 'write', ScopeDescription: Match.anyValue() }],
    });
    expect(SCOPES).toEqual({ notesExport: 'notes/export', catalogWrite: 'catalog/write' });
    expect(Object.keys(RESOURCE_SERVERS)).toEqual(['notes', 'catalog']);
  });

  it('web client: public, password + SRP + refresh, code grant with OpenID scopes, localhost callback', () => {
    const web = clientByFlow('code');
    expect(web.GenerateSecret).toBe(false);
    expect(web.ExplicitAuthFlows).toEqual([
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    expect(web.AllowedOAuthFlows).toEqual(['code']);
    expect(web.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(web.CallbackURLs).toEqual(['http://localhost:5173/auth/callback']);
    expect(web.PreventUserExistenceErrors).toBe('ENABLED');
    expect(web.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('machine client: secret, client_credentials only, resource-server scopes, no user sign-in flows', () => {
    const machine = clientByFlow('client_credentials');
    expect(machine.GenerateSecret).toBe(true);
    expect(machine.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(machine.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(machine).not.toHaveProperty('CallbackURLs');
    shared.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [
        { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('NotesResourceServer') }, '/export']] },
        { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('CatalogResourceServer') }, '/write']] },
      ],
    });
  });

  it('a Cognito prefix domain and the admins group', () => {
    shared.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    shared.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: GROUPS.admins });
  });

  it('a configured domain prefix replaces the derived one', () => {
    const [stage] = buildStages(bundleRoot, [
      { ...stageConfigs.dev, auth: { ...stageConfigs.dev.auth, domainPrefix: 'my-notes-dev' } },
    ]);
    if (!stage) throw new Error('no stage');
    stageTemplates(stage).shared?.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'my-notes-dev',
    });
  });

  it('outputs what clients and end-to-end tests need', () => {
    const outputs = Object.keys(shared.toJSON().Outputs as object);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'UserPoolId',
        'Issuer',
        'WebClientId',
        'MachineClientId',
        'OAuthBaseUrl',
        'TokenEndpoint',
      ]),
    );
  });
});
