/**
 * The products table's layout: attribute names, key formats and the index name. infra's rest-api stack
 * creates the table and index with these names (`infra/test/rest-api-stack.test.ts` checks them), and
 * test/support/dynamodb.ts creates the same for tests. No other imports, so tests can load it without
 * pulling in the middleware.
 *
 *   pk     = "PRODUCT#<id>"                        the product, read and written by key
 *   sk     = "PRODUCT"                             (room for more item kinds per product later)
 *   gsi1pk = "CATEGORY#<category>"                 index `byCategory`: one partition per category
 *   gsi1sk = "<lower-cased name>\u001f<id>"        sorts a category by name; the id breaks ties
 */

/** Name of the category index (partition key `gsi1pk`, sort key `gsi1sk`, all attributes projected). */
export const CATEGORY_INDEX = 'byCategory';

const PRODUCT_PREFIX = 'PRODUCT#';
const CATEGORY_PREFIX = 'CATEGORY#';
/** Sort key of every product item. */
export const PRODUCT_SK = 'PRODUCT';
/**
 * Separates name and id in the index sort key. It must sort below every character a name can contain
 * (names have no control characters, see product.ts), so that "widget" comes before "widget pro":
 * with `#` (0x23) as separator, "widget pro" (space, 0x20) would sort first.
 */
export const SORT_SEPARATOR = '\u001f';

/** Partition key of a product. */
export const productKey = (id: string): string => `${PRODUCT_PREFIX}${id}`;
/** Partition key of a category in the index. */
export const categoryKey = (category: string): string => `${CATEGORY_PREFIX}${category}`;
/** The name as the index sorts it (the cursor carries this form). */
export const sortName = (name: string): string => name.toLowerCase();
/** Sort key of a product in its category: lower-cased name, then id. */
export const categorySortKey = (name: string, id: string): string =>
  `${sortName(name)}${SORT_SEPARATOR}${id}`;
