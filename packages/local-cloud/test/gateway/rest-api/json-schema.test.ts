import { describe, expect, it } from 'vitest';
import { SchemaCompiler } from '../../../src/gateway/rest-api/json-schema.js';

const validate = (
  schema: Record<string, unknown>,
  value: unknown,
  models: Record<string, Record<string, unknown>> = {},
) =>
  new SchemaCompiler({ ...models, Root: schema })
    .model('Root')(value)
    .map((e) => `${e.pointer}: ${e.message}`);

describe('JSON schema draft-04 subset', () => {
  it('checks types, with integer ⊂ number and lists of types', () => {
    expect(validate({ type: 'integer' }, 3)).toEqual([]);
    expect(validate({ type: 'integer' }, 3.5)).toEqual([
      ': instance type (number) does not match any allowed primitive type (allowed: ["integer"])',
    ]);
    expect(validate({ type: 'number' }, 3)).toEqual([]);
    expect(validate({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(validate({ type: ['string', 'null'] }, [])).toHaveLength(1);
    expect(validate({ type: 'object' }, [])).toHaveLength(1);
    expect(validate({ type: 'boolean' }, false)).toEqual([]);
  });

  it('checks numbers with draft-04 boolean exclusive bounds and multipleOf', () => {
    expect(validate({ minimum: 0, exclusiveMinimum: true }, 0)).toEqual([
      ': numeric instance is not strictly greater than the required minimum 0',
    ]);
    expect(validate({ maximum: 10 }, 10)).toEqual([]);
    expect(validate({ maximum: 10, exclusiveMaximum: true }, 10)).toHaveLength(1);
    expect(validate({ multipleOf: 0.01 }, 1.23)).toEqual([]);
    expect(validate({ multipleOf: 0.5 }, 1.2)).toHaveLength(1);
    // Keywords for other types do not apply.
    expect(validate({ minimum: 5, minLength: 3 }, 'ab')).toHaveLength(1);
  });

  it('checks strings by code points and unanchored ECMA 262 patterns', () => {
    expect(validate({ maxLength: 2 }, '😀😀')).toEqual([]);
    expect(validate({ minLength: 3 }, 'ab')).toEqual([
      ': string "ab" is too short (length: 2, required minimum: 3)',
    ]);
    expect(validate({ pattern: '^[a-z]+$' }, 'abc')).toEqual([]);
    expect(validate({ pattern: 'b' }, 'abc')).toEqual([]);
    expect(validate({ pattern: '^b' }, 'abc')).toEqual([
      ': ECMA 262 regex "^b" does not match input string "abc"',
    ]);
  });

  it('checks arrays: items, tuples with additionalItems, sizes, uniqueness by value', () => {
    expect(validate({ items: { type: 'integer' } }, [1, 'x'])).toEqual([
      '/1: instance type (string) does not match any allowed primitive type (allowed: ["integer"])',
    ]);
    expect(validate({ items: [{ type: 'string' }], additionalItems: false }, ['a', 1])).toHaveLength(1);
    expect(validate({ items: [{ type: 'string' }], additionalItems: { type: 'integer' } }, ['a', 1])).toEqual(
      [],
    );
    expect(validate({ minItems: 1, maxItems: 2 }, [])).toHaveLength(1);
    expect(validate({ uniqueItems: true }, [{ a: 1 }, { a: 1 }])).toEqual([
      ': array must not contain duplicate elements',
    ]);
    expect(validate({ uniqueItems: true }, [{ a: 1 }, { a: 2 }])).toEqual([]);
  });

  it('checks objects: required, properties, patternProperties, additionalProperties, dependencies, sizes', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
      patternProperties: { '^x-': { type: 'number' } },
      additionalProperties: false,
      dependencies: { id: ['kind'] },
    };
    expect(validate(schema, { id: 'a', kind: 'k', 'x-n': 1 })).toEqual([
      ': object instance has properties which are not allowed by the schema: ["kind"]',
    ]);
    expect(validate(schema, { 'x-n': 'one', other: 1 })).toEqual([
      ': object has missing required properties (["id"])',
      '/x-n: instance type (string) does not match any allowed primitive type (allowed: ["number"])',
      ': object instance has properties which are not allowed by the schema: ["other"]',
    ]);
    expect(validate({ dependencies: { a: ['b'] } }, { a: 1 })).toHaveLength(1);
    expect(validate({ additionalProperties: { type: 'string' } }, { a: 1 })).toHaveLength(1);
    expect(validate({ minProperties: 1 }, {})).toHaveLength(1);
    expect(validate({ properties: { 'a/b': { type: 'string' } } }, { 'a/b': 1 })[0]).toMatch(/^\/a~1b: /);
  });

  it('combines with allOf, anyOf, oneOf and not; compares enums by value', () => {
    expect(validate({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, 1.5)).toHaveLength(1);
    expect(validate({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1)).toEqual([
      ': instance failed to match exactly one schema (matched 2 out of 2)',
    ]);
    expect(validate({ allOf: [{ minimum: 1 }, { maximum: 3 }] }, 4)).toHaveLength(1);
    expect(validate({ not: { type: 'null' } }, null)).toHaveLength(1);
    expect(validate({ enum: [{ a: [1] }, 'x'] }, { a: [1] })).toEqual([]);
    expect(validate({ enum: ['a'] }, 'b')).toEqual([
      ': instance value ("b") not found in enum (possible values: ["a"])',
    ]);
  });

  it('resolves local and model $refs, including recursive ones', () => {
    const tree = {
      definitions: {
        node: {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } },
        },
      },
      $ref: '#/definitions/node',
    };
    expect(validate(tree, { children: [{ children: [] }] })).toEqual([]);
    expect(validate(tree, { children: [{ children: 'no' }] })).toHaveLength(1);
    const viaModel = {
      properties: { price: { $ref: 'https://apigateway.amazonaws.com/restapis/abc/models/Price' } },
    };
    expect(validate(viaModel, { price: -1 }, { Price: { type: 'number', minimum: 0 } })).toEqual([
      '/price: numeric instance is lower than the required minimum (minimum: 0, found: -1)',
    ]);
  });

  it('ignores format and unknown keywords', () => {
    expect(validate({ type: 'string', format: 'email', 'x-custom': true }, 'not-an-email')).toEqual([]);
  });
});
