import fc from 'fast-check';

/**
 * fast-check arbitraries drawn from a tool's JSON Schema (the subset zod's toJSONSchema writes:
 * object, array, string, number, integer, boolean, null, enum, const, anyOf/oneOf, bounds). Strings
 * come mostly from `pool` (names that mean something to the tools: units, concepts, phrases) so valid
 * draws reach deep into the handlers instead of stopping at the first unknown name.
 */

export type JsonSchema = Record<string, unknown>;

export interface SchemaArbitraryOptions {
  /** Strings worth trying, by property name ('*' for any string). */
  pool: Record<string, readonly string[]>;
  /** Longest array drawn (the schema's own maxItems when smaller). */
  maxItems?: number;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

export function schemaArbitrary(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
  key = '*',
): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives !== undefined)
    return fc.oneof(...alternatives.map((s) => schemaArbitrary(s, options, key)));
  const type = schema.type;
  if (Array.isArray(type))
    return fc.oneof(...type.map((t) => schemaArbitrary({ ...schema, type: t }, options, key)));
  switch (type) {
    case 'object':
      return objectArbitrary(schema, options);
    case 'array': {
      const items = (schema.items ?? {}) as JsonSchema;
      const minLength = num(schema.minItems) ?? 0;
      const maxLength = Math.max(minLength, Math.min(num(schema.maxItems) ?? 8, options.maxItems ?? 8));
      return fc.array(schemaArbitrary(items, options, key), { minLength, maxLength });
    }
    case 'string': {
      const minLength = num(schema.minLength) ?? 0;
      const maxLength = Math.max(minLength, num(schema.maxLength) ?? 40);
      const pool = options.pool[key] ?? options.pool['*'] ?? [];
      const free = fc.string({ minLength, maxLength: Math.min(maxLength, 40) });
      return pool.length > 0
        ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: free, weight: 1 })
        : free;
    }
    case 'integer': {
      const min = num(schema.minimum) ?? (num(schema.exclusiveMinimum) ?? -1e6) + 1;
      const max = num(schema.maximum) ?? (num(schema.exclusiveMaximum) ?? 1e6) - 1;
      return fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) });
    }
    case 'number': {
      const min = num(schema.minimum) ?? num(schema.exclusiveMinimum) ?? -1e6;
      const max = num(schema.maximum) ?? num(schema.exclusiveMaximum) ?? 1e6;
      return fc.double({
        min,
        max,
        noNaN: true,
        noDefaultInfinity: true,
        minExcluded: 'exclusiveMinimum' in schema,
        maxExcluded: 'exclusiveMaximum' in schema,
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties))
    model[name] = schemaArbitrary(property, options, name);
  return fc.record(model, { requiredKeys: [...required].filter((name) => name in properties) });
}

/**
 * Arguments a careless or hostile model might send: anything JSON, a valid draw with one field
 * replaced by anything or an unknown field added, numbers JSON cannot hold, and text that is not JSON.
 */
export function invalidArgumentText(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const anything = fc.jsonValue({ maxDepth: 3 });
  const fieldReplaced = fc
    .tuple(valid, fc.string({ maxLength: 12 }), anything)
    .map(([args, field, value]) => {
      if (typeof args !== 'object' || args === null || Array.isArray(args)) return args;
      const keys = Object.keys(args);
      const target =
        keys.length > 0 && field.length % 2 === 0 ? (keys[field.length % keys.length] ?? field) : field;
      return { ...args, [target]: value };
    });
  const asText = (value: unknown): string => JSON.stringify(value) ?? 'null';
  return fc.oneof(
    anything.map(asText),
    fieldReplaced.map(asText),
    valid.map((args) => asText(args).replace(/\d+(\.\d+)?/, '1e400')),
    valid.chain((args) => {
      const text = asText(args);
      return fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut));
    }),
    fc.string({ maxLength: 60 }),
    fc.constantFrom('', '{', '[]', 'null', '{"a":}', '\u0000', '{"stimuli": [' + '"a dog",'.repeat(3) + ']}'),
  );
}
