/**
 * Product ids: UUID version 5 (RFC 9562 §5.5, name-based, SHA-1) of the product's SKU in the catalog's
 * own namespace. The server derives the id; the client never sends one.
 *
 * Why derived rather than random: it makes `POST /products` idempotent with a single conditional write.
 * A retried create (the client timed out, the network dropped the answer) computes the same id, so its
 * `attribute_not_exists` put cannot make a second product — it finds the first one instead (see
 * CatalogStore.create). A random id would need a second item to guard the SKU, and a transaction to
 * write both atomically.
 *
 * Consequences, by design: a SKU is immutable (it is the product's identity), and a SKU deleted and
 * created again gets its old id (and URL) back. Anyone can compute the id of a SKU; the catalog is
 * public, so that reveals nothing.
 */
import { createHash } from 'node:crypto';

/** The catalog's UUIDv5 namespace. Never change it: every product id is derived from it. */
export const PRODUCT_ID_NAMESPACE = '3c440ff2-4903-4666-8b87-cdf83a3cf257';

/** The id of the product with this SKU. */
export function productIdForSku(sku: string): string {
  return uuidv5(PRODUCT_ID_NAMESPACE, sku);
}

/** RFC 9562 UUIDv5: SHA-1 of namespace bytes + UTF-8 name, with the version and variant bits set. */
export function uuidv5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = 0x50 | ((bytes[6] ?? 0) & 0x0f); // version 5
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
