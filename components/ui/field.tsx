// A labelled form control with its hint and errors wired up for assistive technology:
// the control is described by the hint and the errors, and marked invalid when there are errors.
import { useId, type ReactNode } from "react";

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  /** The id of the control; stable ids let the error summary link to the field. */
  id?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
  /** Extra content on the label line, e.g. a "Load defaults" button. */
  actions?: ReactNode;
}

export function Field({ label, hint, errors, id, className, children, actions }: FieldProps) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [errors?.length ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <div className="field-label-row">
        <label htmlFor={controlId}>{label}</label>
        {actions}
      </div>
      {children({ id: controlId, "aria-describedby": describedBy || undefined, "aria-invalid": errors?.length ? true : undefined })}
      {errors?.length ? (
        <ul className="field-errors" id={errorId}>
          {errors.map((message) => (
            <li key={message}>
              <span aria-hidden="true">⚠ </span>
              {message}
            </li>
          ))}
        </ul>
      ) : null}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
