/**
 * The shared-memory invocation queue (src/lambda/queue.ts) through the runtime: payloads of every size,
 * more invocations than the queue has slots, FIFO order across workers, and reloads with queued work.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOT_BYTES, SLOT_COUNT } from '../../src/lambda/queue';
import { expectOk, fnConfig, lambdaTestbed } from './fixtures';

const bed = lambdaTestbed();

/** Answers the event's length and text checksum, and which call of this worker it was. */
const ECHO = `let calls = 0;
export const handler = async (event) => {
  let sum = 0;
  for (let i = 0; i < event.text.length; i++) sum = (sum + event.text.charCodeAt(i)) % 1000003;
  return { id: event.id, length: event.text.length, sum, calls: ++calls };
};`;

function checksum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) % 1000003;
  return sum;
}

describe('invocation queue', () => {
  it('passes small and large events intact, also to workers started after a large one was queued', async () => {
    const dir = await bed.bundle({ 'index.mjs': ECHO });
    const { runtime } = bed.runtime({ functions: [fnConfig('echo', dir)] });

    // Multi-byte text on both sides of the slot size; several at once so new workers start meanwhile.
    const texts = [10, SLOT_BYTES / 4, SLOT_BYTES, 3 * SLOT_BYTES, 2_000_000].map((n, i) =>
      `é${'x€'.repeat(n)}${i}`.slice(0, n + 2),
    );
    const results = await Promise.all(texts.map((text, id) => runtime.invoke('echo', { id, text })));
    results.forEach((result, id) => {
      const text = texts[id] as string;
      expect(expectOk(result).result).toMatchObject({ id, length: text.length, sum: checksum(text) });
    });
    // A warm worker still reads them.
    const again = await runtime.invoke('echo', { id: 9, text: texts[4] });
    expect(expectOk(again).result).toMatchObject({ id: 9, length: (texts[4] as string).length });
  });

  it('keeps FIFO order beyond the queue slots, with one worker serving them in turn', async () => {
    const dir = await bed.bundle({ 'index.mjs': ECHO });
    const { runtime } = bed.runtime({ functions: [fnConfig('fifo', dir)], maxConcurrency: 1 });

    const count = SLOT_COUNT * 2 + 5;
    const results = await Promise.all(
      Array.from({ length: count }, (_, id) => runtime.invoke('fifo', { id, text: 'x' })),
    );
    // `calls` counts per worker: one worker, so call n ran n-th — in the order the invocations came.
    expect(results.map((r) => (expectOk(r).result as { calls: number }).calls)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    );
    expect(runtime.stats()[0]).toMatchObject({ workers: 1, coldStarts: 1, queued: 0 });
  });

  it('runs invocations queued at a reload on the new code', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 50)); return 'old'; };`,
    });
    const { runtime } = bed.runtime({ functions: [fnConfig('moving', dir)], maxConcurrency: 1 });

    expectOk(await runtime.invoke('moving', {})); // a warm worker
    const running = runtime.invoke('moving', {});
    await new Promise((resolve) => setTimeout(resolve, 20)); // it has taken this one
    const queued = [runtime.invoke('moving', {}), runtime.invoke('moving', {})];
    await writeFile(path.join(dir, 'index.mjs'), `export const handler = async () => 'new';`);
    runtime.reload('moving');

    expect(expectOk(await running).result).toBe('old'); // drained on the old code
    expect((await Promise.all(queued)).map((r) => expectOk(r).result)).toEqual(['new', 'new']);
  });

  it('settles every invocation under load, through reloads and callers that give up', async () => {
    const dir = await bed.bundle({
      'index.mjs': `export const handler = async (event) => {
        if (event.wait) await new Promise((r) => setTimeout(r, event.wait));
        return event.id;
      };`,
    });
    const { runtime } = bed.runtime({
      functions: [fnConfig('busy', dir)],
      maxConcurrency: 3,
      idleTimeoutMs: 30,
    });

    const calls: Promise<unknown>[] = [];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++) {
        const id = round * 100 + i;
        const deadline = i % 7 === 0 ? { deadline: Date.now() + 5 } : {};
        calls.push(runtime.invoke('busy', { id, wait: i % 5 === 0 ? 15 : 0 }, deadline));
      }
      if (round % 2 === 1) runtime.reload('busy');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const results = await Promise.all(calls);
    for (const result of results) {
      const r = result as { ok: boolean; errorType?: string };
      if (!r.ok) expect(r.errorType).toBe('Local.DeadlineExceeded');
    }
    expect(results.filter((r) => (r as { ok: boolean }).ok).length).toBeGreaterThan(150);
    expect(runtime.stats()[0]).toMatchObject({ inFlight: 0, queued: 0 });
  });
});
