/** The From and To fields of a supervisor filter form, in local time as the browser shows it. */
export function DateRangeFields({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (key: 'from' | 'to', value: string) => void;
}) {
  return (
    <>
      <label>
        From
        <input
          type="datetime-local"
          value={from}
          onChange={(e) => onChange('from', e.target.value)}
        />
      </label>
      <label>
        To
        <input type="datetime-local" value={to} onChange={(e) => onChange('to', e.target.value)} />
      </label>
    </>
  );
}
