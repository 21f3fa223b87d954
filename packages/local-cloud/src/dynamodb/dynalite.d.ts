/**
 * Minimal types for dynalite 4.0.0 (the package ships none usable from TypeScript): the factory and the
 * options local-cloud passes. It returns a plain `http.Server` whose `close` also closes the LevelDB store.
 */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; absent = in memory. */
    path?: string;
    /** How long a table stays CREATING / DELETING / UPDATING (default 500 ms each). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** Default 400. */
    maxItemSizeKb?: number;
    ssl?: boolean;
    /** Process-wide switches in dynalite (module globals): never set by local-cloud. */
    verbose?: boolean;
    debug?: boolean;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
