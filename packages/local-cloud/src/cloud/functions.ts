/**
 * Lambda functions of the model → the Lambda runtime's `FunctionConfig`s.
 *
 * - Code: a directory asset runs in place (or from its source directory, see `codeDirFor`); inline code
 *   (`Code.ZipFile`) runs from the `index.js` that `writeInlineCode` wrote, as Lambda stores it; zip file
 *   assets and code outside the assembly cannot run — such a function is listed in `unavailable`, and a
 *   request that reaches it fails with that reason.
 * - Environment: the template's variables with AWS URLs rewritten (see rewrite.ts), plus the variables
 *   Lambda itself sets for the function's logging configuration. The services' endpoints and credentials
 *   are the same for every function: {@link serviceEnvironment}.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FunctionModel, Gap } from '../assembly';
import { LOCAL_CREDENTIALS } from '../dynamodb';
import type { FunctionConfig } from '../lambda';
import { serviceGap } from './gaps';

const FUNCTION = 'AWS::Lambda::Function';

export interface FunctionMappingOptions {
  /** Applied to every environment value (AWS URLs → local ones). Default: unchanged. */
  readonly rewrite?: (value: string) => string;
  /** Directories of inline functions' code, by function name (from {@link writeInlineCode}). */
  readonly inlineCodeDirs?: ReadonlyMap<string, string>;
  /** Another directory to run a directory asset from (its byte-identical source, when watching). */
  readonly codeDirFor?: (assetDir: string) => string | undefined;
}

export interface FunctionMapping {
  readonly functions: FunctionConfig[];
  /** Functions of the assembly that cannot run locally, by name → why. */
  readonly unavailable: ReadonlyMap<string, string>;
  readonly gaps: Gap[];
}

/** Variables every function gets on top of its own: where the local services are, and credentials for them. */
export function serviceEnvironment(endpoints: {
  readonly dynamoDb: string;
  readonly cognito: string;
  /** The API Gateway control plane (a function managing usage plans or keys with the SDK reaches it). */
  readonly apiGateway: string;
}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
    AWS_ENDPOINT_URL_API_GATEWAY: endpoints.apiGateway,
    // Letters and digits only: DynamoDB Local refuses anything else in the key id. Nothing checks them.
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

export function mapFunctions(
  functions: readonly FunctionModel[],
  options: FunctionMappingOptions = {},
): FunctionMapping {
  const rewrite = options.rewrite ?? ((value: string) => value);
  const configs: FunctionConfig[] = [];
  const unavailable = new Map<string, string>();
  const gaps: Gap[] = [];
  for (const fn of functions) {
    const codeDir = codeDirOf(fn, options);
    if (typeof codeDir !== 'string') {
      unavailable.set(fn.name, codeDir.reason);
      if (codeDir.gap) gaps.push(serviceGap(fn, FUNCTION, 'Code', codeDir.reason));
      continue;
    }
    if (fn.layers.length > 0) {
      gaps.push(
        serviceGap(
          fn,
          FUNCTION,
          'Layers',
          'layers are not extracted to /opt locally; imports from them fail',
        ),
      );
    }
    if (fn.logFormat === 'JSON') {
      gaps.push(
        serviceGap(
          fn,
          FUNCTION,
          'LoggingConfig',
          'log format JSON: console.* and START/END/REPORT lines stay text locally, unfiltered by level',
        ),
      );
    }
    configs.push({
      name: fn.name,
      arn: fn.arn,
      handler: fn.handler,
      codeDir,
      runtime: fn.runtime,
      environment: functionEnvironment(fn, rewrite),
      timeoutSeconds: fn.timeoutSeconds,
      memoryMb: fn.memoryMb,
      ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
      region: fn.region,
      accountId: fn.accountId,
    });
  }
  return { functions: configs, unavailable, gaps };
}

function codeDirOf(
  fn: FunctionModel,
  options: FunctionMappingOptions,
): string | { reason: string; gap: boolean } {
  const { code } = fn;
  switch (code.kind) {
    case 'directory':
      return options.codeDirFor?.(code.path) ?? code.path;
    case 'inline': {
      const dir = options.inlineCodeDirs?.get(fn.name);
      return dir ?? { reason: 'its inline code was not written to disk', gap: true };
    }
    case 'zip':
      return {
        reason: `zip file assets are not extracted locally (${code.path}); use a directory asset`,
        gap: true,
      };
    case 'unavailable':
      // The loader has reported why already.
      return { reason: `its code is not available locally: ${code.reason}`, gap: false };
  }
}

/** The template's variables, AWS URLs rewritten, plus what Lambda sets for the logging configuration. */
function functionEnvironment(fn: FunctionModel, rewrite: (value: string) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.environment)) env[name] = rewrite(value);
  // Lambda's advanced logging controls: the runtime and Powertools' logger read these.
  if (fn.logFormat === 'JSON') env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
  if (fn.applicationLogLevel !== undefined) env.AWS_LAMBDA_LOG_LEVEL = fn.applicationLogLevel;
  return env;
}

/**
 * Writes each inline function's source as `index.js` (what Lambda does with `Code.ZipFile` for Node.js)
 * into a folder of `root` named after its content, and returns the folders by function name.
 */
export async function writeInlineCode(
  functions: readonly FunctionModel[],
  root: string,
): Promise<Map<string, string>> {
  const dirs = new Map<string, string>();
  for (const fn of functions) {
    if (fn.code.kind !== 'inline') continue;
    const hash = createHash('sha256').update(fn.code.source).digest('hex').slice(0, 16);
    const dir = path.join(root, `inline-${hash}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.js'), fn.code.source);
    dirs.set(fn.name, dir);
  }
  return dirs;
}
