/**
 * Where a function's code came from. A synthesized assembly holds COPIES of the code directories
 * (`cdk.out/asset.<hash>/`), made at synth time, and records no trace of the originals. So a rebuild of the
 * app (which rewrites e.g. `apps/notes/dist/list/`) is invisible in the assembly until the next synth.
 *
 * To reload on a rebuild anyway, the local cloud looks for each asset's original: a directory of the
 * project holding the same files with the same bytes (extra files are allowed, as in an asset with
 * `exclude` patterns). Exactly one such directory → the function runs from it while watching, so the next
 * build reloads it. None (code bundled during synth, e.g. `NodejsFunction`) or several → the function runs
 * from its asset and reloads on the next synth only.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

interface AssetFile {
  readonly rel: string;
  readonly size: number;
}

interface AssetIndex {
  readonly dir: string;
  readonly files: readonly AssetFile[];
  /** The most telling file (the largest): candidates are found through it. */
  readonly key: AssetFile;
}

/** Assets with more files than this (vendored node_modules…) are not looked for. */
const MAX_ASSET_FILES = 200;
/** Bounds of the project walk. */
const MAX_DEPTH = 12;
const MAX_DIRECTORIES = 20_000;

async function listFiles(dir: string, limit: number): Promise<AssetFile[] | undefined> {
  const files: AssetFile[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) pending.push(entryRel);
      else if (entry.isFile()) {
        files.push({ rel: entryRel, size: (await stat(path.join(dir, entryRel))).size });
        if (files.length > limit) return undefined;
      }
    }
  }
  return files;
}

async function indexAsset(dir: string): Promise<AssetIndex | undefined> {
  const files = await listFiles(dir, MAX_ASSET_FILES).catch(() => undefined);
  if (files === undefined || files.length === 0) return undefined;
  const key = files.reduce((a, b) => (b.size > a.size ? b : a));
  return { dir, files, key };
}

/** The project a CDK app belongs to: the nearest folder up with `.git`, else the app's own folder. */
export function projectRootOf(appDir: string): string {
  let dir = path.resolve(appDir);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(appDir);
    dir = parent;
  }
}

function skipDirectory(name: string): boolean {
  return name === 'node_modules' || name === 'cdk.out' || name.startsWith('.') || name.startsWith('asset.');
}

/** Candidate roots: for every project file that looks like an asset's key file, the folder it would be the root of. */
async function candidates(
  searchRoot: string,
  assets: readonly AssetIndex[],
  exclude: ReadonlySet<string>,
): Promise<Map<AssetIndex, Set<string>>> {
  const names = new Set(assets.map((asset) => path.posix.basename(asset.key.rel)));
  const byKey = new Map<string, AssetIndex[]>();
  for (const asset of assets) {
    const id = `${path.posix.basename(asset.key.rel)}\0${asset.key.size}`;
    byKey.set(id, [...(byKey.get(id) ?? []), asset]);
  }
  const found = new Map<AssetIndex, Set<string>>();
  const queue: { dir: string; depth: number }[] = [{ dir: searchRoot, depth: 0 }];
  let visited = 0;
  while (queue.length > 0 && visited < MAX_DIRECTORIES) {
    const { dir, depth } = queue.shift() as { dir: string; depth: number };
    visited++;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !skipDirectory(entry.name) && !exclude.has(full)) {
          queue.push({ dir: full, depth: depth + 1 });
        }
        continue;
      }
      if (!entry.isFile() || !names.has(entry.name)) continue;
      const size = (await stat(full).catch(() => undefined))?.size;
      for (const asset of byKey.get(`${entry.name}\0${size}`) ?? []) {
        const suffix = path.join(...asset.key.rel.split('/'));
        if (!full.endsWith(`${path.sep}${suffix}`)) continue;
        const root = full.slice(0, full.length - suffix.length - 1);
        if (root === asset.dir) continue;
        found.set(asset, (found.get(asset) ?? new Set()).add(root));
      }
    }
  }
  return found;
}

async function sameBytes(asset: AssetIndex, root: string, hashes: Map<string, string>): Promise<boolean> {
  const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  for (const file of asset.files) {
    const theirs = await readFile(path.join(root, ...file.rel.split('/'))).catch(() => undefined);
    if (theirs === undefined || theirs.length !== file.size) return false;
    const ownPath = path.join(asset.dir, ...file.rel.split('/'));
    let own = hashes.get(ownPath);
    if (own === undefined) {
      own = digest(await readFile(ownPath));
      hashes.set(ownPath, own);
    }
    if (digest(theirs) !== own) return false;
  }
  return true;
}

export interface AssetSourceResult {
  /** Asset directory → the one project directory with the same content. */
  readonly sources: Map<string, string>;
  /** Asset directories that several project directories match (left alone). */
  readonly ambiguous: Map<string, string[]>;
}

/**
 * Finds the original of each asset directory under `searchRoot` (see the module comment). `exclude`
 * lists absolute directories not to search (the assembly itself).
 */
export async function findAssetSources(
  assetDirs: readonly string[],
  options: { readonly searchRoot: string; readonly exclude?: readonly string[] },
): Promise<AssetSourceResult> {
  const assets = (await Promise.all([...new Set(assetDirs)].map(indexAsset))).filter(
    (asset): asset is AssetIndex => asset !== undefined,
  );
  const sources = new Map<string, string>();
  const ambiguous = new Map<string, string[]>();
  if (assets.length === 0) return { sources, ambiguous };
  const exclude = new Set((options.exclude ?? []).map((dir) => path.resolve(dir)));
  const found = await candidates(path.resolve(options.searchRoot), assets, exclude);
  const hashes = new Map<string, string>();
  for (const [asset, roots] of found) {
    const matching: string[] = [];
    for (const root of roots) if (await sameBytes(asset, root, hashes)) matching.push(root);
    const [only] = matching;
    if (matching.length === 1 && only !== undefined) sources.set(asset.dir, only);
    else if (matching.length > 1) ambiguous.set(asset.dir, matching.sort());
  }
  return { sources, ambiguous };
}
