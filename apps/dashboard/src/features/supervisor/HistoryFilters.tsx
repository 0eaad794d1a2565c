import { useState, type FormEvent } from 'react';
import { ALERT_PRIORITIES, SESSION_STATES } from '@vigil/contracts';
import { DateRangeFields } from './DateRangeFields';
import { FilterSelect } from './FilterSelect';
import { localToIso, type Filters } from './supervisor-api';

interface Props {
  onApply: (filters: Filters) => void;
}

const EMPTY = {
  from: '',
  to: '',
  clinicianId: '',
  patientId: '',
  state: '',
  outcome: '',
  alertPriority: '',
};

/** The history search form; dates are typed in local time and sent as ISO. */
export function HistoryFilters({ onApply }: Props) {
  const [form, setForm] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ ...form, from: localToIso(form.from), to: localToIso(form.to) });
  };
  return (
    <form className="sv-filters no-print" onSubmit={submit} aria-label="Filter sessions">
      <DateRangeFields
        from={form.from}
        to={form.to}
        onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))}
      />
      <label>
        Clinician id
        <input value={form.clinicianId} onChange={set('clinicianId')} placeholder="UUID" />
      </label>
      <label>
        Patient id
        <input value={form.patientId} onChange={set('patientId')} placeholder="UUID" />
      </label>
      <FilterSelect
        label="State"
        value={form.state}
        onChange={set('state')}
        options={['live', ...SESSION_STATES]}
      />
      <FilterSelect
        label="Outcome"
        value={form.outcome}
        onChange={set('outcome')}
        options={['signed_off', 'aborted', 'in_progress']}
      />
      <FilterSelect
        label="Had alerts"
        value={form.alertPriority}
        onChange={set('alertPriority')}
        options={ALERT_PRIORITIES}
      />
      <button type="submit" className="primary">
        Search
      </button>
    </form>
  );
}
