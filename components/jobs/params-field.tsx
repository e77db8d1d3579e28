"use client";
// Params as JSON, checked by the job type's handler on the server. "Load defaults" and the
// handler's examples fill it in; a reference lists the fields the handler accepts. Credentials the
// server hides show as "set (hidden)" with a Replace button, and {{secrets.NAME}} is offered from
// the stored secrets' names.
import { useEffect, useState } from "react";
import { Field } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { secretNamesAction } from "@/lib/actions/secrets";
import type { Definition } from "@/lib/handlers/registry";
import { formatParams } from "./form-model";
import { describeParams, type ParamField, type PropertySchema } from "./params-schema";
import { hiddenCredentials, replaceHidden, secretPrefixBefore, type HiddenCredential } from "./hidden-credentials";

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
  const secretNames = useSecretNames();
  const [caret, setCaret] = useState<number | null>(null);
  const prefix = caret === null ? null : secretPrefixBefore(value.slice(0, caret));
  const suggestions = secretNames.filter((name) => prefix === null || name.startsWith(prefix));
  const hidden = hiddenCredentials(value);
  // A handler whose params pick one of several choices lists them with a "Use" each, in place of the examples.
  const choices = definition ? describeParams(definition.paramsSchema as PropertySchema).kind === "choices" : false;

  /** Puts {{secrets.NAME}} at the caret, completing a name already begun there. */
  function insertSecret(name: string) {
    const at = caret ?? value.length;
    const before = value.slice(0, at);
    const begun = secretPrefixBefore(before);
    const next =
      begun === null
        ? `${before}{{secrets.${name}}}${value.slice(at)}`
        : `${before.slice(0, before.length - begun.length)}${name}}}${value.slice(at).replace(/^[A-Z0-9_]*\}\}/, "")}`;
    onChange(next);
    setCaret(null);
  }

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
          <textarea
            {...control}
            ref={textareaRef}
            className="mono"
            rows={7}
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          />
        )}
      </Field>
      {hidden.length > 0 ? (
        <div className="hidden-credentials" data-testid="hidden-credentials">
          <p className="muted">Write-only: saving keeps these stored values unless you replace them.</p>
          <ul>
            {hidden.map((credential) => (
              <HiddenRow key={credential.path} credential={credential} onReplace={(typed) => onChange(replaceHidden(value, credential.path, typed))} />
            ))}
          </ul>
        </div>
      ) : null}
      {suggestions.length > 0 ? (
        <div className="examples secret-suggestions" data-testid="secret-suggestions">
          <span className="muted">{prefix === null ? "Insert a secret:" : "Complete the secret:"}</span>
          {suggestions.map((name) => (
            <Button key={name} variant="ghost" size="small" onClick={() => insertSecret(name)}>
              <code>{`{{secrets.${name}}}`}</code>
            </Button>
          ))}
        </div>
      ) : null}
      {definition && definition.examples.length > 0 && !choices ? (
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
      {definition ? <ParamsReference definition={definition} value={value} onUse={(params) => onChange(formatParams(params))} /> : null}
    </div>
  );
}

/** The fields a handler accepts, or (a union such as `command`'s) each choice with its fields, open beside the params. */
function ParamsReference({ definition, value, onUse }: { definition: Definition; value: string; onUse: (params: unknown) => void }) {
  const shape = describeParams(definition.paramsSchema as PropertySchema);
  if (shape.kind === "fields") {
    if (shape.fields.length === 0) return null;
    return (
      <details className="params-reference">
        <summary>Fields this type accepts</summary>
        <FieldList fields={shape.fields} />
      </details>
    );
  }
  const chosen = chosenValue(value, shape.key);
  return (
    <section className="params-reference params-choices" aria-labelledby={`${definition.type}-choices`} data-testid="params-choices">
      <h3 id={`${definition.type}-choices`}>
        Pick a <code>{shape.key}</code> ({shape.choices.length})
      </h3>
      <ul>
        {shape.choices.map((choice) => {
          const example = definition.examples.find((candidate) => (candidate.params as Record<string, unknown> | null)?.[shape.key] === choice.value);
          return (
            <li key={choice.value} className={choice.value === chosen ? "chosen" : undefined} data-testid="params-choice" data-value={choice.value}>
              <div className="params-choice-head">
                <code className="params-choice-name">{choice.value}</code>
                {choice.value === chosen ? <span className="badge tone-info">in the params</span> : null}
                {example ? (
                  <Button variant="ghost" size="small" onClick={() => onUse(example.params)}>
                    Use<span className="sr-only"> {choice.value}</span>
                  </Button>
                ) : null}
              </div>
              {choice.description ? <p className="params-choice-description">{choice.description}</p> : null}
              {choice.fields.length > 0 ? <FieldList fields={choice.fields} /> : <p className="muted small">No args.</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function FieldList({ fields }: { fields: ParamField[] }) {
  return (
    <dl>
      {fields.map((field) => (
        <div key={field.name}>
          <dt>
            <code>{field.name}</code> <span className="muted">{field.type}</span>
            {field.required ? <span className="required"> required</span> : null}
          </dt>
          <dd>
            {field.description ?? ""}
            {field.pattern !== undefined ? (
              <span className="params-pattern">
                {" "}
                Must match <code>{field.pattern}</code>.
              </span>
            ) : null}
            {field.default !== undefined ? <span className="muted"> Default: {JSON.stringify(field.default)}.</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The choice the params text names now (e.g. its "command"), when it parses. */
function chosenValue(text: string, key: string): string | null {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown> | null;
    return typeof parsed?.[key] === "string" ? parsed[key] : null;
  } catch {
    return null;
  }
}

/** A credential the server keeps hidden: "set (hidden)", and a field to type a replacement. */
function HiddenRow({ credential, onReplace }: { credential: HiddenCredential; onReplace: (value: string) => void }) {
  const [replacing, setReplacing] = useState(false);
  const [typed, setTyped] = useState("");
  const inputId = `replace-${credential.path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return (
    <li>
      {credential.label}: <strong>set (hidden)</strong>{" "}
      {replacing ? (
        <span className="input-with-actions">
          <label htmlFor={inputId} className="sr-only">
            New value for {credential.label}
          </label>
          <input id={inputId} type="password" autoComplete="off" autoFocus value={typed} onChange={(event) => setTyped(event.target.value)} />
          <Button size="small" disabled={typed === ""} onClick={() => onReplace(typed)}>
            Use
          </Button>
          <Button variant="ghost" size="small" onClick={() => setReplacing(false)}>
            Cancel
          </Button>
        </span>
      ) : (
        <Button variant="secondary" size="small" onClick={() => setReplacing(true)}>
          Replace<span className="sr-only"> {credential.label}</span>
        </Button>
      )}
    </li>
  );
}

/** The stored secrets' names, for completion; none for a viewer (the action refuses them). */
function useSecretNames(): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    secretNamesAction({})
      .then((result) => {
        if (current && result.ok) setNames(result.data);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return names;
}
