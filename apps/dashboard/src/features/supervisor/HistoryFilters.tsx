import { useState, type FormEvent } from 'react';
import { SESSION_STATES } from '@vigil/contracts';
import { DateRangeFields } from './DateRangeFields';
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
      <label>
        State
        <select value={form.state} onChange={set('state')}>
          <option value="">any</option>
          <option value="live">live</option>
          {SESSION_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select value={form.outcome} onChange={set('outcome')}>
          <option value="">any</option>
          <option value="signed_off">signed off</option>
          <option value="aborted">aborted</option>
          <option value="in_progress">in progress</option>
        </select>
      </label>
      <label>
        Had alerts
        <select value={form.alertPriority} onChange={set('alertPriority')}>
          <option value="">any</option>
          <option value="high">high</option>
          <option value="medium">medium</option>
          <option value="low">low</option>
          <option value="info">info</option>
        </select>
      </label>
      <button type="submit" className="primary">
        Search
      </button>
    </form>
  );
}
