/**
 * Bundles every Lambda handler of the workspace it runs in — one ESM file per handler.
 *
 * Convention: each file in `src/handlers/` is one Lambda function and exports `handler`.
 * Output: `dist/<name>/index.mjs` (+ source map), so each folder is exactly one Lambda code asset
 * (`Code.fromAsset('dist/<name>')`, handler `index.handler`). The esbuild metafile goes to
 * `dist/.meta/metafile.json`, outside every asset folder, so it is never shipped to Lambda.
 *
 * Run from a workspace: `tsx ../../scripts/bundle-handlers.ts` (each app's `build` script).
 */

import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const workspace = process.cwd();
const handlersDir = path.join(workspace, 'src', 'handlers');
const outDir = path.join(workspace, 'dist');

// The Powertools tracer pulls in the X-Ray SDK, which is CommonJS and calls `require` at run time;
// ESM output has no `require`, so we recreate it (without this: "Dynamic require of "util" is not supported").
const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

async function findHandlers(): Promise<string[]> {
  const entries = await readdir(handlersDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(handlersDir, e.name))
    .sort();
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const entryPoints = await findHandlers();
  if (entryPoints.length === 0) {
    throw new Error(`no handlers found in ${path.relative(process.cwd(), handlersDir)}`);
  }
  await rm(outDir, { recursive: true, force: true });

  const result = await build({
    entryPoints,
    outdir: outDir,
    entryNames: '[name]/index',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Deployed on nodejs24.x (SERVICE_RUNTIME in infra); the local cloud runs the same bundle on Node 20, so target the lower one.
    target: 'node20',
    minify: true,
    sourcemap: true,
    // Prefer ESM builds of dependencies: smaller bundles, tree-shaken.
    mainFields: ['module', 'main'],
    banner: { js: requireShim },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });

  await mkdir(path.join(outDir, '.meta'), { recursive: true });
  await writeFile(path.join(outDir, '.meta', 'metafile.json'), JSON.stringify(result.metafile));

  const rows = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .map(([file, info]) => {
      const absolute = path.resolve(file);
      const gz = gzipSync(readFileSync(absolute)).length;
      return { handler: path.basename(path.dirname(absolute)), size: info.bytes, gzip: gz };
    });
  const pkg = path.basename(workspace);
  const width = Math.max(...rows.map((r) => r.handler.length), 'handler'.length);
  console.log(`\n${pkg}: ${rows.length} handler bundle(s) in ${Math.round(performance.now() - started)} ms`);
  console.log(`  ${'handler'.padEnd(width)}  ${'size'.padStart(10)}  ${'gzip'.padStart(10)}`);
  for (const r of rows) {
    console.log(`  ${r.handler.padEnd(width)}  ${kib(r.size).padStart(10)}  ${kib(r.gzip).padStart(10)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
