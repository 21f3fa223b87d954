/**
 * The Cognito user-pool JSON API (`POST /`, `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`), the
 * operations a web/mobile app and an admin script use. Messages and error types follow Cognito's.
 */
import type { IdentityCore, IssuedTokens } from './core.js';
import {
  CognitoError,
  clientNotFound,
  incorrectCredentials,
  invalidParameter,
  missingMember,
  notAuthorized,
  userNotFound,
} from './errors.js';
import { generateTemporaryPassword, verifyPassword } from './passwords.js';
import {
  attributeList,
  type ClientRuntime,
  clientAllowsFlow,
  isEmail,
  maskEmail,
  type UserPool,
  type UserRecord,
} from './pool.js';
import { ADMIN_SCOPE } from './tokens.js';

export type Body = Record<string, unknown>;
export type Operation = (core: IdentityCore, body: Body) => Promise<unknown>;

// ---------------------------------------------------------------------------------------------------------
// Input helpers

const memberName = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);

function optString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new CognitoError('SerializationException', `${key}: expected a string`);
  }
  return value;
}

function reqString(body: Body, key: string): string {
  const value = optString(body, key);
  if (value === undefined) throw missingMember(memberName(key));
  return value;
}

function stringMap(body: Body, key: string): Record<string, string> {
  const value = body[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CognitoError('SerializationException', `${key}: expected a map`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function attributes(body: Body, key: string): [string, string][] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CognitoError('SerializationException', `${key}: expected a list`);
  return value.map((item: unknown) => {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string') throw invalidParameter(`${key}: every attribute needs a Name`);
    return [Name, typeof Value === 'string' ? Value : ''];
  });
}

// ---------------------------------------------------------------------------------------------------------
// Shared steps

function clientById(core: IdentityCore, body: Body): { pool: UserPool; client: ClientRuntime } {
  const clientId = reqString(body, 'ClientId');
  const found = core.findClient(clientId);
  if (!found) throw clientNotFound(clientId);
  return found;
}

/** The user pool an operation names (`UserPoolId`). */
function namedPool(core: IdentityCore, body: Body): UserPool {
  return core.pool(reqString(body, 'UserPoolId'));
}

/** The pool and the user an admin operation names (`UserPoolId`, then `Username`). */
function namedUser(core: IdentityCore, body: Body): { pool: UserPool; user: UserRecord } {
  const pool = namedPool(core, body);
  return { pool, user: userIn(pool, reqString(body, 'Username')) };
}

function userIn(pool: UserPool, name: string): UserRecord {
  const user = pool.resolve(name);
  if (!user) throw userNotFound();
  return user;
}

/** Dates go over the wire as epoch seconds. */
const epoch = (ms: number) => ms / 1000;

function userType(user: UserRecord, attributesKey: 'Attributes' | 'UserAttributes', only?: string[]) {
  const list = attributeList(user).filter((a) => !only || only.includes(a.Name));
  return {
    Username: user.username,
    [attributesKey]: list,
    UserCreateDate: epoch(user.createdAt),
    UserLastModifiedDate: epoch(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

function codeDelivery(pool: UserPool, user: UserRecord) {
  const email = user.attributes.get('email');
  if (pool.autoVerifiedAttributes.includes('email') && email) {
    return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  }
  const phone = user.attributes.get('phone_number');
  if (pool.autoVerifiedAttributes.includes('phone_number') && phone) {
    return {
      Destination: `+*******${phone.slice(-4)}`,
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    };
  }
  return undefined;
}

/** PreventUserExistenceErrors ENABLED: pretend a code went out; LEGACY: UserNotFoundException. */
function simulatedDelivery(client: ClientRuntime, name: string) {
  if (client.preventUserExistenceErrors === 'LEGACY') throw userNotFound();
  return {
    CodeDeliveryDetails: {
      Destination: isEmail(name) ? maskEmail(name) : `${name.slice(0, 1)}***@e***`,
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    },
  };
}

function authenticationResult(tokens: IssuedTokens) {
  return {
    AuthenticationResult: {
      AccessToken: tokens.accessToken,
      ExpiresIn: tokens.expiresIn,
      TokenType: 'Bearer',
      ...(tokens.refreshToken ? { RefreshToken: tokens.refreshToken } : {}),
      IdToken: tokens.idToken,
    },
    ChallengeParameters: {},
  };
}

function applyAttributes(user: UserRecord, list: [string, string][]): void {
  for (const [name, value] of list) {
    if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
    if (
      name === 'email' &&
      user.attributes.get('email') !== value &&
      !list.some(([n]) => n === 'email_verified')
    ) {
      user.attributes.set('email_verified', 'false');
    }
    user.attributes.set(name, value);
  }
}

/** USERNAME + PASSWORD sign-in (USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH). */
async function passwordSignIn(
  core: IdentityCore,
  pool: UserPool,
  client: ClientRuntime,
  params: Record<string, string>,
) {
  const username = params.USERNAME;
  const password = params.PASSWORD;
  if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
  if (password === undefined) throw invalidParameter('Missing required parameter PASSWORD');
  core.checkSecretHash(client, [username], params.SECRET_HASH);
  const found = pool.resolve(username);
  // A sub is no sign-in name (except where it is the username: email-as-username pools).
  const user = found && (found.sub !== username || found.username === username) ? found : undefined;
  if (!user) {
    await verifyPassword(password, undefined); // same work either way
    if (client.preventUserExistenceErrors === 'LEGACY') throw userNotFound();
    throw incorrectCredentials();
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw incorrectCredentials();
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED')
    throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') {
    throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if ((user.temporaryPasswordExpiresAt ?? Number.POSITIVE_INFINITY) <= core.now()) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
    const visible = Object.fromEntries([...user.attributes].filter(([name]) => name !== 'sub'));
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: core.newChallengeSession(pool, client, user),
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(visible),
      },
    };
  }
  const tokens = await core.issue(pool, client, user);
  core.log(`identity: ${pool.id} sign-in ${user.username} via ${client.clientId}`);
  return authenticationResult(tokens);
}

/** `REFRESH_TOKEN_AUTH` (alias `REFRESH_TOKEN`), the same in InitiateAuth and AdminInitiateAuth. */
async function refreshSignIn(core: IdentityCore, client: ClientRuntime, params: Record<string, string>) {
  if (!clientAllowsFlow(client, 'REFRESH_TOKEN_AUTH')) {
    throw invalidParameter('REFRESH_TOKEN_AUTH flow not enabled for this client');
  }
  const token = params.REFRESH_TOKEN;
  if (token === undefined) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
  const used = core.useRefreshToken(token, client);
  if (!used.ok) throw notAuthorized(used.reason);
  core.checkSecretHash(client, [used.user.username, used.user.sub], params.SECRET_HASH);
  const tokens = await core.issue(used.pool, client, used.user, { session: used.record.session });
  return authenticationResult(tokens);
}

function unsupportedFlow(client: ClientRuntime, flow: string): never {
  if (clientAllowsFlow(client, flow)) {
    throw invalidParameter(
      `${flow} is not supported by the local identity provider (supported: USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, ADMIN_USER_PASSWORD_AUTH)`,
    );
  }
  throw invalidParameter(`${flow} flow not enabled for this client`);
}

async function respondToNewPassword(core: IdentityCore, body: Body, adminPoolId?: string) {
  const { pool, client } = clientById(core, body);
  if (adminPoolId !== undefined && pool.id !== adminPoolId) throw clientNotFound(client.clientId);
  const challenge = reqString(body, 'ChallengeName');
  if (challenge !== 'NEW_PASSWORD_REQUIRED') {
    throw invalidParameter(`The local identity provider does not implement the ${challenge} challenge`);
  }
  const responses = stringMap(body, 'ChallengeResponses');
  const sessionId = optString(body, 'Session');
  const session = sessionId === undefined ? undefined : core.challengeSessions.get(sessionId);
  if (!session || session.clientId !== client.clientId) throw notAuthorized('Invalid session for the user.');
  if (session.expiresAt <= core.now()) {
    core.challengeSessions.delete(sessionId as string);
    throw notAuthorized('Invalid session for the user, session is expired.');
  }
  const username = responses.USERNAME;
  if (username === undefined) throw invalidParameter('Missing required parameter USERNAME');
  const user = pool.resolve(username);
  if (!user || pool.key(user.username) !== session.username)
    throw notAuthorized('Invalid session for the user.');
  core.checkSecretHash(client, [username], responses.SECRET_HASH);
  const newPassword = responses.NEW_PASSWORD;
  if (newPassword === undefined) throw invalidParameter('Missing required parameter NEW_PASSWORD');
  await core.setPassword(pool, user, newPassword, true);
  const extra = Object.entries(responses)
    .filter(([key]) => key.startsWith('userAttributes.'))
    .map(([key, value]): [string, string] => [key.slice('userAttributes.'.length), value]);
  applyAttributes(user, extra);
  user.status = 'CONFIRMED';
  core.challengeSessions.delete(sessionId as string);
  return authenticationResult(await core.issue(pool, client, user));
}

/** The user behind an access token, for the self-service operations (GetUser, ChangePassword, …). */
async function userFromAccessToken(core: IdentityCore, body: Body) {
  const token = reqString(body, 'AccessToken');
  const checked = await core.checkAccessToken(token);
  if (!checked.ok || !checked.pool) {
    throw notAuthorized(
      checked.ok || checked.reason === 'invalid' ? 'Invalid Access Token' : 'Access Token has expired',
    );
  }
  const { claims, pool } = checked;
  if (!(claims.scope ?? '').split(' ').includes(ADMIN_SCOPE)) {
    throw notAuthorized('Access Token does not have required scopes');
  }
  const user = typeof claims.username === 'string' ? pool.users.get(pool.key(claims.username)) : undefined;
  if (!user) throw userNotFound();
  const origin = claims.origin_jti;
  if (typeof origin === 'string' && core.revokedOrigins.has(origin))
    throw notAuthorized('Access Token has been revoked');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { pool, user, claims };
}

// ---------------------------------------------------------------------------------------------------------
// Operations

const SignUp: Operation = async (core, body) => {
  const { pool, client } = clientById(core, body);
  const username = reqString(body, 'Username');
  const password = reqString(body, 'Password');
  core.checkSecretHash(client, [username], optString(body, 'SecretHash'));
  if (!pool.selfSignUpEnabled) throw notAuthorized('SignUp is not permitted for this user pool');
  if (pool.emailIsUsername && !isEmail(username)) throw invalidParameter('Username should be an email.');
  if (!pool.emailIsUsername && pool.aliasAttributes.includes('email') && isEmail(username)) {
    throw invalidParameter(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  }
  const attrs = attributes(body, 'UserAttributes');
  const email = attrs.find(([name]) => name === 'email')?.[1];
  if (email !== undefined && !isEmail(email)) throw invalidParameter('Invalid email address format.');
  pool.assertNameFree(username);
  const user = pool.newUser(username, core.now());
  applyAttributes(
    user,
    attrs.filter(([name]) => name !== 'email_verified' && name !== 'phone_number_verified'),
  );
  if (user.attributes.has('email')) user.attributes.set('email_verified', 'false');
  await core.setPassword(pool, user, password, true);
  pool.assertNameFree(username); // again: another SignUp may have won the race while we hashed
  user.status = 'UNCONFIRMED';
  pool.add(user);
  core.newCode(user, 'SIGN_UP');
  const delivery = codeDelivery(pool, user);
  core.log(
    `identity: ${pool.id} SignUp ${user.username} (code at GET /_local/codes/${pool.id}/${user.username})`,
  );
  return { UserConfirmed: false, UserSub: user.sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
};

const ConfirmSignUp: Operation = async (core, body) => {
  const { pool, client } = clientById(core, body);
  const username = reqString(body, 'Username');
  const code = reqString(body, 'ConfirmationCode');
  core.checkSecretHash(client, [username], optString(body, 'SecretHash'));
  const user = pool.resolve(username);
  if (!user) {
    if (client.preventUserExistenceErrors === 'LEGACY') throw userNotFound();
    throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  }
  if (user.status !== 'UNCONFIRMED') {
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  core.checkCode(user, 'SIGN_UP', code);
  const email = user.attributes.get('email');
  if (email && pool.aliasAttributes.includes('email') && body.ForceAliasCreation !== true) {
    const taken = [...pool.users.values()].some(
      (other) =>
        other !== user &&
        other.attributes.get('email_verified') === 'true' &&
        other.attributes.get('email')?.toLowerCase() === email.toLowerCase(),
    );
    if (taken)
      throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
  }
  user.status = 'CONFIRMED';
  if (email && pool.autoVerifiedAttributes.includes('email')) user.attributes.set('email_verified', 'true');
  if (user.attributes.has('phone_number') && pool.autoVerifiedAttributes.includes('phone_number')) {
    user.attributes.set('phone_number_verified', 'true');
  }
  delete user.code;
  user.modifiedAt = core.now();
  return {};
};

const ResendConfirmationCode: Operation = async (core, body) => {
  const { pool, client } = clientById(core, body);
  const username = reqString(body, 'Username');
  core.checkSecretHash(client, [username], optString(body, 'SecretHash'));
  const user = pool.resolve(username);
  if (!user) return simulatedDelivery(client, username);
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  core.newCode(user, 'SIGN_UP');
  const delivery = codeDelivery(pool, user);
  return delivery ? { CodeDeliveryDetails: delivery } : {};
};

const ForgotPassword: Operation = async (core, body) => {
  const { pool, client } = clientById(core, body);
  const username = reqString(body, 'Username');
  core.checkSecretHash(client, [username], optString(body, 'SecretHash'));
  const user = pool.resolve(username);
  if (!user) return simulatedDelivery(client, username);
  const verifiedEmail =
    user.attributes.get('email_verified') === 'true' ? user.attributes.get('email') : undefined;
  if (!verifiedEmail) {
    throw invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  core.newCode(user, 'FORGOT_PASSWORD');
  return {
    CodeDeliveryDetails: {
      Destination: maskEmail(verifiedEmail),
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    },
  };
};

const ConfirmForgotPassword: Operation = async (core, body) => {
  const { pool, client } = clientById(core, body);
  const username = reqString(body, 'Username');
  const code = reqString(body, 'ConfirmationCode');
  const password = reqString(body, 'Password');
  core.checkSecretHash(client, [username], optString(body, 'SecretHash'));
  const user = pool.resolve(username);
  if (!user) {
    if (client.preventUserExistenceErrors === 'LEGACY') throw userNotFound();
    throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  }
  core.checkCode(user, 'FORGOT_PASSWORD', code);
  await core.setPassword(pool, user, password, true);
  user.status = 'CONFIRMED';
  delete user.code;
  return {};
};

const InitiateAuth: Operation = async (core, body) => {
  const { pool, client } = clientById(core, body);
  const flow = reqString(body, 'AuthFlow');
  const params = stringMap(body, 'AuthParameters');
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
      if (!clientAllowsFlow(client, 'USER_PASSWORD_AUTH')) {
        throw invalidParameter('USER_PASSWORD_AUTH flow not enabled for this client');
      }
      return passwordSignIn(core, pool, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return refreshSignIn(core, client, params);
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      throw invalidParameter('Initiate Auth method not supported.');
    case 'USER_SRP_AUTH':
    case 'CUSTOM_AUTH':
    case 'USER_AUTH':
      return unsupportedFlow(client, flow);
    default:
      throw invalidParameter(
        `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint`,
      );
  }
};

const AdminInitiateAuth: Operation = async (core, body) => {
  const pool = namedPool(core, body);
  const client = pool.client(reqString(body, 'ClientId'));
  const flow = reqString(body, 'AuthFlow');
  const params = stringMap(body, 'AuthParameters');
  switch (flow) {
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH':
      if (!clientAllowsFlow(client, 'ADMIN_USER_PASSWORD_AUTH'))
        throw invalidParameter('Auth flow not enabled for this client');
      return passwordSignIn(core, pool, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return refreshSignIn(core, client, params);
    default:
      return unsupportedFlow(client, flow);
  }
};

const RespondToAuthChallenge: Operation = (core, body) => respondToNewPassword(core, body);
const AdminRespondToAuthChallenge: Operation = (core, body) =>
  respondToNewPassword(core, body, reqString(body, 'UserPoolId'));

const GetUser: Operation = async (core, body) => {
  const { user } = await userFromAccessToken(core, body);
  return { Username: user.username, UserAttributes: attributeList(user) };
};

const ChangePassword: Operation = async (core, body) => {
  const { pool, user } = await userFromAccessToken(core, body);
  const previous = reqString(body, 'PreviousPassword');
  const proposed = reqString(body, 'ProposedPassword');
  if (!(await verifyPassword(previous, user.passwordHash))) throw incorrectCredentials();
  await core.setPassword(pool, user, proposed, true);
  return {};
};

const GlobalSignOut: Operation = async (core, body) => {
  const { pool, user } = await userFromAccessToken(core, body);
  core.signOutEverywhere(pool, user);
  return {};
};

const RevokeToken: Operation = async (core, body) => {
  const { client } = clientById(core, body);
  const token = reqString(body, 'Token');
  const secret = optString(body, 'ClientSecret');
  if (client.clientSecret !== undefined && secret !== client.clientSecret) {
    throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
  }
  const record = core.refreshTokens.get(token);
  if (record && record.clientId !== client.clientId) throw notAuthorized('Invalid Refresh Token');
  core.revokeRefreshToken(token);
  return {};
};

const SignUpAdmin = {
  AdminCreateUser: (async (core, body) => {
    const pool = namedPool(core, body);
    const username = reqString(body, 'Username');
    const action = optString(body, 'MessageAction');
    const temporary = optString(body, 'TemporaryPassword') ?? generateTemporaryPassword(pool.passwordPolicy);
    if (action === 'RESEND') {
      const user = userIn(pool, username);
      if (user.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new CognitoError(
          'UnsupportedUserStateException',
          `Resend not possible. ${user.username} status is not FORCE_CHANGE_PASSWORD`,
        );
      }
      await core.setPassword(pool, user, temporary, false);
      return { User: userType(user, 'Attributes') };
    }
    if (pool.emailIsUsername && !isEmail(username)) throw invalidParameter('Username should be an email.');
    pool.assertNameFree(username, 'User account already exists');
    const user = pool.newUser(username, core.now());
    applyAttributes(user, attributes(body, 'UserAttributes'));
    await core.setPassword(pool, user, temporary, false);
    pool.assertNameFree(username, 'User account already exists');
    pool.add(user);
    core.log(`identity: ${pool.id} AdminCreateUser ${user.username}`);
    return { User: userType(user, 'Attributes') };
  }) satisfies Operation,

  AdminSetUserPassword: (async (core, body) => {
    const { pool, user } = namedUser(core, body);
    await core.setPassword(pool, user, reqString(body, 'Password'), body.Permanent === true);
    return {};
  }) satisfies Operation,

  AdminConfirmSignUp: (async (core, body) => {
    const { user } = namedUser(core, body);
    if (user.status !== 'UNCONFIRMED')
      throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    user.status = 'CONFIRMED';
    user.modifiedAt = core.now();
    delete user.code;
    return {};
  }) satisfies Operation,

  AdminGetUser: (async (core, body) => {
    return userType(namedUser(core, body).user, 'UserAttributes');
  }) satisfies Operation,

  AdminDeleteUser: (async (core, body) => {
    const { pool, user } = namedUser(core, body);
    pool.users.delete(pool.key(user.username));
    return {};
  }) satisfies Operation,

  AdminDisableUser: (async (core, body) => {
    namedUser(core, body).user.enabled = false;
    return {};
  }) satisfies Operation,

  AdminEnableUser: (async (core, body) => {
    namedUser(core, body).user.enabled = true;
    return {};
  }) satisfies Operation,

  AdminUpdateUserAttributes: (async (core, body) => {
    const { user } = namedUser(core, body);
    applyAttributes(user, attributes(body, 'UserAttributes'));
    user.modifiedAt = core.now();
    return {};
  }) satisfies Operation,

  AdminUserGlobalSignOut: (async (core, body) => {
    const { pool, user } = namedUser(core, body);
    core.signOutEverywhere(pool, user);
    return {};
  }) satisfies Operation,
};

function groupOf(pool: UserPool, body: Body) {
  const name = reqString(body, 'GroupName');
  const group = pool.groups.get(name);
  if (!group) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
  return group;
}

function groupType(
  pool: UserPool,
  group: { name: string; precedence?: number; description?: string; roleArn?: string },
) {
  return {
    GroupName: group.name,
    UserPoolId: pool.id,
    ...(group.description !== undefined ? { Description: group.description } : {}),
    ...(group.roleArn !== undefined ? { RoleArn: group.roleArn } : {}),
    ...(group.precedence !== undefined ? { Precedence: group.precedence } : {}),
    CreationDate: epoch(pool.createdAt),
    LastModifiedDate: epoch(pool.createdAt),
  };
}

const Groups = {
  AdminAddUserToGroup: (async (core, body) => {
    const { pool, user } = namedUser(core, body);
    user.groups.add(groupOf(pool, body).name);
    return {};
  }) satisfies Operation,

  AdminRemoveUserFromGroup: (async (core, body) => {
    const { pool, user } = namedUser(core, body);
    user.groups.delete(groupOf(pool, body).name);
    return {};
  }) satisfies Operation,

  AdminListGroupsForUser: (async (core, body) => {
    const { pool, user } = namedUser(core, body);
    return { Groups: pool.groupsOf(user).map((group) => groupType(pool, group)) };
  }) satisfies Operation,

  ListGroups: (async (core, body) => {
    const pool = namedPool(core, body);
    return { Groups: [...pool.groups.values()].map((group) => groupType(pool, group)) };
  }) satisfies Operation,

  ListUsersInGroup: (async (core, body) => {
    const pool = namedPool(core, body);
    const group = groupOf(pool, body);
    const users = [...pool.users.values()].filter((user) => user.groups.has(group.name));
    return { Users: users.map((user) => userType(user, 'Attributes')) };
  }) satisfies Operation,
};

/** `ListUsers` filter: `name = "value"` or `name ^= "value"` on username, sub, email, status, … */
function listFilter(filter: string | undefined): (user: UserRecord) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match) throw invalidParameter('Error while parsing filter.');
  const [, name = '', op, value = ''] = match;
  const read = (user: UserRecord): string | undefined => {
    if (name === 'username') return user.username;
    if (name === 'cognito:user_status') return user.status;
    if (name === 'status') return user.enabled ? 'Enabled' : 'Disabled';
    return user.attributes.get(name);
  };
  return (user) => {
    const actual = read(user);
    if (actual === undefined) return false;
    return op === '=' ? actual === value : actual.startsWith(value);
  };
}

const Listing = {
  ListUsers: (async (core, body) => {
    const pool = namedPool(core, body);
    const limit = typeof body.Limit === 'number' ? body.Limit : 60;
    if (limit < 0 || limit > 60)
      throw invalidParameter(
        "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
      );
    const start = Number(optString(body, 'PaginationToken') ?? '0') || 0;
    const only = Array.isArray(body.AttributesToGet) ? (body.AttributesToGet as string[]) : undefined;
    const users = [...pool.users.values()]
      .filter(listFilter(optString(body, 'Filter')))
      .sort((a, b) => a.createdAt - b.createdAt || a.username.localeCompare(b.username));
    const page = users.slice(start, start + limit);
    const next = start + limit < users.length ? String(start + limit) : undefined;
    return {
      Users: page.map((user) => userType(user, 'Attributes', only)),
      ...(next ? { PaginationToken: next } : {}),
    };
  }) satisfies Operation,

  DescribeUserPoolClient: (async (core, body) => {
    const pool = namedPool(core, body);
    const c = pool.client(reqString(body, 'ClientId'));
    const list = (key: string, values: readonly string[]) => (values.length ? { [key]: [...values] } : {});
    return {
      UserPoolClient: {
        UserPoolId: pool.id,
        ClientName: c.clientName,
        ClientId: c.clientId,
        ...(c.clientSecret !== undefined ? { ClientSecret: c.clientSecret } : {}),
        LastModifiedDate: epoch(pool.createdAt),
        CreationDate: epoch(pool.createdAt),
        RefreshTokenValidity: c.validity.refreshToken,
        AccessTokenValidity: c.validity.accessToken,
        IdTokenValidity: c.validity.idToken,
        TokenValidityUnits: c.validity.units,
        ...list('ExplicitAuthFlows', c.explicitAuthFlows),
        ...list('SupportedIdentityProviders', c.supportedIdentityProviders),
        ...list('CallbackURLs', c.callbackUrls),
        ...list('LogoutURLs', c.logoutUrls),
        ...list('AllowedOAuthFlows', c.allowedOAuthFlows),
        ...list('AllowedOAuthScopes', c.allowedOAuthScopes),
        AllowedOAuthFlowsUserPoolClient: c.allowedOAuthFlowsUserPoolClient,
        PreventUserExistenceErrors: c.preventUserExistenceErrors,
        EnableTokenRevocation: true,
        EnablePropagateAdditionalUserContextData: false,
        AuthSessionValidity: 3,
      },
    };
  }) satisfies Operation,

  ListUserPoolClients: (async (core, body) => {
    const pool = namedPool(core, body);
    return {
      UserPoolClients: [...pool.clients.values()].map((c) => ({
        ClientId: c.clientId,
        UserPoolId: pool.id,
        ClientName: c.clientName,
      })),
    };
  }) satisfies Operation,

  DescribeUserPool: (async (core, body) => {
    const pool = namedPool(core, body);
    const policy = pool.passwordPolicy;
    return {
      UserPool: {
        Id: pool.id,
        Name: pool.name,
        Arn: `arn:aws:cognito-idp:${pool.region}:${core.accountId}:userpool/${pool.id}`,
        Policies: {
          PasswordPolicy: {
            MinimumLength: policy.minimumLength,
            RequireUppercase: policy.requireUppercase,
            RequireLowercase: policy.requireLowercase,
            RequireNumbers: policy.requireNumbers,
            RequireSymbols: policy.requireSymbols,
            TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
          },
        },
        ...(pool.usernameAttributes.length ? { UsernameAttributes: [...pool.usernameAttributes] } : {}),
        ...(pool.aliasAttributes.length ? { AliasAttributes: [...pool.aliasAttributes] } : {}),
        ...(pool.autoVerifiedAttributes.length
          ? { AutoVerifiedAttributes: [...pool.autoVerifiedAttributes] }
          : {}),
        ...(pool.config.domain ? { Domain: pool.config.domain } : {}),
        UsernameConfiguration: { CaseSensitive: pool.caseSensitive },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: !pool.selfSignUpEnabled },
        EstimatedNumberOfUsers: pool.users.size,
        CreationDate: epoch(pool.createdAt),
        LastModifiedDate: epoch(pool.createdAt),
      },
    };
  }) satisfies Operation,

  ListUserPools: (async (core) => ({
    UserPools: [...core.pools.values()].map((pool) => ({
      Id: pool.id,
      Name: pool.name,
      CreationDate: epoch(pool.createdAt),
      LastModifiedDate: epoch(pool.createdAt),
    })),
  })) satisfies Operation,
};

export const operations: Record<string, Operation> = {
  SignUp,
  ConfirmSignUp,
  ResendConfirmationCode,
  ForgotPassword,
  ConfirmForgotPassword,
  InitiateAuth,
  AdminInitiateAuth,
  RespondToAuthChallenge,
  AdminRespondToAuthChallenge,
  GetUser,
  ChangePassword,
  GlobalSignOut,
  RevokeToken,
  ...SignUpAdmin,
  ...Groups,
  ...Listing,
};
