/**
 * Notices a new synth: `cdk synth` rewrites the assembly's `manifest.json` last, after the templates and
 * asset copies. The file is polled (stat), which survives the file or its folder being replaced.
 * Reports are debounced and never overlap: a synth during a reload is reported again when it ends.
 */
import { type Stats, unwatchFile, watchFile } from 'node:fs';

export interface AssemblyWatcher {
  close(): void;
}

export function watchAssembly(
  manifestFile: string,
  onSynth: () => Promise<void>,
  options: { readonly intervalMs?: number; readonly debounceMs?: number } = {},
): AssemblyWatcher {
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const run = () => {
    timer = undefined;
    if (closed) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = onSynth()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        if (again && !closed) {
          again = false;
          run();
        }
      });
  };
  const listener = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs || current.mtimeMs === 0) return; // unchanged, or gone for now
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
    timer.unref();
  };
  watchFile(manifestFile, { interval: options.intervalMs ?? 500, persistent: false }, listener);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      unwatchFile(manifestFile, listener);
    },
  };
}
