/**
 * Bundles local-cloud's runtime entry points to `dist/` for plain Node (no tsx, no TypeScript):
 *
 * | source                 | output                  | what                                   |
 * |------------------------|-------------------------|----------------------------------------|
 * | `src/cli.ts`           | `dist/cli.js`           | the `local-cloud` bin (when it exists) |
 * | `src/index.ts`         | `dist/index.js`         | the package API (when it exists)       |
 * | `src/lambda/index.ts`  | `dist/lambda.js`        | the Lambda runtime on its own          |
 * | `src/lambda/worker.ts` | `dist/lambda-worker.js` | the worker bootstrap                   |
 *
 * All outputs sit side by side at the top of `dist/`: a bundle finds its worker as
 * `new URL('./lambda-worker.js', import.meta.url)`. Dependencies stay external (they are installed
 * next to the package; dynalite has a native binding that cannot be bundled).
 *
 * Run: `npm run build` in packages/local-cloud (`tsx scripts/build.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

// Bundled CommonJS dependencies may call `require` at run time; ESM output has none, so recreate it.
const requireShim =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const ENTRIES = [
  { source: 'src/cli.ts', output: 'cli' },
  { source: 'src/index.ts', output: 'index' },
  { source: 'src/lambda/index.ts', output: 'lambda' },
  { source: 'src/lambda/worker.ts', output: 'lambda-worker' },
] as const;

export interface BuildResult {
  /** Absolute paths of the JavaScript files written. */
  readonly outputs: string[];
  /** Entry points that do not exist (yet) and were left out. */
  readonly skipped: string[];
}

export async function buildLocalCloud(options: { packageDir: string; outDir: string }): Promise<BuildResult> {
  const { packageDir, outDir } = options;
  const present = ENTRIES.filter((entry) => existsSync(path.join(packageDir, entry.source)));
  const skipped = ENTRIES.filter((entry) => !present.includes(entry)).map((entry) => entry.source);
  await rm(outDir, { recursive: true, force: true });

  const common: BuildOptions = {
    absWorkingDir: packageDir,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    packages: 'external',
    logLevel: 'warning',
  };
  const cli = present.find((entry) => entry.source === 'src/cli.ts');
  const library = present.filter((entry) => entry !== cli);
  const builds: Promise<unknown>[] = [];
  if (library.length > 0) {
    builds.push(
      build({
        ...common,
        entryPoints: library.map((entry) => ({ in: entry.source, out: entry.output })),
        banner: { js: requireShim },
      }),
    );
  }
  if (cli !== undefined) {
    // The bin needs a hashbang first; esbuild keeps one the source already has.
    const hasHashbang = readFileSync(path.join(packageDir, cli.source), 'utf8').startsWith('#!');
    builds.push(
      build({
        ...common,
        entryPoints: [{ in: cli.source, out: cli.output }],
        banner: { js: hasHashbang ? requireShim : `#!/usr/bin/env node\n${requireShim}` },
      }),
    );
  }
  await Promise.all(builds);

  const outputs = present.map((entry) => path.join(outDir, `${entry.output}.js`));
  if (cli !== undefined) await chmod(path.join(outDir, 'cli.js'), 0o755);
  return { outputs, skipped };
}

async function main(): Promise<void> {
  const started = performance.now();
  const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { outputs, skipped } = await buildLocalCloud({ packageDir, outDir: path.join(packageDir, 'dist') });
  const names = outputs.map((file) => path.relative(packageDir, file)).join(', ');
  console.log(`local-cloud: built ${names} in ${Math.round(performance.now() - started)} ms`);
  if (skipped.length > 0) console.log(`  not built (no source yet): ${skipped.join(', ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
