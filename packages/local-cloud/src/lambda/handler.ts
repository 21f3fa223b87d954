/**
 * Inside a worker: find and import the handler the way Lambda's Node.js runtime does, and call it the
 * way Lambda does (promise, plain value or legacy callback).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type ErrorInfo, toErrorInfo } from './protocol';

export type Handler = (event: unknown, context: Context, callback: Callback) => unknown;
type Callback = (error?: unknown, result?: unknown) => void;

export type LoadResult = { ok: true; handler: Handler } | { ok: false; error: ErrorInfo };

function failure(errorType: string, errorMessage: string, trace: readonly string[] = []): LoadResult {
  return { ok: false, error: { errorType, errorMessage, trace } };
}

/** Whether the nearest package.json above `dir` says `"type": "module"` (how Node reads `.js`). */
function isTypeModule(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    const manifest = path.join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(current) === current) return false;
  }
}

/** Lambda's lookup order: `<module>.js` (CommonJS or ESM by package.json), `.mjs`, `.cjs`. */
async function importModule(basePath: string): Promise<unknown> {
  for (const extension of ['.js', '.mjs', '.cjs']) {
    const file = basePath + extension;
    if (!existsSync(file)) continue;
    const esm = extension === '.mjs' || (extension === '.js' && isTypeModule(path.dirname(file)));
    return esm ? await import(pathToFileURL(file).href) : createRequire(file)(file);
  }
  return undefined;
}

function importFailure(thrown: unknown): LoadResult {
  const info = toErrorInfo(thrown);
  const code = (thrown as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return failure('Runtime.ImportModuleError', `${info.errorType}: ${info.errorMessage}`, info.trace);
  }
  if (thrown instanceof SyntaxError) {
    return failure('Runtime.UserCodeSyntaxError', `${info.errorType}: ${info.errorMessage}`, info.trace);
  }
  // Anything the module scope throws is reported as itself, like Lambda's init errors.
  return { ok: false, error: info };
}

/** Imports `codeDir/<path>/<module>` and resolves `<export>[.<nested>]` from a handler string. */
export async function loadHandler(codeDir: string, handlerString: string): Promise<LoadResult> {
  if (handlerString.includes('..')) {
    return failure(
      'Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const slash = handlerString.lastIndexOf('/');
  const moduleRoot = handlerString.slice(0, slash + 1);
  const match = /^([^.]*)\.(.*)$/.exec(handlerString.slice(slash + 1));
  if (match === null) return failure('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  const [, moduleName = '', exportPath = ''] = match;

  let loaded: unknown;
  try {
    loaded = await importModule(path.resolve(codeDir, moduleRoot, moduleName));
  } catch (thrown) {
    return importFailure(thrown);
  }
  if (loaded === undefined) {
    return failure(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleRoot}${moduleName}' (looked for ${moduleName}.js, .mjs and .cjs in ${path.join(codeDir, moduleRoot)})`,
    );
  }
  const handler = exportPath
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], loaded);
  if (handler === undefined) {
    return failure('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    return failure('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  }
  return { ok: true, handler: handler as Handler };
}

export interface ContextFields {
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly requestId: string;
  readonly deadlineMs: number;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Calls the handler with a Lambda context. The first of: the returned promise settling, the callback,
 * `context.done/succeed/fail` — or, for a non-async handler without a callback parameter, its return
 * value — decides the result; later ones are ignored, as in Lambda.
 */
export function runHandler(handler: Handler, event: unknown, fields: ContextFields): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const succeed = (result?: unknown) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const callback: Callback = (error, result) => (error == null ? succeed(result) : fail(error));
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fields.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: fields.functionArn,
      memoryLimitInMB: String(fields.memoryMb),
      awsRequestId: fields.requestId,
      logGroupName: fields.logGroupName,
      logStreamName: fields.logStreamName,
      getRemainingTimeInMillis: () => Math.max(0, fields.deadlineMs - Date.now()),
      done: callback,
      fail,
      succeed: (result: unknown) => succeed(result),
    };
    const returned = handler(event, context, callback);
    if (isThenable(returned)) returned.then(succeed, fail);
    else if (handler.length < 3) succeed(returned);
  });
}
