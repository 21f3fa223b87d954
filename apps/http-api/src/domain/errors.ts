/**
 * What can go wrong in the notes domain, as typed errors a caller can branch on (`instanceof`). Each
 * extends the middleware's HTTP error of the matching status, so the middleware's one error mapping
 * answers them — no handler translates errors itself.
 */
import { Conflict, NotFound, PreconditionFailed } from '@serverless-reference/middleware';

/**
 * The note does not exist *in the caller's partition*. Someone else's note id gives the same answer as
 * an unknown one: a caller cannot even learn that another user's note exists.
 */
export class NoteNotFound extends NotFound {
  override readonly name: string = 'NoteNotFound';
  constructor() {
    super('Note not found');
  }
}

/** Optimistic concurrency: the note's version is no longer the one the client read (→ 412). */
export class VersionMismatch extends PreconditionFailed {
  override readonly name: string = 'VersionMismatch';
  readonly currentVersion: number;
  constructor(currentVersion: number) {
    super('Note was changed since you read it: fetch it again and retry', { details: { currentVersion } });
    this.currentVersion = currentVersion;
  }
}

/** A create found a note with the same id (ids are generated server-side, so this means a bug). */
export class NoteAlreadyExists extends Conflict {
  override readonly name: string = 'NoteAlreadyExists';
  constructor() {
    super('Note already exists');
  }
}
