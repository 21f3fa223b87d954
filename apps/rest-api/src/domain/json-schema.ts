/**
 * The request bodies as JSON Schema draft-04: what API Gateway's request models (infra's rest-api stack)
 * must say. `infra/test/rest-api-stack.test.ts` compares the synthesized models with this, so the
 * gateway and the function cannot drift apart. Not imported by any handler (so never bundled).
 */
import * as z from 'zod';
import { ProductInput, ProductPatch } from './product';

export type JsonSchema = Record<string, unknown>;

/**
 * zod's draft-04 rendering of the body schemas, validation keywords only (`$schema`, `default` and other
 * annotations removed). The input side: what a client may send, before defaults and transforms.
 * zod cannot render `.refine()`: the PATCH model adds `minProperties: 1` for "at least one field".
 */
export function bodyJsonSchemas(): { create: JsonSchema; patch: JsonSchema } {
  const render = (schema: z.ZodType) =>
    withoutAnnotations(z.toJSONSchema(schema, { target: 'draft-4', io: 'input' })) as JsonSchema;
  return { create: render(ProductInput), patch: render(ProductPatch) };
}

const ANNOTATIONS = new Set(['$schema', 'default', 'title', 'description']);

function withoutAnnotations(value: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutAnnotations(item));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      // Inside `properties` the keys are field names (a field may be called `description`).
      .filter(([key]) => isPropertyMap || !ANNOTATIONS.has(key))
      .map(([key, item]) => [key, withoutAnnotations(item, !isPropertyMap && key === 'properties')]),
  );
}
