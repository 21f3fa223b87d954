/**
 * Watches code folders and reports, debounced, which one changed. A build that deletes and recreates the
 * folder (e.g. `rm -rf dist`) kills an inotify watch, so each change re-creates the watcher, retrying
 * for a while until the folder is back.
 */
import { existsSync, type FSWatcher, watch } from 'node:fs';

/** How long to wait for a missing folder: 60 × 250 ms. */
const MAX_RETRIES = 60;
const RETRY_MS = 250;

interface Entry {
  watcher?: FSWatcher;
  timer?: NodeJS.Timeout;
  /** A change is waiting for the debounce to end. */
  changed: boolean;
  retries: number;
}

function watchFolder(dir: string, listener: () => void): FSWatcher {
  try {
    return watch(dir, { recursive: true, persistent: false }, listener);
  } catch {
    // Recursive watching is unavailable on some platforms and file systems: watch the top level only.
    return watch(dir, { persistent: false }, listener);
  }
}

export class CodeWatcher {
  readonly #entries = new Map<string, Entry>();
  readonly #onChange: (dir: string) => void;
  readonly #debounceMs: number;

  constructor(onChange: (dir: string) => void, debounceMs: number) {
    this.#onChange = onChange;
    this.#debounceMs = debounceMs;
  }

  /** Watches exactly these folders from now on. */
  sync(dirs: Iterable<string>): void {
    const wanted = new Set(dirs);
    for (const dir of this.#entries.keys()) if (!wanted.has(dir)) this.#unwatch(dir);
    for (const dir of wanted) {
      if (this.#entries.has(dir)) continue;
      const entry: Entry = { changed: false, retries: 0 };
      this.#entries.set(dir, entry);
      this.#watch(dir, entry);
    }
  }

  close(): void {
    for (const dir of [...this.#entries.keys()]) this.#unwatch(dir);
  }

  #unwatch(dir: string): void {
    const entry = this.#entries.get(dir);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    entry.watcher?.close();
    this.#entries.delete(dir);
  }

  #watch(dir: string, entry: Entry): void {
    entry.watcher?.close();
    entry.watcher = undefined;
    if (!existsSync(dir)) {
      if (entry.retries++ < MAX_RETRIES) this.#schedule(dir, entry, false, RETRY_MS);
      return;
    }
    if (entry.retries > 0) {
      // It was gone and is back: whatever is in it now is new.
      entry.retries = 0;
      this.#onChange(dir);
    }
    try {
      entry.watcher = watchFolder(dir, () => this.#schedule(dir, entry, true, this.#debounceMs));
    } catch {
      this.#schedule(dir, entry, false, RETRY_MS);
      return;
    }
    // The folder went away: wait for it to come back.
    entry.watcher.on('error', () => this.#schedule(dir, entry, false, RETRY_MS));
  }

  #schedule(dir: string, entry: Entry, changed: boolean, delayMs: number): void {
    clearTimeout(entry.timer);
    entry.changed ||= changed;
    entry.timer = setTimeout(() => {
      if (this.#entries.get(dir) !== entry) return;
      if (entry.changed) this.#onChange(dir);
      entry.changed = false;
      this.#watch(dir, entry);
    }, delayMs);
    entry.timer.unref();
  }
}
