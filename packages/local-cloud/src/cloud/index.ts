/** The orchestrator: runs a cloud assembly with the local services. See ../../README.md. */
export { findAssetSources, projectRootOf } from './asset-sources';
export {
  buildEndpointsFile,
  type EndpointsFile,
  removeEndpointsFile,
  writeEndpointsFile,
} from './endpoints-file';
export { LocalCloudError } from './errors';
export { type FunctionMapping, mapFunctions, serviceEnvironment } from './functions';
export { mapHttpApis } from './http-apis';
export { type LocalCloud, type StartLocalCloudOptions, startLocalCloud } from './local-cloud';
export { portLayout } from './ports';
export { mapRestApis, type RestApiMapping } from './rest-apis';
export { type EndpointRewrites, endpointRewrites, type LocalEndpoints } from './rewrite';
export { findUserPool, parseSeedFile, readSeedFile, resolveSeedUsers, type SeedFileUser } from './seed';
export { formatSummary } from './summary';
export { mapTables } from './tables';
export { mapUserPools } from './user-pools';
