"use client";
// Params as JSON, checked by the job type's handler on the server. "Load defaults" and the
// handler's examples fill it in; a reference lists the fields the handler accepts.
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import type { Definition } from "@/lib/handlers/registry";
import { formatParams } from "./form-model";

interface ParamsFieldProps {
  value: string;
  onChange: (value: string) => void;
  errors?: string[];
  definition?: Definition;
  /** The textarea's id; the job form's error summary links to "job-params". */
  id?: string;
  /** When the handler checks the params: "when you save", "when you run it". */
  checkedWhen?: string;
  textareaRef?: React.Ref<HTMLTextAreaElement>;
}

export function ParamsField({ value, onChange, errors, definition, id = "job-params", checkedWhen = "when you save", textareaRef }: ParamsFieldProps) {
  return (
    <div className="params-field">
      <Field
        id={id}
        label="Params (JSON)"
        errors={errors}
        hint={definition ? `Checked by the ${definition.type} handler ${checkedWhen}.` : "A JSON object."}
        actions={
          definition ? (
            <Button variant="ghost" size="small" onClick={() => onChange(formatParams(definition.defaultParams))}>
              Load defaults
            </Button>
          ) : null
        }
      >
        {(control) => (
          <textarea {...control} ref={textareaRef} className="mono" rows={7} wrap="off" spellCheck={false} autoCapitalize="off" autoCorrect="off" value={value} onChange={(event) => onChange(event.target.value)} />
        )}
      </Field>
      {definition && definition.examples.length > 0 ? (
        <div className="examples">
          <span className="muted">Examples:</span>
          {definition.examples.map((example) => (
            <Button key={example.title} variant="ghost" size="small" onClick={() => onChange(formatParams(example.params))}>
              <span className="sr-only">Use example: </span>
              {example.title}
            </Button>
          ))}
        </div>
      ) : null}
      {definition ? <ParamsReference schema={definition.paramsSchema} /> : null}
    </div>
  );
}

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: PropertySchema[];
  description?: string;
  default?: unknown;
  format?: string;
  items?: PropertySchema;
}

function ParamsReference({ schema }: { schema: Record<string, unknown> }) {
  const properties = (schema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(properties);
  if (names.length === 0) return null;
  return (
    <details className="params-reference">
      <summary>Fields this type accepts</summary>
      <dl>
        {names.map((name) => {
          const property = properties[name];
          return (
            <div key={name}>
              <dt>
                <code>{name}</code> <span className="muted">{typeLabel(property)}</span>
                {required.has(name) ? <span className="required"> required</span> : null}
              </dt>
              <dd>
                {property.description ?? ""}
                {property.default !== undefined ? <span className="muted"> Default: {JSON.stringify(property.default)}.</span> : null}
              </dd>
            </div>
          );
        })}
      </dl>
    </details>
  );
}

function typeLabel(property: PropertySchema): string {
  if (property.enum) return property.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (property.anyOf) return property.anyOf.map(typeLabel).join(" | ");
  if (property.type === "array" && property.items) return `${typeLabel(property.items)}[]`;
  const type = Array.isArray(property.type) ? property.type.join(" | ") : (property.type ?? "any");
  return property.format ? `${type} (${property.format})` : type;
}
