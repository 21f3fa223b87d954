/** Minimal types for dynalite 4.0.0 (it ships none): the factory and the options the tests use. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; absent = in memory. */
    path?: string;
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
  }

  /** A plain `http.Server`; closing it also closes the store. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
