/**
 * Who may write the catalog — the one place that decides it.
 *
 * Writes sit behind the shared TOKEN authorizer, which verifies the Cognito access token (signature,
 * issuer, expiry, app client) and passes the token's facts as strings in
 * `event.requestContext.authorizer`: `{ sub, username, clientId, tokenUse, scope, groups }`, `scope`
 * space-separated as in the JWT, `groups` comma-separated. A valid token is not enough to write; the
 * caller must also be one of:
 *
 * - a **machine** client whose token carries the `catalog/write` scope (client_credentials), or
 * - a **user** in the `admins` group (the `cognito:groups` claim of their access token).
 *
 * The authorizer cannot express "scope OR group" (its required scopes and groups would both have to
 * match), so the rule lives here and every write handler calls {@link requireCatalogWriter} first.
 */
import { Forbidden, type RestApiEvent, Unauthorized } from '@serverless-reference/middleware';

/** The resource-server scope of infra's shared stack (`SCOPES.catalogWrite`). */
export const CATALOG_WRITE_SCOPE = 'catalog/write';
/** The user-pool group of infra's shared stack (`GROUPS.admins`). */
export const ADMINS_GROUP = 'admins';

/** The caller of a write, for the audit log. */
export interface CatalogWriter {
  /** Token subject: the user's sub, or the machine client's id. */
  readonly sub: string;
  readonly clientId: string;
  /** What allowed the write. */
  readonly via: 'scope' | 'group';
}

function contextValue(event: RestApiEvent, key: string): string | undefined {
  // API Gateway passes authorizer context values as strings; anything else is not a value we trust.
  const value = event.requestContext.authorizer?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The caller, if they may write the catalog.
 * @throws Unauthorized (401) when the event has no authorizer context: the route lost its authorizer,
 *   so fail closed rather than let anonymous writes through
 * @throws Forbidden (403) when the token has neither the scope nor the group
 */
export function requireCatalogWriter(event: RestApiEvent): CatalogWriter {
  const sub = contextValue(event, 'sub');
  if (sub === undefined) throw new Unauthorized();
  const scopes = contextValue(event, 'scope')?.split(' ') ?? [];
  const groups = contextValue(event, 'groups')?.split(',') ?? [];
  const clientId = contextValue(event, 'clientId') ?? 'unknown';
  if (scopes.includes(CATALOG_WRITE_SCOPE)) return { sub, clientId, via: 'scope' };
  if (groups.includes(ADMINS_GROUP)) return { sub, clientId, via: 'group' };
  throw new Forbidden(
    `Writing the catalog requires the ${CATALOG_WRITE_SCOPE} scope or membership in the ${ADMINS_GROUP} group`,
  );
}
