/**
 * Child process of stdout-lines.test.ts: queues `count` lines on its stdout (a pipe the parent does not
 * read yet), tells the parent over IPC that it got past them, then on 'finish' writes one last line and
 * flushes. With a blocking writer it would never get to say 'queued'.
 */
import { nonBlockingLines } from '../../src/stdout-lines';

const count = Number(process.argv[2]);
const maxBufferedBytes = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const out = nonBlockingLines(maxBufferedBytes === undefined ? {} : { maxBufferedBytes });

for (let i = 0; i < count; i++) out.line(`line ${i} ${'x'.repeat(100)}`);
process.send?.('queued');
process.on('message', async (message) => {
  if (message !== 'finish') return;
  await out.flush(); // the parent reads now
  out.line('last');
  await out.flush();
  process.disconnect();
});
