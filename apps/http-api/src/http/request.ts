/**
 * What the notes handlers read from a request besides body, path and query: who the caller is (the
 * claims API Gateway's JWT authorizer verified) and the `If-Match` precondition.
 */
import {
  BadRequest,
  Forbidden,
  type HttpApiEvent,
  HttpError,
  Unauthorized,
} from '@serverless-reference/middleware';

function claim(event: HttpApiEvent, name: string): string | undefined {
  // API Gateway passes every claim as a string (arrays become "[a b]"); anything else is not a claim we trust.
  const value = event.requestContext.authorizer?.jwt?.claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The caller's user id: the `sub` of the access token. It is the partition key of the caller's notes.
 * Without verified claims the route is misconfigured (no authorizer): fail closed with 401.
 */
export function callerId(event: HttpApiEvent): string {
  const sub = claim(event, 'sub');
  if (sub === undefined) throw new Unauthorized();
  return sub;
}

/**
 * Requires an OAuth scope in the token's `scope` claim and returns the calling app client's id (for the
 * audit log). The gateway already checks route scopes; this re-check in code keeps a route that lost its
 * `authorizationScopes` in a template change from opening up.
 */
export function requireScope(event: HttpApiEvent, scope: string): { clientId: string } {
  const granted = claim(event, 'scope')?.split(' ') ?? [];
  if (!granted.includes(scope)) throw new Forbidden(`This route requires the ${scope} scope`);
  return { clientId: claim(event, 'client_id') ?? 'unknown' };
}

/** 428: the route needs `If-Match` and the request has none (RFC 6585). */
export class PreconditionRequired extends HttpError {
  override readonly name: string = 'PreconditionRequired';
  constructor(message = 'Precondition required') {
    super(428, message);
  }
}

/** A note's entity tag: its version, quoted (a strong ETag: every change bumps the version). */
export function etag(note: { readonly version: number }): string {
  return `"${note.version}"`;
}

const ENTITY_TAG = /^"([1-9][0-9]{0,14})"$/;

/**
 * The version a write is conditional on, from `If-Match`:
 *   `"3"`           → 3: the write succeeds only if the note is still at version 3 (else 412)
 *   `*`             → undefined: any current version (the note must exist)
 *   absent          → 428 when `required`, otherwise undefined
 *   anything else   → 400 (weak tags `W/"3"` and lists are not accepted)
 */
export function expectedVersion(
  headers: Readonly<Record<string, string>>,
  options: { required: boolean },
): number | undefined {
  const value = headers['if-match']?.trim();
  if (value === undefined || value === '') {
    if (options.required) {
      throw new PreconditionRequired("Send If-Match with the note's ETag (or * to overwrite any version)");
    }
    return undefined;
  }
  if (value === '*') return undefined;
  const version = ENTITY_TAG.exec(value)?.[1];
  if (version === undefined) throw new BadRequest('If-Match must be the note\'s ETag, e.g. "3", or *');
  return Number(version);
}
