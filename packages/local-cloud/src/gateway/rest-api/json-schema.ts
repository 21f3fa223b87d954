/**
 * JSON Schema draft-04, the dialect of API Gateway models, for request-body validation. Schemas are
 * compiled once into closures. Supported: `type` (incl. `integer` and lists), `enum`, `multipleOf`,
 * `maximum`/`minimum` with draft-04 boolean `exclusiveMaximum`/`exclusiveMinimum`, `maxLength`/`minLength`
 * (code points), `pattern` (ECMA 262, unanchored), `items` (schema or tuple) with `additionalItems`,
 * `maxItems`/`minItems`, `uniqueItems`, `maxProperties`/`minProperties`, `required`, `properties`,
 * `patternProperties`, `additionalProperties`, `dependencies`, `allOf`/`anyOf`/`oneOf`/`not`, and `$ref`
 * to `#…` JSON pointers and to other models
 * (`https://apigateway.amazonaws.com/restapis/{apiId}/models/{name}`). `format` and unknown keywords are
 * ignored, as draft-04 allows.
 *
 * Messages imitate the Java validator API Gateway reports through `$context.error.validationErrorString`
 * (e.g. `object has missing required properties (["name"])`); the exact AWS wording is unverified.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Readonly<Record<string, unknown>>;

export interface SchemaError {
  /** JSON pointer into the instance, `''` for the root. */
  readonly pointer: string;
  readonly message: string;
}

type Check = (value: Json, pointer: string, errors: SchemaError[]) => void;

export class SchemaCompileError extends Error {}

const MODEL_REF = /^https?:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function typeOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i] as Json));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as Record<string, Json>);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b as object, k) && deepEqual(a[k] as Json, (b as Record<string, Json>)[k] as Json),
  );
}

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

function resolvePointer(document: unknown, fragment: string): unknown {
  if (fragment === '' || fragment === '#') return document;
  if (!fragment.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of fragment.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

const number = (schema: Schema, key: string): number | undefined => {
  const value = schema[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new SchemaCompileError(`${key} must be a number`);
  return value;
};

/** Compiles models on demand; `$ref`s between models and recursive schemas share compiled checks. */
export class SchemaCompiler {
  readonly #models: Readonly<Record<string, Schema>>;
  readonly #compiled = new Map<string, { check: Check | undefined }>();
  #depth = 0;

  constructor(models: Readonly<Record<string, Schema>>) {
    this.#models = models;
  }

  /** A validator for the model; throws SchemaCompileError for unknown models and invalid schemas. */
  model(name: string): (value: unknown) => SchemaError[] {
    const check = this.#ref(name, '#');
    return (value) => {
      const errors: SchemaError[] = [];
      check(value as Json, '', errors);
      return errors;
    };
  }

  #ref(model: string, fragment: string): Check {
    const key = `${model}${fragment}`;
    const known = this.#compiled.get(key);
    // While a schema is being compiled, a recursive reference to it gets a check that looks it up later.
    if (known !== undefined) return known.check ?? ((v, p, e) => (known.check as Check)(v, p, e));
    const document = this.#models[model];
    if (document === undefined) throw new SchemaCompileError(`$ref to unknown model ${model}`);
    const target = resolvePointer(document, fragment);
    if (!isObject(target))
      throw new SchemaCompileError(`$ref ${fragment} does not resolve in model ${model}`);
    const slot: { check: Check | undefined } = { check: undefined };
    this.#compiled.set(key, slot);
    slot.check = this.#compile(target, model);
    return slot.check;
  }

  #compile(schema: Schema, model: string): Check {
    if (++this.#depth > 200) throw new SchemaCompileError('schema nesting is too deep');
    try {
      return this.#compileNode(schema, model);
    } finally {
      this.#depth--;
    }
  }

  #sub(value: unknown, model: string, keyword: string): Check {
    if (!isObject(value)) throw new SchemaCompileError(`${keyword} must be a schema object`);
    return this.#compile(value, model);
  }

  #compileNode(schema: Schema, model: string): Check {
    const ref = schema.$ref;
    if (ref !== undefined) {
      // draft-04: a $ref replaces its schema; siblings are ignored.
      if (typeof ref !== 'string') throw new SchemaCompileError('$ref must be a string');
      const external = MODEL_REF.exec(ref);
      if (external) return this.#ref(decodeURIComponent(external[1] as string), external[2] ?? '#');
      if (ref.startsWith('#')) return this.#ref(model, ref);
      throw new SchemaCompileError(`unsupported $ref ${JSON.stringify(ref)}`);
    }
    const checks: Check[] = [];
    this.#typeChecks(schema, checks);
    this.#numberChecks(schema, checks);
    this.#stringChecks(schema, checks);
    this.#arrayChecks(schema, model, checks);
    this.#objectChecks(schema, model, checks);
    this.#combinators(schema, model, checks);
    if (checks.length === 0) return () => {};
    if (checks.length === 1) return checks[0] as Check;
    return (value, pointer, errors) => {
      for (const check of checks) check(value, pointer, errors);
    };
  }

  #typeChecks(schema: Schema, checks: Check[]): void {
    const type = schema.type;
    if (type !== undefined) {
      const allowed = Array.isArray(type) ? type : [type];
      if (!allowed.every((t) => typeof t === 'string'))
        throw new SchemaCompileError('type must be a string or list');
      const set = new Set(allowed as string[]);
      const sorted = [...set].sort();
      checks.push((value, pointer, errors) => {
        const actual = typeOf(value);
        if (set.has(actual) || (actual === 'integer' && set.has('number'))) return;
        errors.push({
          pointer,
          message: `instance type (${actual}) does not match any allowed primitive type (allowed: ${JSON.stringify(sorted)})`,
        });
      });
    }
    const options = schema.enum;
    if (options !== undefined) {
      if (!Array.isArray(options)) throw new SchemaCompileError('enum must be a list');
      checks.push((value, pointer, errors) => {
        if (options.some((o) => deepEqual(o as Json, value))) return;
        errors.push({
          pointer,
          message: `instance value (${JSON.stringify(value)}) not found in enum (possible values: ${JSON.stringify(options)})`,
        });
      });
    }
  }

  #numberChecks(schema: Schema, checks: Check[]): void {
    const multipleOf = number(schema, 'multipleOf');
    const maximum = number(schema, 'maximum');
    const minimum = number(schema, 'minimum');
    const exclusiveMaximum = schema.exclusiveMaximum === true;
    const exclusiveMinimum = schema.exclusiveMinimum === true;
    if (multipleOf === undefined && maximum === undefined && minimum === undefined) return;
    if (multipleOf !== undefined && multipleOf <= 0) throw new SchemaCompileError('multipleOf must be > 0');
    checks.push((value, pointer, errors) => {
      if (typeof value !== 'number') return;
      if (multipleOf !== undefined) {
        const quotient = value / multipleOf;
        if (Math.abs(quotient - Math.round(quotient)) > 1e-9) {
          errors.push({ pointer, message: `remainder of division is not zero (${value} / ${multipleOf})` });
        }
      }
      if (maximum !== undefined) {
        if (exclusiveMaximum ? value >= maximum : value > maximum) {
          errors.push({
            pointer,
            message: exclusiveMaximum
              ? `numeric instance is not strictly lower than the required maximum ${maximum}`
              : `numeric instance is greater than the required maximum (maximum: ${maximum}, found: ${value})`,
          });
        }
      }
      if (minimum !== undefined) {
        if (exclusiveMinimum ? value <= minimum : value < minimum) {
          errors.push({
            pointer,
            message: exclusiveMinimum
              ? `numeric instance is not strictly greater than the required minimum ${minimum}`
              : `numeric instance is lower than the required minimum (minimum: ${minimum}, found: ${value})`,
          });
        }
      }
    });
  }

  #stringChecks(schema: Schema, checks: Check[]): void {
    const maxLength = number(schema, 'maxLength');
    const minLength = number(schema, 'minLength');
    let pattern: RegExp | undefined;
    if (schema.pattern !== undefined) {
      if (typeof schema.pattern !== 'string') throw new SchemaCompileError('pattern must be a string');
      try {
        pattern = new RegExp(schema.pattern, 'u');
      } catch {
        throw new SchemaCompileError(`pattern ${JSON.stringify(schema.pattern)} is not a valid regex`);
      }
    }
    if (maxLength === undefined && minLength === undefined && pattern === undefined) return;
    const source = schema.pattern as string;
    checks.push((value, pointer, errors) => {
      if (typeof value !== 'string') return;
      if (maxLength !== undefined || minLength !== undefined) {
        const length = [...value].length;
        if (maxLength !== undefined && length > maxLength) {
          errors.push({
            pointer,
            message: `string ${JSON.stringify(value)} is too long (length: ${length}, maximum allowed: ${maxLength})`,
          });
        }
        if (minLength !== undefined && length < minLength) {
          errors.push({
            pointer,
            message: `string ${JSON.stringify(value)} is too short (length: ${length}, required minimum: ${minLength})`,
          });
        }
      }
      if (pattern !== undefined && !pattern.test(value)) {
        errors.push({
          pointer,
          message: `ECMA 262 regex ${JSON.stringify(source)} does not match input string ${JSON.stringify(value)}`,
        });
      }
    });
  }

  #arrayChecks(schema: Schema, model: string, checks: Check[]): void {
    const { items, additionalItems } = schema;
    const maxItems = number(schema, 'maxItems');
    const minItems = number(schema, 'minItems');
    const unique = schema.uniqueItems === true;
    let each: Check | undefined;
    let tuple: Check[] | undefined;
    let rest: Check | false | undefined;
    if (Array.isArray(items)) {
      tuple = items.map((s) => this.#sub(s, model, 'items'));
      if (additionalItems === false) rest = false;
      else if (isObject(additionalItems)) rest = this.#compile(additionalItems, model);
    } else if (items !== undefined) {
      each = this.#sub(items, model, 'items');
    }
    if (
      each === undefined &&
      tuple === undefined &&
      maxItems === undefined &&
      minItems === undefined &&
      !unique
    ) {
      return;
    }
    checks.push((value, pointer, errors) => {
      if (!Array.isArray(value)) return;
      if (maxItems !== undefined && value.length > maxItems) {
        errors.push({
          pointer,
          message: `array is too long: must have at most ${maxItems} elements but instance has ${value.length} elements`,
        });
      }
      if (minItems !== undefined && value.length < minItems) {
        errors.push({
          pointer,
          message: `array is too short: must have at least ${minItems} elements but instance has ${value.length} elements`,
        });
      }
      if (unique && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) {
        errors.push({ pointer, message: 'array must not contain duplicate elements' });
      }
      if (each !== undefined) {
        for (let i = 0; i < value.length; i++) each(value[i] as Json, `${pointer}/${i}`, errors);
      }
      if (tuple !== undefined) {
        value.forEach((v, i) => {
          const check = i < tuple.length ? tuple[i] : rest;
          if (check === false) return;
          check?.(v, `${pointer}/${i}`, errors);
        });
        if (rest === false && value.length > tuple.length) {
          errors.push({
            pointer,
            message: `array instance has too many elements (maximum allowed: ${tuple.length}, found: ${value.length})`,
          });
        }
      }
    });
  }

  #objectChecks(schema: Schema, model: string, checks: Check[]): void {
    const maxProperties = number(schema, 'maxProperties');
    const minProperties = number(schema, 'minProperties');
    const required = schema.required;
    if (
      required !== undefined &&
      !(Array.isArray(required) && required.every((r) => typeof r === 'string'))
    ) {
      throw new SchemaCompileError('required must be a list of strings');
    }
    const properties = new Map<string, Check>();
    if (schema.properties !== undefined) {
      if (!isObject(schema.properties)) throw new SchemaCompileError('properties must be an object');
      for (const [name, s] of Object.entries(schema.properties))
        properties.set(name, this.#sub(s, model, name));
    }
    const patterns: Array<[RegExp, Check]> = [];
    if (schema.patternProperties !== undefined) {
      if (!isObject(schema.patternProperties))
        throw new SchemaCompileError('patternProperties must be an object');
      for (const [source, s] of Object.entries(schema.patternProperties)) {
        let regex: RegExp;
        try {
          regex = new RegExp(source, 'u');
        } catch {
          throw new SchemaCompileError(`patternProperties ${JSON.stringify(source)} is not a valid regex`);
        }
        patterns.push([regex, this.#sub(s, model, source)]);
      }
    }
    const additional = schema.additionalProperties;
    const extra: Check | false | undefined =
      additional === false ? false : isObject(additional) ? this.#compile(additional, model) : undefined;
    const dependencies: Array<[string, string[] | Check]> = [];
    if (isObject(schema.dependencies)) {
      for (const [name, dep] of Object.entries(schema.dependencies)) {
        dependencies.push([name, Array.isArray(dep) ? (dep as string[]) : this.#sub(dep, model, name)]);
      }
    }
    const requiredList = (required as string[] | undefined) ?? [];
    if (
      maxProperties === undefined &&
      minProperties === undefined &&
      requiredList.length === 0 &&
      properties.size === 0 &&
      patterns.length === 0 &&
      extra === undefined &&
      dependencies.length === 0
    ) {
      return;
    }
    checks.push((value, pointer, errors) => {
      if (!isObject(value)) return;
      const object = value as Record<string, Json>;
      const keys = Object.keys(object);
      if (maxProperties !== undefined && keys.length > maxProperties) {
        errors.push({
          pointer,
          message: `object has too many properties (found ${keys.length} but schema requires at most ${maxProperties})`,
        });
      }
      if (minProperties !== undefined && keys.length < minProperties) {
        errors.push({
          pointer,
          message: `object has too few properties (found ${keys.length} but schema requires at least ${minProperties})`,
        });
      }
      const missing = requiredList.filter((name) => !Object.hasOwn(object, name));
      if (missing.length > 0) {
        errors.push({
          pointer,
          message: `object has missing required properties (${JSON.stringify(missing.sort())})`,
        });
      }
      const notAllowed: string[] = [];
      for (const key of keys) {
        const child = `${pointer}/${escapePointer(key)}`;
        const item = object[key] as Json;
        let matched = false;
        const property = properties.get(key);
        if (property !== undefined) {
          matched = true;
          property(item, child, errors);
        }
        for (const [regex, check] of patterns) {
          if (regex.test(key)) {
            matched = true;
            check(item, child, errors);
          }
        }
        if (!matched && extra !== undefined) {
          if (extra === false) notAllowed.push(key);
          else extra(item, child, errors);
        }
      }
      if (notAllowed.length > 0) {
        errors.push({
          pointer,
          message: `object instance has properties which are not allowed by the schema: ${JSON.stringify(notAllowed.sort())}`,
        });
      }
      for (const [name, dep] of dependencies) {
        if (!Object.hasOwn(object, name)) continue;
        if (Array.isArray(dep)) {
          const absent = dep.filter((d) => !Object.hasOwn(object, d));
          if (absent.length > 0) {
            errors.push({
              pointer,
              message: `property ${JSON.stringify(name)} of object has missing property dependencies (schema requires ${JSON.stringify(dep)}; missing: ${JSON.stringify(absent)})`,
            });
          }
        } else {
          dep(value, pointer, errors);
        }
      }
    });
  }

  #combinators(schema: Schema, model: string, checks: Check[]): void {
    const list = (keyword: string): Check[] | undefined => {
      const value = schema[keyword];
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || value.length === 0) {
        throw new SchemaCompileError(`${keyword} must be a non-empty list of schemas`);
      }
      return value.map((s) => this.#sub(s, model, keyword));
    };
    const allOf = list('allOf');
    const anyOf = list('anyOf');
    const oneOf = list('oneOf');
    const not = schema.not === undefined ? undefined : this.#sub(schema.not, model, 'not');
    const passes = (check: Check, value: Json, pointer: string): boolean => {
      const errors: SchemaError[] = [];
      check(value, pointer, errors);
      return errors.length === 0;
    };
    if (allOf !== undefined) {
      checks.push((value, pointer, errors) => {
        for (const check of allOf) check(value, pointer, errors);
      });
    }
    if (anyOf !== undefined) {
      checks.push((value, pointer, errors) => {
        if (anyOf.some((check) => passes(check, value, pointer))) return;
        errors.push({
          pointer,
          message: `instance failed to match at least one required schema among ${anyOf.length}`,
        });
      });
    }
    if (oneOf !== undefined) {
      checks.push((value, pointer, errors) => {
        const matched = oneOf.filter((check) => passes(check, value, pointer)).length;
        if (matched === 1) return;
        errors.push({
          pointer,
          message: `instance failed to match exactly one schema (matched ${matched} out of ${oneOf.length})`,
        });
      });
    }
    if (not !== undefined) {
      checks.push((value, pointer, errors) => {
        if (passes(not, value, pointer)) {
          errors.push({ pointer, message: 'instance matched a schema which it should not have' });
        }
      });
    }
  }
}
