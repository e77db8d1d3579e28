// What a handler's params JSON Schema (GET /api/definitions) says, for the params reference: its
// fields, or, for a union told apart by one constant field (the `command` handler's one variant per
// listed command), each choice with its description and its own fields (nested objects such as
// `args` flattened to `args.db`), with each value's pattern as the admin wrote it.

export interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: PropertySchema[];
  oneOf?: PropertySchema[];
  description?: string;
  default?: unknown;
  format?: string;
  pattern?: string;
  items?: PropertySchema;
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

export interface ParamField {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  default?: unknown;
  pattern?: string;
}

export interface ParamChoice {
  value: string;
  description?: string;
  fields: ParamField[];
}

export type ParamsShape = { kind: "fields"; fields: ParamField[] } | { kind: "choices"; key: string; choices: ParamChoice[] };

export function describeParams(schema: PropertySchema): ParamsShape {
  const variants = schema.oneOf ?? schema.anyOf;
  const objects = variants && variants.every((variant) => variant.properties) ? variants : [schema];
  const key = discriminator(objects);
  if (!key) return { kind: "fields", fields: fieldsOf(schema) };
  return {
    kind: "choices",
    key,
    choices: objects.map((variant) => ({
      value: String(variant.properties![key].const),
      description: variant.description ?? variant.properties![key].description,
      fields: fieldsOf(variant).filter((field) => field.name !== key),
    })),
  };
}

/** The property every variant fixes to a constant string: what picks the variant. */
function discriminator(variants: PropertySchema[]): string | null {
  const first = variants[0]?.properties;
  if (!first) return null;
  for (const name of Object.keys(first)) {
    if (variants.every((variant) => typeof variant.properties?.[name]?.const === "string")) return name;
  }
  return null;
}

/** Fields of an object, with the fields of nested objects (without their own description) as `parent.child`. */
function fieldsOf(schema: PropertySchema, prefix = "", parentRequired = true): ParamField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const isRequired = parentRequired && required.has(name);
    if (property.properties && Object.keys(property.properties).length > 0) return fieldsOf(property, `${path}.`, isRequired || property.default !== undefined);
    if (property.properties) return [];
    return [{ name: path, type: typeLabel(property), required: isRequired, description: property.description, default: property.default, pattern: patternOf(property.pattern) }];
  });
}

/** The admin's pattern, without the `^(?:…)$` the server wraps it in to match whole values. */
function patternOf(pattern: string | undefined): string | undefined {
  if (pattern === undefined) return undefined;
  const whole = /^\^\(\?:(.*)\)\$$/.exec(pattern);
  return whole ? whole[1] : pattern;
}

export function typeLabel(property: PropertySchema): string {
  if (property.const !== undefined) return JSON.stringify(property.const);
  if (property.enum) return property.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (property.anyOf) return property.anyOf.map(typeLabel).join(" | ");
  if (property.type === "array" && property.items) return `${typeLabel(property.items)}[]`;
  const type = Array.isArray(property.type) ? property.type.join(" | ") : (property.type ?? "any");
  return property.format ? `${type} (${property.format})` : type;
}
