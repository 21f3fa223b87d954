/**
 * Errors of the Cognito JSON API (awsJson1_1): HTTP 400, body `{"__type": "<Name>", "message": "..."}`, header
 * `x-amzn-ErrorType: <Name>:`. The AWS SDK reads `__type` first (and strips any `namespace#` prefix), so
 * `error.name` on the client is exactly `<Name>`.
 */
export class CognitoError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
export const poolNotFound = (poolId: string) =>
  new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
export const clientNotFound = (clientId: string) =>
  new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
export const incorrectCredentials = () => notAuthorized('Incorrect username or password.');

/** The message AWS gives when a required member is missing (validation happens before the operation). */
export const missingMember = (member: string) =>
  new CognitoError(
    'InvalidParameterException',
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

/** OAuth2 endpoint errors: `{"error": "<code>"}` with status 400 (401 for invalid_client). */
export class OAuthError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, status = 400, description?: string) {
    super(description ?? code);
    this.code = code;
    this.status = status;
  }
}
