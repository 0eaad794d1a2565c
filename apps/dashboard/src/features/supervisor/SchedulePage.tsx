import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { currentClinician } from './people';
import { PersonSelect } from './PersonSelect';
import { formatDateTime, localToIso, supervisorApi } from './supervisor-api';
import { useAccounts } from './useAccounts';
import { ErrorText } from '../../shared/components/ErrorText';
import { LoadError } from '../../shared/components/LoadError';

/** `<input type="datetime-local">` value for a moment, in local time. */
function localValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * Schedules a session for a patient (POST /api/admin/sessions, audited): the patient's phone
 * shows it on the day, from screening to the dose. The clinician defaults to the patient's.
 */
export function SchedulePage() {
  const { accounts, patients, clinicians } = useAccounts();
  const [form, setForm] = useState({
    patientId: '',
    clinicianId: '',
    when: localValue(Date.now() + 15 * 60_000),
  });
  const schedule = useMutation({ mutationFn: supervisorApi.schedule });
  const choosePatient = (patientId: string) =>
    setForm((f) => ({
      ...f,
      patientId,
      clinicianId: currentClinician(accounts.data ?? [], patientId) ?? f.clinicianId,
    }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    schedule.mutate({
      patientId: form.patientId,
      clinicianId: form.clinicianId,
      scheduledFor: localToIso(form.when),
    });
  };
  const done = schedule.data;
  return (
    <section aria-labelledby="schedule-title">
      <h1 id="schedule-title">Schedule a session</h1>
      <LoadError query={accounts} what="the accounts" />
      <form className="sv-filters" onSubmit={submit} aria-label="Schedule a session">
        <PersonSelect
          label="Patient"
          value={form.patientId}
          options={patients}
          loading={accounts.isPending}
          onChange={choosePatient}
          emptyLabel="choose a patient"
        />
        <PersonSelect
          label="Clinician"
          value={form.clinicianId}
          options={clinicians}
          loading={accounts.isPending}
          onChange={(clinicianId) => setForm((f) => ({ ...f, clinicianId }))}
          emptyLabel="choose a clinician"
        />
        <label>
          When
          <input
            type="datetime-local"
            value={form.when}
            required
            onChange={(e) => setForm((f) => ({ ...f, when: e.target.value }))}
          />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={schedule.isPending || !form.patientId || !form.clinicianId || !form.when}
        >
          {schedule.isPending ? 'Scheduling…' : 'Schedule'}
        </button>
      </form>
      <ErrorText error={schedule.isError ? `Not scheduled: ${schedule.error.message}` : null} />
      {done && (
        <p role="status" className="sv-ok" data-testid="scheduled">
          Scheduled: {done.patient.name} with {done.clinician.name},{' '}
          {formatDateTime(done.scheduledFor)}. It shows on the patient’s phone on the day.
        </p>
      )}
    </section>
  );
}
