import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IConstruct } from 'constructs';

/**
 * The Lambda bundles infra deploys, by workspace. `scripts/bundle-handlers.ts` turns each
 * `<workspace>/src/handlers/<name>.ts` into `<workspace>/dist/<name>/index.mjs`, one code asset per folder.
 * infra never imports app code; it only knows these paths. Add a handler here before referencing it.
 * The build bundles every handler file, listed here or not: `packages/authorizers` also builds
 * `http-authorizer` (for HTTP APIs that need a Lambda authorizer), which no stack deploys.
 */
export const HANDLERS = {
  'apps/rest-api': [
    'health',
    'list-products',
    'get-product',
    'create-product',
    'update-product',
    'delete-product',
  ],
  'apps/http-api': [
    'health',
    'create-note',
    'list-notes',
    'get-note',
    'update-note',
    'delete-note',
    'export-notes',
  ],
  'apps/websocket-chat': ['health'],
  'packages/authorizers': ['token-authorizer', 'request-authorizer'],
} as const satisfies Record<string, readonly string[]>;

export type BundleWorkspace = keyof typeof HANDLERS;
export type HandlerName<W extends BundleWorkspace> = (typeof HANDLERS)[W][number];

/** One handler bundle: `<workspace>/dist/<handler>/index.mjs`, deployed with handler `index.handler`. */
export interface BundleRef {
  readonly workspace: BundleWorkspace;
  readonly handler: string;
}

/** A type-checked bundle reference: `bundle('apps/http-api', 'health')`. */
export function bundle<W extends BundleWorkspace>(workspace: W, handler: HandlerName<W>): BundleRef {
  return { workspace, handler };
}

/** Every bundle listed in {@link HANDLERS}. */
export function allBundles(): BundleRef[] {
  return Object.entries(HANDLERS).flatMap(([workspace, handlers]) =>
    handlers.map((handler) => ({ workspace: workspace as BundleWorkspace, handler })),
  );
}

/**
 * Context key that moves the root the bundle paths are resolved against (default: the repository root).
 * Tests point it at a temporary directory of stand-in bundles; `cdk synth -c serverless-reference:bundleRoot=DIR`
 * would do the same for a build produced elsewhere.
 */
export const BUNDLE_ROOT_CONTEXT = 'serverless-reference:bundleRoot';

/** The entry file inside a bundle folder (matches the handler string `index.handler`). */
export const BUNDLE_ENTRY = 'index.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A referenced bundle has not been built. */
export class MissingBundleError extends Error {
  override readonly name = 'MissingBundleError';
  readonly bundle: BundleRef;
  readonly directory: string;

  constructor(ref: BundleRef, directory: string) {
    super(
      `Lambda bundle ${ref.workspace}/dist/${ref.handler}/${BUNDLE_ENTRY} not found (looked in ${directory}). ` +
        `Run \`npm run build\` first (at the repository root, or \`npm run build -w ${ref.workspace}\`).`,
    );
    this.bundle = ref;
    this.directory = directory;
  }
}

/**
 * Absolute path of a bundle folder, checked to contain the entry file.
 * @throws MissingBundleError if the bundle has not been built
 */
export function resolveBundleDir(scope: IConstruct, ref: BundleRef): string {
  const override: unknown = scope.node.tryGetContext(BUNDLE_ROOT_CONTEXT);
  const root = typeof override === 'string' && override !== '' ? path.resolve(override) : repoRoot;
  const directory = path.join(root, ref.workspace, 'dist', ref.handler);
  if (!existsSync(path.join(directory, BUNDLE_ENTRY))) throw new MissingBundleError(ref, directory);
  return directory;
}
