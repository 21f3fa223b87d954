/**
 * Optimistic concurrency over HTTP (RFC 9110 conditional requests): a resource's version is its strong
 * entity tag, and a write carries the tag it read in `If-Match`. The store turns a stale version into a
 * 412 (`PreconditionFailed`); this module only reads and writes the header values.
 */
import { BadRequest, PreconditionRequired } from './errors';

/** A resource's entity tag: its version, quoted (a strong ETag: every change bumps the version). */
export function versionETag(resource: { readonly version: number }): string {
  return `"${resource.version}"`;
}

/** A positive version without leading zeros, small enough to stay an exact JavaScript number. */
const ENTITY_TAG = /^"([1-9][0-9]{0,14})"$/;

/**
 * The version a write is conditional on, from `If-Match` (`headers` with lowercased names, as the
 * factories pass them):
 *   `"3"`           → 3: the write succeeds only if the resource is still at version 3 (else 412)
 *   `*`             → undefined: any current version (the resource must exist)
 *   absent          → 428 when `required`, otherwise undefined
 *   anything else   → 400 (weak tags `W/"3"` and lists are not accepted)
 * `resource` names the resource in the messages, for the client: `'note'` → "the note's ETag".
 */
export function expectedVersion(
  headers: Readonly<Record<string, string>>,
  options: { readonly required: boolean; readonly resource: string },
): number | undefined {
  const value = headers['if-match']?.trim();
  if (value === undefined || value === '') {
    if (options.required) {
      throw new PreconditionRequired(
        `Send If-Match with the ${options.resource}'s ETag (or * to overwrite any version)`,
      );
    }
    return undefined;
  }
  if (value === '*') return undefined;
  const version = ENTITY_TAG.exec(value)?.[1];
  if (version === undefined) {
    throw new BadRequest(`If-Match must be the ${options.resource}'s ETag, e.g. "3", or *`);
  }
  return Number(version);
}
