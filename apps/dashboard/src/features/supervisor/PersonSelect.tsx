import type { PersonOption } from './people';

/** A filter on one person chosen by name; "anyone" sends nothing. */
export function PersonSelect({
  label,
  value,
  options,
  onChange,
  loading,
}: {
  label: string;
  value: string;
  options: readonly PersonOption[];
  onChange: (value: string) => void;
  loading: boolean;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{loading ? 'loading names…' : 'anyone'}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
