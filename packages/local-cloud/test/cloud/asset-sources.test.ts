import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAssetSources, projectRootOf } from '../../src/cloud/asset-sources';

let root: string;

async function put(rel: string, content: string): Promise<void> {
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

/** A project with two bundles, their synthesized copies, and decoys. */
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'asset-sources-'));
  await mkdir(path.join(root, '.git'));
  for (const dir of ['apps/notes/dist/list', 'infra/cdk.out/asset.aaa']) {
    await put(`${dir}/index.mjs`, 'export const handler = async () => "list";\n'.repeat(20));
    await put(`${dir}/lib/util.mjs`, 'export const x = 1;\n');
  }
  await put('apps/notes/dist/list/README.txt', 'extra files in the source are fine');
  // Same entry file, different helper: not a match.
  await put('apps/notes/dist/stale/index.mjs', 'export const handler = async () => "list";\n'.repeat(20));
  await put('apps/notes/dist/stale/lib/util.mjs', 'export const x = 2;\n');
  // Two identical bundles: ambiguous.
  for (const dir of ['apps/a/dist/health', 'apps/b/dist/health', 'infra/cdk.out/asset.bbb']) {
    await put(`${dir}/index.mjs`, 'export const handler = async () => "ok";\n');
  }
  // Never searched: node_modules, dot folders, other assemblies.
  await put('node_modules/pkg/index.mjs', 'export const handler = async () => "list";\n'.repeat(20));
  await put('node_modules/pkg/lib/util.mjs', 'export const x = 1;\n');
  // Bundled during synth: exists only in the assembly.
  await put('infra/cdk.out/asset.ccc/index.js', 'exports.handler = async () => "synth-time bundle";\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('findAssetSources', () => {
  it("finds each asset's byte-identical original, and reports assets with several", async () => {
    const assembly = path.join(root, 'infra/cdk.out');
    const { sources, ambiguous } = await findAssetSources(
      ['asset.aaa', 'asset.bbb', 'asset.ccc'].map((name) => path.join(assembly, name)),
      { searchRoot: root, exclude: [assembly] },
    );
    expect(Object.fromEntries(sources)).toEqual({
      [path.join(assembly, 'asset.aaa')]: path.join(root, 'apps/notes/dist/list'),
    });
    expect(Object.fromEntries(ambiguous)).toEqual({
      [path.join(assembly, 'asset.bbb')]: [
        path.join(root, 'apps/a/dist/health'),
        path.join(root, 'apps/b/dist/health'),
      ],
    });
  });

  it('finds nothing for no assets or missing ones', async () => {
    expect((await findAssetSources([], { searchRoot: root })).sources.size).toBe(0);
    expect((await findAssetSources([path.join(root, 'nope')], { searchRoot: root })).sources.size).toBe(0);
  });
});

describe('projectRootOf', () => {
  it('is the nearest folder with .git, else the folder itself', async () => {
    expect(projectRootOf(path.join(root, 'infra'))).toBe(root);
    const lonely = await mkdtemp(path.join(os.tmpdir(), 'no-git-'));
    try {
      expect(projectRootOf(lonely)).toBe(lonely);
    } finally {
      await rm(lonely, { recursive: true, force: true });
    }
  });
});
