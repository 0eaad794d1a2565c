import { useId } from 'react';

export interface Choice<T> {
  value: T;
  label: string;
}

interface ChoiceGroupProps<T> {
  legend: string;
  hint?: string;
  options: ReadonlyArray<Choice<T>>;
  value: T | undefined;
  onChange: (value: T) => void;
  error?: string;
  /** 'grid' packs short answers (0-10) into rows of big squares. */
  layout?: 'stack' | 'row' | 'grid';
}

/**
 * Native radio buttons drawn as large tap targets: a screen reader and a keyboard get a real
 * radio group, and a shaky thumb gets a 48 px target. Nothing is pre-selected, so "not
 * answered" stays different from any answer.
 */
export function ChoiceGroup<T extends string | number | boolean>({
  legend,
  hint,
  options,
  value,
  onChange,
  error,
  layout = 'stack',
}: ChoiceGroupProps<T>) {
  const name = useId();
  const errorId = `${name}-error`;
  return (
    <fieldset
      className={`pt-choices pt-choices-${layout}`}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{legend}</legend>
      {hint && <p className="pt-hint">{hint}</p>}
      <div className="pt-choices-options">
        {options.map((o) => (
          <label
            key={String(o.value)}
            className={`pt-choice${value === o.value ? ' pt-choice-selected' : ''}`}
          >
            <input
              type="radio"
              name={name}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="pt-field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
