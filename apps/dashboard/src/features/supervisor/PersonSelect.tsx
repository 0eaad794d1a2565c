import type { PersonOption } from './people';

/** One person chosen by name; the empty first option ("anyone") sends nothing. */
export function PersonSelect({
  label,
  value,
  options,
  onChange,
  loading,
  emptyLabel = 'anyone',
}: {
  label: string;
  value: string;
  options: readonly PersonOption[];
  onChange: (value: string) => void;
  loading: boolean;
  /** The first option, which sends nothing. */
  emptyLabel?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{loading ? 'loading names…' : emptyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
