import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { type IdentityProvider, secretHash, startIdentityProvider } from '../../src/identity/index.js';
import type { RunningService } from '../../src/service.js';
import {
  claimKeys,
  failure,
  NOTES_POOL,
  notesPool,
  OTHER_CLIENT,
  OTHER_POOL,
  otherPool,
  passwordSignIn,
  SERVER_CLIENT,
  SERVER_SECRET,
  SRP_CLIENT,
  sdkClient,
  verifier,
  WEB_CLIENT,
} from './fixture.js';

const ACCESS_CLAIMS = [
  'auth_time',
  'client_id',
  'event_id',
  'exp',
  'iat',
  'iss',
  'jti',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
];
const ID_CLAIMS = [
  'aud',
  'auth_time',
  'cognito:username',
  'email',
  'email_verified',
  'event_id',
  'exp',
  'iat',
  'iss',
  'jti',
  'origin_jti',
  'sub',
  'token_use',
];

let idp: IdentityProvider & RunningService;
let cognito: CognitoIdentityProviderClient;
const logs: string[] = [];

beforeAll(async () => {
  idp = await startIdentityProvider({
    pools: [notesPool, otherPool],
    seedUsers: [
      { poolId: NOTES_POOL, username: 'alice@example.com', password: 'Alice-Passw0rd', groups: ['editors'] },
      { poolId: OTHER_POOL, username: 'bob', password: 'Bob-Passw0rd!', email: 'bob@example.com' },
    ],
    clock: new ManualClock(Date.now()),
    log: (line) => logs.push(line),
  });
  cognito = sdkClient(idp.url);
});

afterAll(async () => {
  cognito?.destroy();
  await idp?.close();
});

const signIn = (
  username: string,
  password: string,
  clientId = WEB_CLIENT,
  extra: Record<string, string> = {},
) => passwordSignIn(cognito, username, password, clientId, extra);

async function signUpConfirmed(email: string, password = 'Str0ngPassword') {
  const signUp = await cognito.send(
    new SignUpCommand({ ClientId: WEB_CLIENT, Username: email, Password: password }),
  );
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: NOTES_POOL, Username: email }));
  return signUp.UserSub as string;
}

describe('sign-up and sign-in with the real SDK', () => {
  it('SignUp → ConfirmSignUp (code from /_local/codes) → InitiateAuth gives Cognito-shaped tokens', async () => {
    const signUp = await cognito.send(
      new SignUpCommand({
        ClientId: WEB_CLIENT,
        Username: 'carol@example.com',
        Password: 'Str0ngPassword',
        UserAttributes: [{ Name: 'name', Value: 'Carol' }],
      }),
    );
    expect(signUp.UserConfirmed).toBe(false);
    expect(signUp.UserSub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(signUp.CodeDeliveryDetails).toEqual({
      Destination: 'c***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });

    const codeResponse = await fetch(`${idp.url}/_local/codes/${NOTES_POOL}/carol@example.com`);
    expect(codeResponse.status).toBe(200);
    const { code, purpose } = (await codeResponse.json()) as { code: string; purpose: string };
    expect(purpose).toBe('SIGN_UP');
    expect(code).toMatch(/^\d{6}$/);
    expect(idp.lastCodeFor(NOTES_POOL, 'carol@example.com')?.code).toBe(code);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: WEB_CLIENT,
        Username: 'carol@example.com',
        ConfirmationCode: code,
      }),
    );

    const auth = await signIn('carol@example.com', 'Str0ngPassword');
    const result = auth.AuthenticationResult;
    expect(result?.TokenType).toBe('Bearer');
    expect(result?.ExpiresIn).toBe(3600);
    expect(result?.RefreshToken).toEqual(expect.any(String));
    const accessToken = result?.AccessToken as string;
    const idToken = result?.IdToken as string;

    const issuer = idp.issuerFor(NOTES_POOL);
    expect(issuer).toBe(`${idp.url}/${NOTES_POOL}`);
    const access = await verifier(issuer, idp.jwksUriFor(NOTES_POOL), 'access', null).verify(accessToken);
    const id = await verifier(issuer, idp.jwksUriFor(NOTES_POOL), 'id', WEB_CLIENT).verify(idToken);

    expect(claimKeys(accessToken)).toEqual(ACCESS_CLAIMS);
    expect(claimKeys(idToken)).toEqual([...ID_CLAIMS, 'name'].sort());
    // Email as username: the username is a UUID equal to sub.
    expect(access).toMatchObject({
      sub: signUp.UserSub,
      username: signUp.UserSub,
      client_id: WEB_CLIENT,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      iss: issuer,
    });
    expect(Number(access.exp) - Number(access.iat)).toBe(3600);
    expect(id).toMatchObject({
      sub: signUp.UserSub,
      'cognito:username': signUp.UserSub,
      aud: WEB_CLIENT,
      email: 'carol@example.com',
      email_verified: true,
      name: 'Carol',
      token_use: 'id',
    });
    expect(id.origin_jti).toBe(access.origin_jti);
    expect(id.event_id).toBe(access.event_id);
    expect(id.auth_time).toBe(access.auth_time);
    expect(id.jti).not.toBe(access.jti);
  });

  it('accepts the documented master code 000000 for ConfirmSignUp', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'dan@example.com', Password: 'Str0ngPassword' }),
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: WEB_CLIENT,
        Username: 'dan@example.com',
        ConfirmationCode: '000000',
      }),
    );
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: NOTES_POOL, Username: 'dan@example.com' }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('wrong password and unknown user are both NotAuthorizedException "Incorrect username or password."', async () => {
    const wrong = await failure(signIn('alice@example.com', 'Not-Her-Passw0rd'));
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe('Incorrect username or password.');
    expect(wrong.$metadata?.httpStatusCode).toBe(400);
    const unknown = await failure(signIn('nobody@example.com', 'Whatever-Passw0rd'));
    expect(unknown.name).toBe('NotAuthorizedException');
    expect(unknown.message).toBe('Incorrect username or password.');
  });

  it('answers errors in the awsJson1_1 wire format', async () => {
    const response = await fetch(idp.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: WEB_CLIENT,
        AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: 'nope' },
      }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:');
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('rejects an unconfirmed user with UserNotConfirmedException (only with the right password)', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'erin@example.com', Password: 'Str0ngPassword' }),
    );
    expect((await failure(signIn('erin@example.com', 'Str0ngPassword'))).name).toBe(
      'UserNotConfirmedException',
    );
    expect((await failure(signIn('erin@example.com', 'Wr0ngPassword'))).name).toBe('NotAuthorizedException');
  });

  it('rejects a duplicate sign-up with UsernameExistsException', async () => {
    const error = await failure(
      cognito.send(
        new SignUpCommand({
          ClientId: WEB_CLIENT,
          Username: 'alice@example.com',
          Password: 'Str0ngPassword',
        }),
      ),
    );
    expect(error.name).toBe('UsernameExistsException');
    expect(error.message).toBe('An account with the given email already exists.');
  });

  it('enforces the password policy with InvalidPasswordException', async () => {
    const short = await failure(
      cognito.send(
        new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'weak@example.com', Password: 'Sh0rt' }),
      ),
    );
    expect(short.name).toBe('InvalidPasswordException');
    expect(short.message).toBe('Password did not conform with policy: Password not long enough');
    const noDigit = await failure(
      cognito.send(
        new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'weak@example.com', Password: 'NoDigitsHere' }),
      ),
    );
    expect(noDigit.name).toBe('InvalidPasswordException');
    expect(noDigit.message).toBe(
      'Password did not conform with policy: Password must have numeric characters',
    );
  });

  it('rejects a non-email username in an email-as-username pool', async () => {
    const error = await failure(
      cognito.send(
        new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'frank', Password: 'Str0ngPassword' }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('rejects a wrong confirmation code with CodeMismatchException, a second confirmation with NotAuthorized', async () => {
    await cognito.send(
      new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'gina@example.com', Password: 'Str0ngPassword' }),
    );
    const mismatch = await failure(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: WEB_CLIENT,
          Username: 'gina@example.com',
          ConfirmationCode: '12345',
        }),
      ),
    );
    expect(mismatch.name).toBe('CodeMismatchException');
    const code = idp.lastCodeFor(NOTES_POOL, 'gina@example.com')?.code as string;
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: WEB_CLIENT,
        Username: 'gina@example.com',
        ConfirmationCode: code,
      }),
    );
    const again = await failure(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: WEB_CLIENT,
          Username: 'gina@example.com',
          ConfirmationCode: code,
        }),
      ),
    );
    expect(again.name).toBe('NotAuthorizedException');
    expect(again.message).toBe('User cannot be confirmed. Current status is CONFIRMED');
  });

  it('requires SECRET_HASH for a client with a secret', async () => {
    const missing = await failure(signIn('alice@example.com', 'Alice-Passw0rd', SERVER_CLIENT));
    expect(missing.name).toBe('NotAuthorizedException');
    expect(missing.message).toBe(`Unable to verify secret hash for client ${SERVER_CLIENT}`);
    const wrong = await failure(
      signIn('alice@example.com', 'Alice-Passw0rd', SERVER_CLIENT, {
        SECRET_HASH: secretHash('alice@example.com', SERVER_CLIENT, 'not-the-secret'),
      }),
    );
    expect(wrong.name).toBe('NotAuthorizedException');
    const ok = await signIn('alice@example.com', 'Alice-Passw0rd', SERVER_CLIENT, {
      SECRET_HASH: secretHash('alice@example.com', SERVER_CLIENT, SERVER_SECRET),
    });
    expect(decodeJwt(ok.AuthenticationResult?.AccessToken as string).client_id).toBe(SERVER_CLIENT);

    // SignUp through a secret client needs SecretHash too.
    const signUp = await failure(
      cognito.send(
        new SignUpCommand({
          ClientId: SERVER_CLIENT,
          Username: 'hank@example.com',
          Password: 'Str0ngPassword',
        }),
      ),
    );
    expect(signUp.name).toBe('NotAuthorizedException');
  });

  it('rejects USER_PASSWORD_AUTH when the client does not allow it', async () => {
    const error = await failure(signIn('alice@example.com', 'Alice-Passw0rd', SRP_CLIENT));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
  });

  it('answers ResourceNotFoundException for an unknown client or pool', async () => {
    expect((await failure(signIn('alice@example.com', 'Alice-Passw0rd', 'nosuchclient'))).name).toBe(
      'ResourceNotFoundException',
    );
    const pool = await failure(
      cognito.send(
        new AdminGetUserCommand({ UserPoolId: 'us-east-1_Missing', Username: 'alice@example.com' }),
      ),
    );
    expect(pool.name).toBe('ResourceNotFoundException');
    expect(pool.message).toBe('User pool us-east-1_Missing does not exist.');
  });

  it('signs in seeded users (confirmed, verified, grouped) and lists them for the start-up table', async () => {
    const auth = await signIn('alice@example.com', 'Alice-Passw0rd');
    const id = decodeJwt(auth.AuthenticationResult?.IdToken as string);
    expect(id['cognito:groups']).toEqual(['editors']);
    expect(id.email_verified).toBe(true);
    const demo = idp.demoUsers();
    expect(demo).toHaveLength(2);
    expect(demo[0]).toMatchObject({
      poolId: NOTES_POOL,
      signInName: 'alice@example.com',
      groups: ['editors'],
    });
    expect(demo[0]?.username).toBe(demo[0]?.sub);
    expect(id.sub).toBe(demo[0]?.sub);
  });

  it('signs in with a username or a verified email alias in an alias pool', async () => {
    const other = sdkClient(idp.url, 'eu-west-1');
    try {
      const byName = await passwordSignIn(other, 'bob', 'Bob-Passw0rd!', OTHER_CLIENT);
      const byEmail = await passwordSignIn(other, 'bob@example.com', 'Bob-Passw0rd!', OTHER_CLIENT);
      for (const auth of [byName, byEmail]) {
        const access = decodeJwt(auth.AuthenticationResult?.AccessToken as string);
        const id = decodeJwt(auth.AuthenticationResult?.IdToken as string);
        expect(access.username).toBe('bob');
        expect(id['cognito:username']).toBe('bob');
        expect(access.iss).toBe(idp.issuerFor(OTHER_POOL));
      }
    } finally {
      other.destroy();
    }
  });
});

describe('admin operations', () => {
  it('AdminCreateUser + AdminSetUserPassword(Permanent) + groups → cognito:groups by precedence', async () => {
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: NOTES_POOL,
        Username: 'ivy@example.com',
        TemporaryPassword: 'Temp-Passw0rd',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(created.User?.Enabled).toBe(true);
    expect(created.User?.UserCreateDate).toBeInstanceOf(Date);
    expect(created.User?.Attributes).toContainEqual({ Name: 'email', Value: 'ivy@example.com' });

    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: NOTES_POOL,
        Username: 'ivy@example.com',
        Password: 'Perm-Passw0rd',
        Permanent: true,
      }),
    );
    for (const group of ['editors', 'admins']) {
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: NOTES_POOL,
          Username: 'ivy@example.com',
          GroupName: group,
        }),
      );
    }
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: NOTES_POOL, Username: 'ivy@example.com' }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.Username).toBe(created.User?.Username);
    const groups = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: NOTES_POOL, Username: 'ivy@example.com' }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admins', 'editors']);

    const auth = await signIn('ivy@example.com', 'Perm-Passw0rd');
    const accessToken = auth.AuthenticationResult?.AccessToken as string;
    const idToken = auth.AuthenticationResult?.IdToken as string;
    expect(decodeJwt(accessToken)['cognito:groups']).toEqual(['admins', 'editors']);
    expect(decodeJwt(idToken)['cognito:groups']).toEqual(['admins', 'editors']);
    expect(claimKeys(accessToken)).toEqual([...ACCESS_CLAIMS, 'cognito:groups'].sort());
    expect(claimKeys(idToken)).toEqual([...ID_CLAIMS, 'cognito:groups'].sort());
  });

  it('AdminCreateUser with a temporary password → NEW_PASSWORD_REQUIRED → RespondToAuthChallenge', async () => {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: NOTES_POOL,
        Username: 'jack@example.com',
        TemporaryPassword: 'Temp-Passw0rd',
        MessageAction: 'SUPPRESS',
      }),
    );
    const challenge = await signIn('jack@example.com', 'Temp-Passw0rd');
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.Session).toEqual(expect.any(String));
    const weak = await failure(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: WEB_CLIENT,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: 'jack@example.com', NEW_PASSWORD: 'weak' },
        }),
      ),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    const done = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: WEB_CLIENT,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: {
          USERNAME: 'jack@example.com',
          NEW_PASSWORD: 'New-Passw0rd',
          'userAttributes.name': 'Jack',
        },
      }),
    );
    expect(decodeJwt(done.AuthenticationResult?.IdToken as string).name).toBe('Jack');
    expect((await signIn('jack@example.com', 'New-Passw0rd')).AuthenticationResult?.AccessToken).toEqual(
      expect.any(String),
    );
  });

  it('answers UserNotFoundException / ResourceNotFoundException for admin calls on unknown users and groups', async () => {
    const user = await failure(
      cognito.send(new AdminGetUserCommand({ UserPoolId: NOTES_POOL, Username: 'ghost@example.com' })),
    );
    expect(user.name).toBe('UserNotFoundException');
    expect(user.message).toBe('User does not exist.');
    const group = await failure(
      cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: NOTES_POOL,
          Username: 'alice@example.com',
          GroupName: 'nope',
        }),
      ),
    );
    expect(group.name).toBe('ResourceNotFoundException');
  });

  it('AdminInitiateAuth needs ALLOW_ADMIN_USER_PASSWORD_AUTH', async () => {
    const error = await failure(
      cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: NOTES_POOL,
          ClientId: WEB_CLIENT,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: 'Alice-Passw0rd' },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('DescribeUserPoolClient returns the client secret and settings', async () => {
    const { UserPoolClient: client } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: NOTES_POOL, ClientId: SERVER_CLIENT }),
    );
    expect(client?.ClientSecret).toBe(SERVER_SECRET);
    expect(client?.AllowedOAuthScopes).toEqual(['notes/export', 'notes/stats']);
    expect(client?.AccessTokenValidity).toBe(15);
    expect(client?.TokenValidityUnits?.AccessToken).toBe('minutes');
    const srp = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: NOTES_POOL, ClientId: SRP_CLIENT }),
    );
    expect(srp.UserPoolClient?.ClientSecret).toBeUndefined();
    expect(srp.UserPoolClient?.ExplicitAuthFlows).toEqual([
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    const wrongPool = await failure(
      cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: OTHER_POOL, ClientId: SERVER_CLIENT })),
    );
    expect(wrongPool.name).toBe('ResourceNotFoundException');
  });

  it('ListUsers lists and filters', async () => {
    const all = await cognito.send(new ListUsersCommand({ UserPoolId: NOTES_POOL }));
    expect(all.Users?.length).toBeGreaterThan(2);
    const alice = await cognito.send(
      new ListUsersCommand({ UserPoolId: NOTES_POOL, Filter: 'email = "alice@example.com"' }),
    );
    expect(alice.Users).toHaveLength(1);
    expect(alice.Users?.[0]?.UserStatus).toBe('CONFIRMED');
    const page = await cognito.send(new ListUsersCommand({ UserPoolId: NOTES_POOL, Limit: 1 }));
    expect(page.Users).toHaveLength(1);
    expect(page.PaginationToken).toEqual(expect.any(String));
  });
});

describe('refresh and self-service', () => {
  it('REFRESH_TOKEN_AUTH returns new access + id tokens from the same session, no new refresh token', async () => {
    const sub = await signUpConfirmed('kim@example.com');
    const first = (await signIn('kim@example.com', 'Str0ngPassword')).AuthenticationResult;
    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: WEB_CLIENT,
        AuthParameters: { REFRESH_TOKEN: first?.RefreshToken as string },
      }),
    );
    const result = refreshed.AuthenticationResult;
    expect(result?.RefreshToken).toBeUndefined();
    expect(claimKeys(result?.AccessToken as string)).toEqual(ACCESS_CLAIMS);
    const before = decodeJwt(first?.AccessToken as string);
    const after = decodeJwt(result?.AccessToken as string);
    expect(after.sub).toBe(sub);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.jti).not.toBe(before.jti);
    expect(decodeJwt(result?.IdToken as string).aud).toBe(WEB_CLIENT);

    const bad = await failure(
      cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: WEB_CLIENT,
          AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
        }),
      ),
    );
    expect(bad.name).toBe('NotAuthorizedException');
    expect(bad.message).toBe('Invalid Refresh Token');
  });

  it('REFRESH_TOKEN_AUTH with a secret client needs SECRET_HASH over the username (the sub for email pools)', async () => {
    const sub = await signUpConfirmed('lena@example.com');
    const first = await signIn('lena@example.com', 'Str0ngPassword', SERVER_CLIENT, {
      SECRET_HASH: secretHash('lena@example.com', SERVER_CLIENT, SERVER_SECRET),
    });
    const refresh = (params: Record<string, string>) =>
      cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN',
          ClientId: SERVER_CLIENT,
          AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult?.RefreshToken as string, ...params },
        }),
      );
    expect((await failure(refresh({}))).name).toBe('NotAuthorizedException');
    const ok = await refresh({ USERNAME: sub, SECRET_HASH: secretHash(sub, SERVER_CLIENT, SERVER_SECRET) });
    expect(ok.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it('GetUser returns the user of an access token and rejects anything else', async () => {
    const auth = await signIn('alice@example.com', 'Alice-Passw0rd');
    const user = await cognito.send(
      new GetUserCommand({ AccessToken: auth.AuthenticationResult?.AccessToken }),
    );
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: 'alice@example.com' });
    const idToken = await failure(
      cognito.send(new GetUserCommand({ AccessToken: auth.AuthenticationResult?.IdToken })),
    );
    expect(idToken.name).toBe('NotAuthorizedException');
    expect(idToken.message).toBe('Invalid Access Token');
  });

  it('logs operations without passwords or tokens', () => {
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('\n');
    expect(all).not.toContain('Alice-Passw0rd');
    expect(all).not.toContain('Str0ngPassword');
    expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});

describe('account lifecycle', () => {
  const refreshWith = (refreshToken: string, clientId = WEB_CLIENT) =>
    cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );

  it('ForgotPassword → code → ConfirmForgotPassword, then ChangePassword with the access token', async () => {
    await signUpConfirmed('mia@example.com');
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: NOTES_POOL,
        Username: 'mia@example.com',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    const forgot = await cognito.send(
      new ForgotPasswordCommand({ ClientId: WEB_CLIENT, Username: 'mia@example.com' }),
    );
    expect(forgot.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    const code = idp.lastCodeFor(NOTES_POOL, 'mia@example.com');
    expect(code?.purpose).toBe('FORGOT_PASSWORD');
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: WEB_CLIENT,
        Username: 'mia@example.com',
        ConfirmationCode: code?.code,
        Password: 'Reset-Passw0rd',
      }),
    );
    expect((await failure(signIn('mia@example.com', 'Str0ngPassword'))).name).toBe('NotAuthorizedException');
    const auth = await signIn('mia@example.com', 'Reset-Passw0rd');
    await cognito.send(
      new ChangePasswordCommand({
        AccessToken: auth.AuthenticationResult?.AccessToken,
        PreviousPassword: 'Reset-Passw0rd',
        ProposedPassword: 'Changed-Passw0rd',
      }),
    );
    expect((await signIn('mia@example.com', 'Changed-Passw0rd')).AuthenticationResult).toBeDefined();
  });

  it('GlobalSignOut revokes the user’s tokens for the Cognito API and their refresh tokens', async () => {
    await signUpConfirmed('noah@example.com');
    const auth = (await signIn('noah@example.com', 'Str0ngPassword')).AuthenticationResult;
    await cognito.send(new GlobalSignOutCommand({ AccessToken: auth?.AccessToken }));
    const getUser = await failure(cognito.send(new GetUserCommand({ AccessToken: auth?.AccessToken })));
    expect(getUser.message).toBe('Access Token has been revoked');
    expect((await failure(refreshWith(auth?.RefreshToken as string))).name).toBe('NotAuthorizedException');
  });

  it('RevokeToken revokes one refresh token; a refresh token only works with its own client', async () => {
    await signUpConfirmed('olga@example.com');
    const auth = (await signIn('olga@example.com', 'Str0ngPassword')).AuthenticationResult;
    const foreign = await failure(refreshWith(auth?.RefreshToken as string, SRP_CLIENT));
    expect(foreign.message).toBe('Invalid Refresh Token');
    await cognito.send(new RevokeTokenCommand({ ClientId: WEB_CLIENT, Token: auth?.RefreshToken }));
    expect((await failure(refreshWith(auth?.RefreshToken as string))).message).toBe('Invalid Refresh Token');
  });

  it('refuses a disabled user with NotAuthorizedException "User is disabled."', async () => {
    await signUpConfirmed('paul@example.com');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: NOTES_POOL, Username: 'paul@example.com' }));
    const error = await failure(signIn('paul@example.com', 'Str0ngPassword'));
    expect(error.name).toBe('NotAuthorizedException');
    expect(error.message).toBe('User is disabled.');
  });

  it('reveals unknown users (UserNotFoundException) only for clients with PreventUserExistenceErrors LEGACY', async () => {
    const other = sdkClient(idp.url, 'eu-west-1');
    try {
      const error = await failure(passwordSignIn(other, 'nobody', 'Whatever-1', OTHER_CLIENT));
      expect(error.name).toBe('UserNotFoundException');
    } finally {
      other.destroy();
    }
  });

  it('lets exactly one of two concurrent sign-ups with the same email win', async () => {
    const attempt = () =>
      cognito.send(
        new SignUpCommand({ ClientId: WEB_CLIENT, Username: 'race@example.com', Password: 'Str0ngPassword' }),
      );
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as Error).name).toBe('UsernameExistsException');
  });

  it('AdminCreateUser refuses an existing user; /_local/codes answers 404 without a pending code', async () => {
    const error = await failure(
      cognito.send(new AdminCreateUserCommand({ UserPoolId: NOTES_POOL, Username: 'alice@example.com' })),
    );
    expect(error.name).toBe('UsernameExistsException');
    expect((await fetch(`${idp.url}/_local/codes/${NOTES_POOL}/alice@example.com`)).status).toBe(404);
  });
});

describe('seed users', () => {
  it('give template-declared users (AWS::Cognito::UserPoolUser) their password', async () => {
    const pool = { ...notesPool, users: [{ username: 'tpl@example.com', groups: ['admins'] }] };
    const keys = idp.exportSigningKeys();
    const withoutSeed = await startIdentityProvider({ pools: [pool], signingKeys: keys });
    const withSeed = await startIdentityProvider({
      pools: [pool],
      signingKeys: keys,
      seedUsers: [{ username: 'tpl@example.com', password: 'Tpl-Passw0rd', groups: ['editors'] }],
    });
    const a = sdkClient(withoutSeed.url);
    const b = sdkClient(withSeed.url);
    const attempt = (client: CognitoIdentityProviderClient) =>
      passwordSignIn(client, 'tpl@example.com', 'Tpl-Passw0rd', WEB_CLIENT);
    try {
      const declared = await a.send(
        new AdminGetUserCommand({ UserPoolId: NOTES_POOL, Username: 'tpl@example.com' }),
      );
      expect(declared.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      expect((await failure(attempt(a))).name).toBe('NotAuthorizedException');
      const auth = await attempt(b);
      const id = decodeJwt(auth.AuthenticationResult?.IdToken as string);
      expect(id['cognito:groups']).toEqual(['admins', 'editors']);
      expect(id.sub).toBe(declared.Username);
    } finally {
      a.destroy();
      b.destroy();
      await Promise.all([withoutSeed.close(), withSeed.close()]);
    }
  });

  it('give the same sub on every start and need a poolId when there are several pools', async () => {
    const seed = { username: 'zoe@example.com', password: 'Zoe-Passw0rd' };
    const keys = idp.exportSigningKeys();
    const first = await startIdentityProvider({ pools: [notesPool], seedUsers: [seed], signingKeys: keys });
    const second = await startIdentityProvider({ pools: [notesPool], seedUsers: [seed], signingKeys: keys });
    try {
      expect(first.demoUsers()[0]?.sub).toBe(second.demoUsers()[0]?.sub);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
    await expect(
      startIdentityProvider({ pools: [notesPool, otherPool], seedUsers: [seed], signingKeys: keys }),
    ).rejects.toThrow(/needs a poolId/);
  });
});

describe('PreventUserExistenceErrors', () => {
  it('ENABLED: ForgotPassword for an unknown user answers a simulated delivery', async () => {
    const reply = await cognito.send(
      new ForgotPasswordCommand({ ClientId: WEB_CLIENT, Username: 'nobody@example.com' }),
    );
    expect(reply.CodeDeliveryDetails).toEqual({
      Destination: 'n***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
  });

  it('absent → LEGACY, the Cognito API default: unknown users are UserNotFoundException', async () => {
    const error = await failure(
      cognito.send(new ForgotPasswordCommand({ ClientId: SRP_CLIENT, Username: 'nobody@example.com' })),
    );
    expect(error.name).toBe('UserNotFoundException');
  });
});
