/**
 * What can go wrong in the catalog domain, as typed errors a caller can branch on (`instanceof`). Each
 * extends the middleware's HTTP error of the matching status, so the middleware's one error mapping
 * answers them — no handler translates errors itself.
 */
import { Conflict, NotFound, PreconditionFailed } from '@serverless-reference/middleware';

export class ProductNotFound extends NotFound {
  override readonly name: string = 'ProductNotFound';
  constructor() {
    super('Product not found');
  }
}

/** Optimistic concurrency: the product's version is no longer the one the client read (→ 412). */
export class VersionMismatch extends PreconditionFailed {
  override readonly name: string = 'VersionMismatch';
  readonly currentVersion: number;
  constructor(currentVersion: number) {
    super('Product was changed since you read it: fetch it again and retry', {
      details: { currentVersion },
    });
    this.currentVersion = currentVersion;
  }
}

/**
 * A create named a SKU that already belongs to a product with other field values (→ 409). The body names
 * the existing product's id, so the client can read or update it instead. (Repeating a create with the
 * same values is not a conflict: it answers the existing product — see CatalogStore.create.)
 */
export class SkuAlreadyExists extends Conflict {
  override readonly name: string = 'SkuAlreadyExists';
  readonly productId: string;
  constructor(sku: string, productId: string) {
    super(`A product with SKU ${sku} already exists`, { details: { id: productId } });
    this.productId = productId;
  }
}
