/** Cognito-shaped local identity provider: see README.md in this folder. */

export { secretHash } from './passwords.js';

import { operations } from './cognito-api.js';

export { type IdentityProvider, startIdentityProvider } from './server.js';

/** The Cognito API operations the local identity provider answers (others: UnknownOperationException). */
export const supportedCognitoOperations: readonly string[] = Object.keys(operations);
export type {
  DemoUser,
  GroupConfig,
  IdentityProviderOptions,
  PasswordPolicy,
  PoolSigningKeys,
  ResourceServerConfig,
  SeedUser,
  SignInAttribute,
  TimeUnit,
  UserPoolClientConfig,
  UserPoolConfig,
} from './types.js';
