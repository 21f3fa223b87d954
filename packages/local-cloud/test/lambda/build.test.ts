import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildLocalCloud } from '../../scripts/build';
import { lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('scripts/build.ts', () => {
  it('bundles the runtime for plain Node, and the built runtime finds its built worker', async () => {
    const outDir = path.join(await bed.bundle({}), 'dist');

    const { outputs, skipped } = await buildLocalCloud({ packageDir, outDir });

    expect(outputs).toEqual(
      expect.arrayContaining([path.join(outDir, 'lambda.js'), path.join(outDir, 'lambda-worker.js')]),
    );
    for (const source of skipped) expect(existsSync(path.join(packageDir, source))).toBe(false);
    const worker = readFileSync(path.join(outDir, 'lambda-worker.js'), 'utf8');
    expect(worker.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(existsSync(path.join(outDir, 'lambda-worker.js.map'))).toBe(true);
    if (existsSync(path.join(packageDir, 'src/cli.ts'))) {
      expect(readFileSync(path.join(outDir, 'cli.js'), 'utf8').startsWith('#!')).toBe(true);
    }

    const code = await bed.bundle({
      'index.mjs': `export const handler = (event) => { if (event.fail) throw new Error('from dist'); return { esm: typeof require === 'undefined' }; };`,
    });
    const script = `
      import { LambdaRuntime } from ${JSON.stringify(pathToFileURL(path.join(outDir, 'lambda.js')).href)};
      const runtime = new LambdaRuntime({
        logSink: () => {},
        functions: [{ name: 'f', arn: 'arn:aws:lambda:us-east-1:1:function:f', handler: 'index.handler', codeDir: ${JSON.stringify(code)},
          runtime: 'nodejs22.x', environment: {}, timeoutSeconds: 3, memoryMb: 128, region: 'us-east-1', accountId: '1' }],
      });
      const ok = await runtime.invoke('f', {});
      const failed = await runtime.invoke('f', { fail: true });
      await runtime.close();
      console.log(JSON.stringify({ ok, failed }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outDir,
      timeout: 10_000,
    });
    const { ok, failed } = JSON.parse(stdout) as {
      ok: unknown;
      failed: { errorMessage: string; trace: string[] };
    };

    expect(ok).toMatchObject({ ok: true, result: { esm: true } });
    expect(failed.errorMessage).toBe('from dist');
    expect(failed.trace.join('\n')).toContain(pathToFileURL(path.join(outDir, 'lambda-worker.js')).href);
  });
});
