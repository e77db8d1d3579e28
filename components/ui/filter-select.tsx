// A labelled select in a filter bar whose choice applies at once (the lists' filters).
export interface FilterSelectProps {
  id: string;
  name: string;
  label: string;
  value: string;
  /** [value, text] pairs, in order. */
  options: [string, string][];
  onChange: (value: string) => void;
}

export function FilterSelect({ id, name, label, value, options, onChange }: FilterSelectProps) {
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
