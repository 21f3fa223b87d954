/**
 * The product: what the catalog stores and returns, and the fields a client may write.
 *
 * Client-writable fields are `sku` (on create only), `name`, `description`, `category`, `priceCents`,
 * `currency`, `stock` and `tags`. Everything else (`id`, `createdAt`, `updatedAt`, `version`) is set by
 * the server. The body schemas are strict: a body carrying a server field or any unknown key is rejected
 * with 400 naming the key — never silently dropped, never stored.
 *
 * The API Gateway request models of `POST /products` and `PATCH /products/{id}` (infra's rest-api
 * stack) are JSON Schema draft-04 copies of these schemas; `infra/test/rest-api-stack.test.ts` compares
 * them with `z.toJSONSchema(…, { target: 'draft-4', io: 'input' })`. Hence no trimming or case folding
 * here: a transform that JSON Schema cannot express would let the gateway and the function disagree.
 * Keep this module free of other imports: that test loads it from infra.
 */
import * as z from 'zod';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2_000;
export const SLUG_MAX = 40;
export const TAG_MAX = 30;
export const TAGS_MAX = 10;
export const PRICE_CENTS_MAX = 99_999_999;
export const STOCK_MAX = 1_000_000_000;
export const CURRENCIES = ['EUR', 'GBP', 'USD'] as const;

/** Product ids are UUID version 5, derived from the SKU by the server (see ids.ts). */
export const ProductId = z.uuid({ version: 'v5' });
export type ProductId = z.output<typeof ProductId>;

/**
 * Stock keeping unit: the business identity of a product, unique in the catalog and immutable.
 * 3–40 characters, upper-case letters, digits and inner hyphens, e.g. `TSHIRT-RED-M`.
 */
export const Sku = z.string().regex(/^[A-Z0-9](?:[A-Z0-9-]{1,38})[A-Z0-9]$/, {
  message: 'SKU: 3–40 upper-case letters, digits and hyphens, starting and ending with a letter or digit',
});

/** Lower-case words joined by single hyphens: `garden-tools`. Used for categories and tags. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Category = z
  .string()
  .max(SLUG_MAX)
  .regex(SLUG, { message: 'Category: lower-case words joined by hyphens, e.g. garden-tools' });
const Tag = z.string().max(TAG_MAX).regex(SLUG, { message: 'Tag: lower-case words joined by hyphens' });

/**
 * One line of text: no control characters, no leading or trailing white space. Control characters are
 * excluded because the name is part of the category index's sort key (see catalog-store.ts), which
 * uses U+001F as a separator that must sort below every character a name can contain.
 */
const Name = z
  .string()
  .max(NAME_MAX)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to exclude control characters
  .regex(/^[^\s\u0000-\u001f\u007f](?:[^\u0000-\u001f\u007f]*[^\s\u0000-\u001f\u007f])?$/, {
    message: 'Name: one line of text without leading or trailing spaces',
  });
const Description = z.string().max(DESCRIPTION_MAX);
/** Integer minor units (cents), never floating-point money. */
const PriceCents = z.number().int().min(0).max(PRICE_CENTS_MAX);
const Currency = z.enum(CURRENCIES);
/** Units on hand; absent for products without stock tracking (downloads, services). */
const Stock = z.number().int().min(0).max(STOCK_MAX);
/** De-duplicated (first occurrence wins, order kept). */
const Tags = z
  .array(Tag)
  .max(TAGS_MAX)
  .transform((tags) => [...new Set(tags)]);

/** Body of `POST /products`. */
export const ProductInput = z.strictObject({
  sku: Sku,
  name: Name,
  description: Description.default(''),
  category: Category,
  priceCents: PriceCents,
  currency: Currency,
  stock: Stock.optional(),
  tags: Tags.default([]),
});
export type ProductInput = z.output<typeof ProductInput>;

/**
 * Body of `PATCH /products/{id}`: a non-empty subset of the writable fields. The SKU is not among them:
 * it is the product's identity (its id is derived from it). `"stock": null` stops stock tracking.
 */
export const ProductPatch = z
  .strictObject({
    name: Name.optional(),
    description: Description.optional(),
    category: Category.optional(),
    priceCents: PriceCents.optional(),
    currency: Currency.optional(),
    stock: Stock.nullable().optional(),
    tags: Tags.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'Send at least one of name, description, category, priceCents, currency, stock, tags',
  });
export type ProductPatch = z.output<typeof ProductPatch>;

/** A product as the API returns it. */
export interface Product {
  readonly id: ProductId;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly priceCents: number;
  readonly currency: (typeof CURRENCIES)[number];
  /** Absent when the product has no stock tracking. */
  readonly stock?: number;
  readonly tags: readonly string[];
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  /** ISO 8601, UTC. */
  readonly updatedAt: string;
  /** Starts at 1, +1 on every update; the product's ETag is `"<version>"`. */
  readonly version: number;
}

/** One page of a category; `nextCursor` is null on the last page. */
export interface ProductPage {
  readonly category: string;
  readonly items: readonly Product[];
  readonly nextCursor: string | null;
}
