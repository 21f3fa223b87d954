import { Aws, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config';
import { cognitoIssuer } from '../constructs/jwt-authorizer-function/jwt-authorizer-function';

/**
 * Resource servers and their scopes. Identifiers are literals, so a full scope name
 * (`<identifier>/<scope>`) is known at synth time and can be required by an authorizer in another stack
 * without a cross-stack reference.
 */
export const RESOURCE_SERVERS = {
  notes: {
    identifier: 'notes',
    name: 'Notes service',
    scopes: { export: 'Export notes (machine-to-machine)' },
  },
  catalog: {
    identifier: 'catalog',
    name: 'Catalog service',
    scopes: { write: 'Create, update and delete catalog products (machine-to-machine)' },
  },
} as const;

/** Full scope names as they appear in a client_credentials access token's `scope` claim. */
export const SCOPES = {
  notesExport: `${RESOURCE_SERVERS.notes.identifier}/export`,
  catalogWrite: `${RESOURCE_SERVERS.catalog.identifier}/write`,
} as const;

/** User-pool groups (the `cognito:groups` claim). */
export const GROUPS = {
  admins: 'admins',
} as const;

/** What service stacks receive from the shared stack. Passing these by props makes CDK export/import them. */
export interface SharedAuth {
  readonly userPool: cognito.IUserPool;
  /** Public client of the web app (no secret): users sign in, tokens carry `client_id` of this client. */
  readonly webClient: cognito.IUserPoolClient;
  /** Confidential client for machine-to-machine calls (client_credentials with resource-server scopes). */
  readonly machineClient: cognito.IUserPoolClient;
}

export interface SharedStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Identity shared by all services of a stage: a Cognito user pool (email sign-in, self sign-up), its
 * resource servers and scopes, a public web client, a machine-to-machine client, a Cognito prefix domain
 * for the OAuth endpoints, and user groups.
 */
export class SharedStack extends Stack {
  readonly auth: SharedAuth;
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly machineClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: SharedStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: false,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: config.auth.deletionProtection,
      removalPolicy: config.removalPolicy,
    });

    const notes = this.resourceServer('NotesResourceServer', RESOURCE_SERVERS.notes);
    const catalog = this.resourceServer('CatalogResourceServer', RESOURCE_SERVERS.catalog);

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true }, // + ALLOW_REFRESH_TOKEN_AUTH, always added
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        // Authorization code grant. A public client has no secret to protect the code exchange, so the
        // web app must use PKCE (code_challenge S256 on /oauth2/authorize, code_verifier on /oauth2/token).
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...config.auth.callbackUrls],
        logoutUrls: [...config.auth.logoutUrls],
      },
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      generateSecret: true,
      // No user sign-in through this client: only the (always present) refresh-token flow remains.
      authFlows: { userPassword: false, userSrp: false, custom: false, adminUserPassword: false },
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [
          cognito.OAuthScope.resourceServer(notes.server, notes.scopes.export),
          cognito.OAuthScope.resourceServer(catalog.server, catalog.scopes.write),
        ],
      },
    });

    // Prefix domains are global per region across all accounts: never a fixed literal.
    const domainPrefix =
      config.auth.domainPrefix ?? Fn.join('-', ['serverless-ref', config.stageName, Aws.ACCOUNT_ID]);
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });

    new cognito.UserPoolGroup(this, 'AdminsGroup', {
      userPool: this.userPool,
      groupName: GROUPS.admins,
      description: 'Administrators: may write the catalog and read any chat room',
      precedence: 0,
    });

    this.auth = { userPool: this.userPool, webClient: this.webClient, machineClient: this.machineClient };

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'Issuer', { value: cognitoIssuer(this, this.userPool) });
    new CfnOutput(this, 'WebClientId', { value: this.webClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.machineClient.userPoolClientId });
    new CfnOutput(this, 'OAuthBaseUrl', { value: this.domain.baseUrl() });
    new CfnOutput(this, 'TokenEndpoint', { value: `${this.domain.baseUrl()}/oauth2/token` });
  }

  private resourceServer<S extends Record<string, string>>(
    id: string,
    spec: { readonly identifier: string; readonly name: string; readonly scopes: S },
  ): { server: cognito.UserPoolResourceServer; scopes: Record<keyof S, cognito.ResourceServerScope> } {
    const scopes = Object.fromEntries(
      Object.entries(spec.scopes).map(([scopeName, scopeDescription]) => [
        scopeName,
        new cognito.ResourceServerScope({ scopeName, scopeDescription }),
      ]),
    ) as Record<keyof S, cognito.ResourceServerScope>;
    const server = this.userPool.addResourceServer(id, {
      identifier: spec.identifier,
      userPoolResourceServerName: spec.name,
      scopes: Object.values(scopes),
    });
    return { server, scopes };
  }
}
