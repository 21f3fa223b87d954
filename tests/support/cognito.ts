/**
 * Users and tokens for the e2e suite, through the same Cognito API calls a real client makes.
 * Against the local cloud the SDK's `endpoint` points at the local identity provider; against AWS it
 * is the regional endpoint (and the admin calls need credentials with cognito-idp admin rights:
 * AdminConfirmSignUp, AdminAddUserToGroup, DescribeUserPoolClient).
 */
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { output, type Target } from './target';

export interface UserTokens {
  email: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

function client(target: Target): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: target.region,
    ...(target.cognitoEndpoint
      ? {
          endpoint: target.cognitoEndpoint,
          // The local identity provider does not check signatures, but the SDK signs every call.
          credentials: { accessKeyId: 'LOCALCLOUD', secretAccessKey: 'localcloudsecret' },
        }
      : {}),
  });
}

/**
 * A fresh, confirmed user signed in with USER_PASSWORD_AUTH: each test gets its own identity.
 * `groups` are added before the sign-in, so the access token's `cognito:groups` claim carries them.
 */
export async function newSignedInUser(
  target: Target,
  options: { groups?: readonly string[] } = {},
): Promise<UserTokens> {
  const cognito = client(target);
  const clientId = output(target, 'shared', 'WebClientId');
  const userPoolId = output(target, 'shared', 'UserPoolId');
  const email = `e2e-${randomUUID()}@example.com`;
  const password = `E2e-${randomUUID()}-Pw1!`;
  await cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }));
  for (const group of options.groups ?? []) {
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
    );
  }
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const result = auth.AuthenticationResult;
  if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) {
    throw new Error(`sign-in returned no tokens (challenge: ${auth.ChallengeName ?? 'none'})`);
  }
  return {
    email,
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken,
  };
}

/** A machine-to-machine access token (OAuth2 client_credentials) for the given resource-server scopes. */
export async function machineToken(target: Target, scopes: string[]): Promise<string> {
  const clientId = output(target, 'shared', 'MachineClientId');
  const described = await client(target).send(
    new DescribeUserPoolClientCommand({
      UserPoolId: output(target, 'shared', 'UserPoolId'),
      ClientId: clientId,
    }),
  );
  const secret = described.UserPoolClient?.ClientSecret;
  if (!secret) throw new Error(`machine client ${clientId} has no secret`);
  const response = await fetch(output(target, 'shared', 'TokenEndpoint'), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`client_credentials failed: ${response.status} ${body.error ?? ''}`);
  }
  return body.access_token;
}

/**
 * The same access token re-signed as if issued `ageSeconds` ago — an expired but otherwise genuine
 * token. Local cloud only: its identity provider offers `POST /_local/aged-token`; Cognito has no such
 * call (an expired token there takes waiting out the token's lifetime, at least 5 minutes).
 */
export async function agedAccessToken(
  target: Target,
  accessToken: string,
  ageSeconds: number,
): Promise<string> {
  if (!target.cognitoEndpoint) throw new Error('aged tokens need the local identity provider');
  const response = await fetch(new URL('/_local/aged-token', target.cognitoEndpoint), {
    method: 'POST',
    body: JSON.stringify({ token: accessToken, ageSeconds }),
  });
  const body = (await response.json()) as { token?: string; message?: string };
  if (!response.ok || !body.token)
    throw new Error(`aged-token failed: ${response.status} ${body.message ?? ''}`);
  return body.token;
}
