import { mkdir, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { once } from './engine.js';

const LOCK_FILE = '.local-cloud-dynamodb.lock';

/** Directories this process holds (two services in one process share a pid, so the file alone can't tell). */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, by: string): Error {
  return new Error(
    `DynamoDB persistDir ${dir} is in use by ${by}. Two engines on one data directory corrupt it (dynalite's ` +
      'LevelDB even crashes the process); stop the other local cloud or choose another directory.',
  );
}

/**
 * Claims a data directory for this service until the returned release function runs. A lock file left by
 * a process that is gone is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = resolve(dir);
  if (held.has(path)) throw inUse(path, 'another DynamoDB service in this process');
  await mkdir(path, { recursive: true });
  const lockPath = join(path, LOCK_FILE);
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const pid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) throw inUse(path, `process ${pid}`);
    await writeFile(lockPath, String(process.pid));
  }
  held.add(path);
  return once(async () => {
    held.delete(path);
    await unlink(lockPath).catch(() => undefined);
  });
}
