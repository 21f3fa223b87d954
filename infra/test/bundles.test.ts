import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allBundles,
  BUNDLE_ROOT_CONTEXT,
  type BundleRef,
  bundle,
  HANDLERS,
  MissingBundleError,
  resolveBundleDir,
} from '../lib/bundles';
import { makeFakeBundleRoot, removeDir } from './helpers/cdk';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let bundleRoot: string;
beforeAll(() => {
  bundleRoot = makeFakeBundleRoot([bundle('apps/http-api', 'health')]);
});
afterAll(() => removeDir(bundleRoot));

const scope = (context: Record<string, unknown> = {}) => new Stack(new App({ context }), 'S');

describe('bundles', () => {
  it('every handler infra deploys has a source file the bundler will turn into that bundle', () => {
    for (const ref of allBundles()) {
      const source = path.join(repoRoot, ref.workspace, 'src', 'handlers', `${ref.handler}.ts`);
      expect(existsSync(source), source).toBe(true);
    }
  });

  it('lists every workspace infra deploys from', () => {
    expect(Object.keys(HANDLERS)).toEqual([
      'apps/rest-api',
      'apps/http-api',
      'apps/websocket-chat',
      'packages/authorizers',
    ]);
  });

  it('resolves a bundle folder under the root given in context', () => {
    expect(
      resolveBundleDir(scope({ [BUNDLE_ROOT_CONTEXT]: bundleRoot }), bundle('apps/http-api', 'health')),
    ).toBe(path.join(bundleRoot, 'apps/http-api/dist/health'));
  });

  it('defaults to the repository root, and names the build command when a bundle is missing', () => {
    const ref: BundleRef = { workspace: 'apps/rest-api', handler: 'not-a-handler' };
    const error = (() => {
      try {
        resolveBundleDir(scope(), ref);
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected MissingBundleError');
    })();
    expect(error).toBeInstanceOf(MissingBundleError);
    expect((error as MissingBundleError).directory).toBe(
      path.join(repoRoot, 'apps/rest-api/dist/not-a-handler'),
    );
    expect((error as Error).message).toContain('Run `npm run build` first');
    expect((error as Error).message).toContain('npm run build -w apps/rest-api');
  });

  it('throws MissingBundleError for a folder without index.mjs', () => {
    expect(() =>
      resolveBundleDir(scope({ [BUNDLE_ROOT_CONTEXT]: bundleRoot }), bundle('apps/rest-api', 'health')),
    ).toThrow(MissingBundleError);
  });
});
