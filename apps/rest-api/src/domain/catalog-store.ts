/**
 * The catalog domain over DynamoDB: create, get, list by category, update, delete. Knows nothing of
 * Lambda or HTTP events, so it is tested directly against a real DynamoDB wire protocol (dynalite) in
 * test/catalog-store.test.ts.
 *
 * One item per product, keyed by its id, and a category index sorted by name (layout: table.ts).
 *
 * Every write is conditional: create never overwrites (`attribute_not_exists`), update and delete require
 * the product to exist and, when a version is given, to still have it (optimistic concurrency). Every
 * read is a key lookup or a `Query` of one category: no scans.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  existsAtVersion,
  explainFailedCondition,
  lookaheadLimit,
  type PageRequest as ToolkitPageRequest,
  takePage,
} from '@serverless-reference/dynamodb-toolkit';
import { encodeCursor, type PageCursor } from './cursor';
import { ProductNotFound, SkuAlreadyExists, VersionMismatch } from './errors';
import { productIdForSku } from './ids';
import type { Product, ProductId, ProductInput, ProductPage, ProductPatch } from './product';
import {
  CATEGORY_INDEX,
  categoryKey,
  categorySortKey,
  PRODUCT_SK,
  productKey,
  SORT_SEPARATOR,
  sortName,
} from './table';

/** The fields a client may change. Updates copy exactly these — whatever else an object carries. */
const PATCHABLE_FIELDS = [
  'name',
  'description',
  'category',
  'priceCents',
  'currency',
  'stock',
  'tags',
] as const satisfies readonly (keyof ProductPatch)[];

/** A product as stored. */
interface ProductItem extends Product {
  readonly pk: string;
  readonly sk: string;
  readonly gsi1pk: string;
  readonly gsi1sk: string;
}

export interface CatalogStoreOptions {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** A page of the listing: `{ limit, cursor? }` (the toolkit's shape, with this store's cursor). */
export type PageRequest = ToolkitPageRequest<PageCursor>;

/** What a create did: made the product, or found the same product made by an earlier, identical request. */
export interface CreateResult {
  readonly product: Product;
  readonly created: boolean;
}

export class CatalogStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => Date;

  constructor(options: CatalogStoreOptions) {
    this.db = options.db;
    this.tableName = options.tableName;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Creates a product, version 1, with the id derived from its SKU — idempotently:
   *
   * - the SKU is new → the product is stored (`created: true`);
   * - the SKU exists with exactly these field values → nothing is written and the existing product is
   *   returned (`created: false`): the client is retrying a create whose answer it lost;
   * - the SKU exists with other values → SkuAlreadyExists (409), nothing is written.
   *
   * One conditional put decides it; there is no read-then-write race. A concurrent duplicate loses the
   * condition and is answered like a retry.
   */
  async create(input: ProductInput): Promise<CreateResult> {
    const id = productIdForSku(input.sku);
    const at = this.now().toISOString();
    // Built field by field from the allowed fields: whatever else `input` carries is not stored.
    const product: Product = {
      id,
      sku: input.sku,
      name: input.name,
      description: input.description,
      category: input.category,
      priceCents: input.priceCents,
      currency: input.currency,
      ...(input.stock === undefined ? {} : { stock: input.stock }),
      tags: input.tags,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    // Two rounds at most: a product deleted between our failed put and our read frees the SKU again.
    for (let round = 1; ; round++) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toItem(product),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { product, created: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const existing = await this.find(id);
      if (existing) {
        if (sameWritableFields(existing, product)) return { product: existing, created: false };
        throw new SkuAlreadyExists(input.sku, id);
      }
      if (round === 2) throw new SkuAlreadyExists(input.sku, id);
    }
  }

  /** @throws ProductNotFound */
  async get(id: ProductId): Promise<Product> {
    const product = await this.find(id);
    if (!product) throw new ProductNotFound();
    return product;
  }

  /** One category's products sorted by name (case-insensitive), one page at a time. */
  async listByCategory(category: string, page: PageRequest): Promise<ProductPage> {
    const { limit, cursor } = page;
    const gsi1pk = categoryKey(category);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: CATEGORY_INDEX,
        KeyConditionExpression: 'gsi1pk = :category',
        ExpressionAttributeValues: { ':category': gsi1pk },
        // One more than asked: tells "there is another page" without a trailing empty page.
        Limit: lookaheadLimit(limit),
        // An index start key is the index key plus the table key; the category is the request's, always.
        ...(cursor
          ? {
              ExclusiveStartKey: {
                gsi1pk,
                gsi1sk: `${cursor.name}${SORT_SEPARATOR}${cursor.id}`,
                pk: productKey(cursor.id),
                sk: PRODUCT_SK,
              },
            }
          : {}),
      }),
    );
    const found = (result.Items ?? []).map((item) => toProduct(item as ProductItem));
    const { items, last, more } = takePage(found, limit, result.LastEvaluatedKey);
    return {
      category,
      items,
      nextCursor: more && last ? encodeCursor({ name: sortName(last.name), id: last.id }) : null,
    };
  }

  /**
   * Changes the given fields, bumps `version`, sets `updatedAt`, and keeps the category index keys in
   * step with `category` and `name`. `stock: null` removes the stock attribute.
   * @param expectedVersion the version the client read (`If-Match`); `undefined` = any version
   * @throws ProductNotFound | VersionMismatch
   */
  async update(id: ProductId, patch: ProductPatch, expectedVersion?: number): Promise<Product> {
    const condition = existsAtVersion(expectedVersion);
    const names: Record<string, string> = {
      ...condition.names,
      '#updatedAt': 'updatedAt',
      '#version': 'version',
    };
    const values: Record<string, unknown> = {
      ...condition.values,
      ':now': this.now().toISOString(),
      ':one': 1,
    };
    const sets = ['#updatedAt = :now', '#version = #version + :one'];
    const removes: string[] = [];
    for (const field of PATCHABLE_FIELDS) {
      const value = patch[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      if (value === null) {
        removes.push(`#${field}`);
        continue;
      }
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    if (patch.category !== undefined) {
      names['#gsi1pk'] = 'gsi1pk';
      values[':gsi1pk'] = categoryKey(patch.category);
      sets.push('#gsi1pk = :gsi1pk');
    }
    if (patch.name !== undefined) {
      names['#gsi1sk'] = 'gsi1sk';
      values[':gsi1sk'] = categorySortKey(patch.name, id);
      sets.push('#gsi1sk = :gsi1sk');
    }
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: productKey(id), sk: PRODUCT_SK },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toProduct(result.Attributes as ProductItem);
    } catch (error) {
      throw await this.explainFailure(error, id);
    }
  }

  /**
   * @param expectedVersion the version the client read (`If-Match`); `undefined` = any version
   * @throws ProductNotFound | VersionMismatch
   */
  async delete(id: ProductId, expectedVersion?: number): Promise<void> {
    const condition = existsAtVersion(expectedVersion);
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: productKey(id), sk: PRODUCT_SK },
          ConditionExpression: condition.expression,
          // DynamoDB rejects empty name/value maps.
          ...(expectedVersion === undefined
            ? {}
            : { ExpressionAttributeNames: condition.names, ExpressionAttributeValues: condition.values }),
        }),
      );
    } catch (error) {
      throw await this.explainFailure(error, id);
    }
  }

  /** A failed condition → one consistent read → not found or stale version (the toolkit's rule). */
  private explainFailure(error: unknown, id: string): Promise<unknown> {
    return explainFailedCondition(error, () => this.find(id), {
      notFound: () => new ProductNotFound(),
      versionMismatch: (version) => new VersionMismatch(version),
    });
  }

  private async find(id: string): Promise<Product | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: productKey(id), sk: PRODUCT_SK },
        // Strongly consistent: a writer reads its own write; the gateway cache fronts the public reads.
        ConsistentRead: true,
      }),
    );
    return result.Item ? toProduct(result.Item as ProductItem) : undefined;
  }
}

function toItem(product: Product): ProductItem {
  return {
    ...product,
    pk: productKey(product.id),
    sk: PRODUCT_SK,
    gsi1pk: categoryKey(product.category),
    gsi1sk: categorySortKey(product.name, product.id),
  };
}

/** The stored item → the API's product (no keys). */
function toProduct(item: ProductItem): Product {
  return {
    id: item.id,
    sku: item.sku,
    name: item.name,
    description: item.description,
    category: item.category,
    priceCents: item.priceCents,
    currency: item.currency,
    ...(item.stock === undefined ? {} : { stock: item.stock }),
    tags: item.tags,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

/** Whether a stored product has the client-writable values a create asks for (server fields aside). */
function sameWritableFields(stored: Product, requested: Product): boolean {
  return (
    stored.sku === requested.sku &&
    stored.name === requested.name &&
    stored.description === requested.description &&
    stored.category === requested.category &&
    stored.priceCents === requested.priceCents &&
    stored.currency === requested.currency &&
    stored.stock === requested.stock &&
    stored.tags.length === requested.tags.length &&
    stored.tags.every((tag, i) => tag === requested.tags[i])
  );
}
