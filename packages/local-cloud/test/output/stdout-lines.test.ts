import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(import.meta.dirname, '../..');
const child = path.join(import.meta.dirname, 'stdout-lines-child.ts');

/** Runs the child with a stdout pipe nobody reads until the child says it queued every line. */
async function run(count: number, maxBufferedBytes?: number): Promise<string[]> {
  const args = ['--import', 'tsx', child, String(count)];
  if (maxBufferedBytes !== undefined) args.push(String(maxBufferedBytes));
  const proc = spawn(process.execPath, args, {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const queued = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child blocked on its unread stdout')), 15_000);
    proc.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    await queued;
  } catch (error) {
    proc.kill('SIGKILL');
    throw error;
  }
  let output = '';
  if (!proc.stdout) throw new Error('no stdout pipe');
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  proc.send('finish');
  expect(await exited).toBe(0);
  return output.split('\n').filter((line) => line !== '');
}

describe('non-blocking stdout lines', () => {
  // 20 000 lines ≈ 2.2 MB, thirty times a pipe's 64 KB buffer: a synchronous write would block the child.
  it('queues output a reader does not take yet without blocking, and writes every line in order', async () => {
    const lines = await run(20_000);

    expect(lines).toHaveLength(20_001);
    expect(lines.slice(0, -1).every((line, i) => line.startsWith(`line ${i} `))).toBe(true);
    expect(lines.at(-1)).toBe('last');
  }, 30_000);

  it('drops lines past its bound, and says how many once the reader catches up', async () => {
    const lines = await run(20_000, 256 * 1024);

    const written = lines.filter((line) => line.startsWith('line '));
    const notice = lines
      .at(-1)
      ?.match(/^local-cloud: (\d+) output line\(s\) dropped: stdout was not read fast enough$/);
    expect(lines.at(-2)).toBe('last');
    expect(notice).not.toBeNull();
    const dropped = Number(notice?.[1]);
    expect(dropped).toBeGreaterThan(0);
    // Nothing vanished unaccounted: every line was either written or counted as dropped.
    expect(written.length + dropped).toBe(20_000);
    // The lines that got through are the first ones, in order (the later ones found the queue full).
    expect(written.every((line, i) => line.startsWith(`line ${i} `))).toBe(true);
  }, 30_000);
});
