/**
 * The setup the catalog test files share: a consumer reading with a tier's API key, a machine writer with
 * the `catalog/write` scope, and a product of its own for a file that only reads.
 */
import { CatalogClient, type CatalogClientOptions, newProductInput, uniqueCategory } from './catalog-client';
import { apiKeyValue, catalogApiUrl, type Tier } from './catalog-target';
import { machineToken } from './cognito';
import type { Target } from './target';

/** A consumer of the catalog: reads with the API key of `tier`. */
export function catalogReader(target: Target, tier: Tier, options?: CatalogClientOptions): CatalogClient {
  return new CatalogClient(catalogApiUrl(target), { apiKey: apiKeyValue(target, tier) }, options);
}

/** A machine client whose access token has the `catalog/write` scope. */
export async function catalogWriter(target: Target): Promise<CatalogClient> {
  return new CatalogClient(catalogApiUrl(target), { token: await machineToken(target, ['catalog/write']) });
}

/** Creates a product in a category of its own and returns its id (setup: a failure fails the file). */
export async function createdProductId(writer: CatalogClient): Promise<string> {
  const created = await writer.create(newProductInput(uniqueCategory()));
  if (created.status !== 201) {
    throw new Error(`setup: creating a product answered ${created.status} ${JSON.stringify(created.body)}`);
  }
  return created.body.id;
}
