import { useId } from 'react';

/**
 * The reason an audited action asks for: a required text box under its question, which takes
 * the focus when it opens on the user's click (`focusOnOpen`), since typing the reason is next.
 */
export function ReasonField({
  label,
  value,
  onChange,
  focusOnOpen = false,
}: {
  label: string;
  value: string;
  onChange: (reason: string) => void;
  focusOnOpen?: boolean;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        maxLength={2000}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        // eslint-disable-next-line jsx-a11y/no-autofocus -- the field opens on the user's click: focus follows it
        autoFocus={focusOnOpen}
      />
    </>
  );
}
