/**
 * What the notes handlers read from a request besides body, path and query: who the caller is (the
 * claims API Gateway's JWT authorizer verified) and the `If-Match` precondition.
 */
import {
  Forbidden,
  type HttpApiEvent,
  expectedVersion as ifMatchVersion,
  Unauthorized,
  versionETag,
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

/** `If-Match` → the note version a write is conditional on (the rules: the middleware's `expectedVersion`). */
export const expectedVersion = (
  headers: Readonly<Record<string, string>>,
  options: { readonly required: boolean },
): number | undefined => ifMatchVersion(headers, { ...options, resource: 'note' });

/** A note's entity tag: its version, quoted. */
export const etag = versionETag;
