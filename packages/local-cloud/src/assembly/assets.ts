import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { AssemblyError } from './errors';
import type { FunctionCode } from './model';

/** One file asset of an asset manifest (`*.assets.json`). */
export interface FileAsset {
  readonly hash: string;
  /** Absolute path of the asset in the assembly (`…/asset.<hash>` directory or file). */
  readonly path: string;
  /** `zip`: a directory that CDK zips on publish; `file`: published as is (e.g. a `.zip`). */
  readonly packaging: 'zip' | 'file';
  /** S3 object keys it is published under, e.g. `<hash>.zip`. */
  readonly objectKeys: readonly string[];
}

interface AssetManifestJson {
  readonly files?: {
    readonly [hash: string]: {
      readonly source?: {
        readonly path?: string;
        readonly packaging?: string;
        readonly executable?: unknown;
      };
      readonly destinations?: { readonly [id: string]: { readonly objectKey?: string } };
    };
  };
}

export async function readAssetManifest(file: string): Promise<FileAsset[]> {
  let parsed: AssetManifestJson;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as AssetManifestJson;
  } catch (error) {
    throw new AssemblyError(
      'INVALID_ARTIFACT',
      `Cannot read the asset manifest ${file}: ${(error as Error).message}`,
    );
  }
  const out: FileAsset[] = [];
  for (const [hash, entry] of Object.entries(parsed.files ?? {})) {
    const path = entry.source?.path;
    if (typeof path !== 'string') continue; // `executable` assets are built at publish time
    out.push({
      hash,
      path: resolve(dirname(file), path),
      packaging: entry.source?.packaging === 'file' ? 'file' : 'zip',
      objectKeys: Object.values(entry.destinations ?? {}).flatMap((d) => (d.objectKey ? [d.objectKey] : [])),
    });
  }
  return out;
}

/** File assets by S3 object key and by hash. */
export class AssetIndex {
  readonly #byKey = new Map<string, FileAsset>();
  readonly #byHash = new Map<string, FileAsset>();

  add(assets: readonly FileAsset[]): void {
    for (const asset of assets) {
      this.#byHash.set(asset.hash, asset);
      for (const key of asset.objectKeys) this.#byKey.set(key, asset);
    }
  }

  byObjectKey(key: string): FileAsset | undefined {
    return this.#byKey.get(key) ?? this.#byKey.get(key.split('/').pop() ?? key);
  }

  byHash(hash: string): FileAsset | undefined {
    return this.#byHash.get(hash);
  }
}

export interface CodeReference {
  /** Resource `Metadata` (CDK adds `aws:asset:path` / `aws:asset:property` when asked to). */
  readonly metadata: { readonly [key: string]: unknown } | undefined;
  /** The property holding the code: `Code` (functions) or `Content` (layers). */
  readonly property: string;
  readonly s3Bucket: string | undefined;
  readonly s3Key: string | undefined;
  /** Directory of the template (metadata paths are relative to it). */
  readonly templateDir: string;
  /** For error messages, e.g. `dev-notes/Fn9270CBC0`. */
  readonly owner: string;
}

/**
 * Finds the local copy of S3-hosted code: by the resource's `aws:asset:path` metadata, else by
 * matching `S3Key` with the asset manifests' object keys (`<hash>.zip`). Throws when the assembly
 * names an asset that is missing on disk; returns `unavailable` for code that was never an asset
 * of this assembly.
 */
export function locateCode(ref: CodeReference, assets: AssetIndex): FunctionCode {
  const metaPath = ref.metadata?.['aws:asset:path'];
  const metaProperty = ref.metadata?.['aws:asset:property'];
  let path: string | undefined;
  let hash: string | undefined;
  const fromKey = ref.s3Key === undefined ? undefined : assets.byObjectKey(ref.s3Key);
  if (typeof metaPath === 'string' && (metaProperty === undefined || metaProperty === ref.property)) {
    path = resolve(ref.templateDir, metaPath);
    hash = fromKey?.hash ?? /^asset\.([0-9a-f]{64})/.exec(basename(path))?.[1];
  } else if (fromKey) {
    path = fromKey.path;
    hash = fromKey.hash;
  }
  if (path === undefined) {
    return {
      kind: 'unavailable',
      reason: `code is in s3://${ref.s3Bucket ?? '?'}/${ref.s3Key ?? '?'}, which is not an asset of this assembly`,
    };
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new AssemblyError(
      'ASSET_MISSING',
      `${ref.owner}: its ${ref.property} asset ${path} is missing; synthesize the app again (cdk synth).`,
    );
  }
  return isDirectory ? { kind: 'directory', path, assetHash: hash } : { kind: 'zip', path, assetHash: hash };
}
