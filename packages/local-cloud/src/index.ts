/**
 * local-cloud: runs a synthesized CDK app (its cloud assembly) offline — API Gateway HTTP and REST APIs, Lambda,
 * DynamoDB and Cognito with their real behaviour. See README.md.
 *
 * ```ts
 * const cloud = await startLocalCloud({ assemblyDir: 'infra/cdk.out', stage: 'dev', port: 0 });
 * cloud.endpoints.outputs['dev-http-api'].ApiUrl; // http://127.0.0.1:PORT/
 * await cloud.close();
 * ```
 */

// The stages of the pipeline, each usable on its own.
export {
  AssemblyError,
  type AssemblyModel,
  formatGap,
  type LoadAssemblyOptions,
  loadAssembly,
} from './assembly';
export { type Clock, ManualClock, systemClock } from './clock';
export * from './cloud';
export {
  type RunningDynamoDb,
  type StartDynamoDbOptions,
  startDynamoDb,
  type TableDefinition,
} from './dynamodb';
export {
  type HttpApiConfig,
  type HttpApiGateway,
  type StartHttpApiGatewayOptions,
  startHttpApiGateway,
} from './gateway/http-api';
export { type DedicatedListener, FrontDoor, type FrontDoorOptions } from './gateway/listener';
export {
  type RestApiConfig,
  type RestApiGateway,
  type StartRestApiGatewayOptions,
  startRestApiGateway,
} from './gateway/rest-api';
export {
  type IdentityProvider,
  type IdentityProviderOptions,
  type SeedUser,
  startIdentityProvider,
  type UserPoolConfig,
} from './identity';
export { type FunctionConfig, LambdaRuntime, type LambdaRuntimeOptions } from './lambda';
export type { RunningService } from './service';
