import { useState, type FormEvent } from 'react';
import { localToIso, type Filters } from './supervisor-api';

/**
 * A supervisor filter form (audit log, history, alert figures): the values as typed, `field(key)`
 * to bind a select (its value and what to do with a new one), `set` for the rest, and `onSubmit`,
 * which applies the filters with From and To, typed in local time, sent as ISO.
 */
export function useFilterForm<T extends Filters & { from: string; to: string }>(
  empty: T,
  apply: (filters: Filters) => void,
) {
  const [form, setForm] = useState(empty);
  const set = (key: keyof T & string, value: string) => setForm((f) => ({ ...f, [key]: value }));
  return {
    form,
    set,
    field: (key: keyof T & string) => ({
      value: form[key],
      onChange: (value: string) => set(key, value),
    }),
    onSubmit: (e: FormEvent) => {
      e.preventDefault();
      apply({ ...form, from: localToIso(form.from), to: localToIso(form.to) });
    },
  };
}
