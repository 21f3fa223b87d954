/** A local cloud started on a one-stack assembly written from a template, for a test file's lifetime. */
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Template } from '../../src/assembly/template';
import { type LocalCloud, startLocalCloud } from '../../src/cloud';
import { removeTempDirs, tempDir, writeAssembly } from '../assembly/helpers';

export interface StartedCloud {
  /** The running cloud (throws before `beforeAll` has started it). */
  readonly cloud: () => LocalCloud;
  /** Its progress and gap lines, in order. */
  readonly lines: readonly string[];
}

/**
 * Writes `template` as stack `stackId`, starts a local cloud on it (free ports, function output dropped)
 * before the tests of the enclosing suite and closes it after them.
 */
export function startedCloud(stackId: string, template: Template): StartedCloud {
  let running: LocalCloud | undefined;
  const lines: string[] = [];
  beforeAll(async () => {
    const dir = path.join(tempDir(`${stackId}-`), 'cdk.out');
    writeAssembly(dir, { stacks: [{ id: stackId, template }] });
    running = await startLocalCloud({
      assemblyDir: dir,
      port: 0,
      log: (line) => lines.push(line),
      functionLogs: () => {},
    });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    removeTempDirs();
  });
  return {
    cloud: () => {
      if (!running) throw new Error('the local cloud has not started');
      return running;
    },
    lines,
  };
}
