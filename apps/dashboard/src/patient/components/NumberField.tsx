import { useId } from 'react';

interface NumberFieldProps {
  label: string;
  unit?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  optional?: boolean;
}

/** A number typed on a phone keypad; kept as text until submit so half-typed values are fine. */
export function NumberField({ label, unit, value, onChange, error, optional }: NumberFieldProps) {
  const id = useId();
  return (
    <div className="pt-field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="pt-optional"> (if you have it)</span>}
      </label>
      <div className="pt-number">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value.replace(/[^0-9]/g, ''))}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {unit && <span className="pt-unit">{unit}</span>}
      </div>
      {error && (
        <p id={`${id}-error`} className="pt-field-error">
          {error}
        </p>
      )}
    </div>
  );
}
