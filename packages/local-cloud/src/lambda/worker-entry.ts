/**
 * Where the worker bootstrap comes from, in both ways the runtime can run:
 * - built (`dist/*.js`, plain Node): the bundle `dist/lambda-worker.js` next to the running bundle;
 * - from TypeScript source (Vitest, tsx): worker.ts bundled once per process with esbuild (a dev
 *   dependency at the root) into a content-addressed `.mjs` file in the temp folder.
 *
 * Why not run worker.ts itself: Node 20 cannot start a worker from a `.ts` file — loader hooks passed in
 * the worker's `execArgv` (`--import tsx`) do not apply to its main module, and registering tsx inside each
 * worker costs ~200 ms per cold start. Why not `eval` code: an eval worker runs like `node -e`, with
 * `require` and `module` as globals that ESM handlers would see (and that Lambda does not have).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let entry: Promise<URL> | undefined;

async function bundleSource(source: URL): Promise<URL> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(source)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no worker bundle');
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'local-cloud');
  const file = path.join(dir, `lambda-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    // Test files run in parallel processes: write aside, then rename (atomic) into place.
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, code);
    await rename(partial, file);
  }
  return pathToFileURL(file);
}

/** The worker bootstrap's file URL (resolved once per process). */
export function workerEntry(): Promise<URL> {
  entry ??= import.meta.url.endsWith('.ts')
    ? bundleSource(new URL('./worker.ts', import.meta.url))
    : Promise.resolve(new URL('./lambda-worker.js', import.meta.url));
  return entry;
}
