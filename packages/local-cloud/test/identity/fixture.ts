import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeJwt } from 'jose';
import type { UserPoolConfig } from '../../src/identity/index.js';

export const NOTES_POOL = 'us-east-1_NotesPool1';
export const OTHER_POOL = 'eu-west-1_OtherPool2';
/** Public web client: USER_PASSWORD_AUTH + refresh, no secret. */
export const WEB_CLIENT = 'webclient0000000000000001';
/** Confidential client with a secret (SECRET_HASH required) and client_credentials. */
export const SERVER_CLIENT = 'serverclient000000000000002';
export const SERVER_SECRET = 'serversecret0123456789abcdefghijklmnopqrstuvwxyz0123';
/** SRP-only client (Cognito's default flows): USER_PASSWORD_AUTH is not enabled. */
export const SRP_CLIENT = 'srpclient0000000000000003';
/** Hosted-UI client: authorization code + PKCE. */
export const HOSTED_CLIENT = 'hostedclient00000000000004';
export const OTHER_CLIENT = 'otherclient000000000000005';
export const CALLBACK = 'http://localhost:5173/callback';
export const LOGOUT = 'http://localhost:5173/signed-out';

export const notesPool: UserPoolConfig = {
  id: NOTES_POOL,
  name: 'notes-users',
  usernameAttributes: ['email'],
  autoVerifiedAttributes: ['email'],
  passwordPolicy: {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: false,
  },
  selfSignUpEnabled: true,
  clients: [
    {
      clientId: WEB_CLIENT,
      clientName: 'web',
      preventUserExistenceErrors: 'ENABLED',
      explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' },
    },
    {
      clientId: SERVER_CLIENT,
      clientName: 'export-job',
      preventUserExistenceErrors: 'ENABLED',
      clientSecret: SERVER_SECRET,
      explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      allowedOAuthFlows: ['client_credentials'],
      allowedOAuthScopes: ['notes/export', 'notes/stats'],
      allowedOAuthFlowsUserPoolClient: true,
      accessTokenValidity: 15,
      tokenValidityUnits: { accessToken: 'minutes' },
    },
    { clientId: SRP_CLIENT, clientName: 'srp-only' },
    {
      clientId: HOSTED_CLIENT,
      clientName: 'hosted',
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      allowedOAuthFlows: ['code'],
      allowedOAuthScopes: ['openid', 'email', 'profile'],
      allowedOAuthFlowsUserPoolClient: true,
      callbackUrls: [CALLBACK],
      logoutUrls: [LOGOUT],
    },
  ],
  resourceServers: [
    {
      identifier: 'notes',
      name: 'Notes API',
      scopes: [
        { name: 'export', description: 'Export all notes' },
        { name: 'stats', description: 'Read statistics' },
        { name: 'admin', description: 'Not granted to any client' },
      ],
    },
  ],
  groups: [
    { name: 'admins', precedence: 1 },
    { name: 'editors', precedence: 5 },
  ],
  domain: 'notes-dev',
};

export const otherPool: UserPoolConfig = {
  id: OTHER_POOL,
  name: 'other',
  aliasAttributes: ['email'],
  clients: [
    {
      clientId: OTHER_CLIENT,
      explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'LEGACY',
    },
  ],
};

export function sdkClient(url: string, region = 'us-east-1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region,
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** `InitiateAuth` with `USER_PASSWORD_AUTH`, as an app signs a user in; `extra` adds auth parameters. */
export function passwordSignIn(
  cognito: CognitoIdentityProviderClient,
  username: string,
  password: string,
  clientId = WEB_CLIENT,
  extra: Record<string, string> = {},
) {
  return cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, ...extra },
    }),
  );
}

/** aws-jwt-verify's default fetcher refuses http: URLs; this one uses fetch. */
export const fetchJwks = () =>
  new SimpleJwksCache({
    fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
  });

export function verifier(
  issuer: string,
  jwksUri: string,
  tokenUse: 'id' | 'access',
  audience: string | null,
) {
  return JwtRsaVerifier.create(
    {
      issuer,
      jwksUri,
      audience,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== tokenUse) throw new Error(`expected a ${tokenUse} token`);
      },
    },
    { jwksCache: fetchJwks() },
  );
}

export const claimKeys = (token: string) => Object.keys(decodeJwt(token)).sort();

/** Catches the rejection of a promise, for asserting on `name` / `message`. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
