import { ALERT_PRIORITIES, SESSION_STATES } from '@vigil/contracts';
import { DateRangeFields } from './DateRangeFields';
import { FilterSelect } from './FilterSelect';
import { FilterText } from './FilterText';
import type { Filters } from './supervisor-api';
import { useFilterForm } from './useFilterForm';

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
  const { form, set, field, onSubmit } = useFilterForm(EMPTY, onApply);
  return (
    <form className="sv-filters no-print" onSubmit={onSubmit} aria-label="Filter sessions">
      <DateRangeFields from={form.from} to={form.to} onChange={set} />
      <FilterText label="Clinician id" {...field('clinicianId')} placeholder="UUID" />
      <FilterText label="Patient id" {...field('patientId')} placeholder="UUID" />
      <FilterSelect label="State" {...field('state')} options={['live', ...SESSION_STATES]} />
      <FilterSelect
        label="Outcome"
        {...field('outcome')}
        options={['signed_off', 'aborted', 'in_progress']}
      />
      <FilterSelect label="Had alerts" {...field('alertPriority')} options={ALERT_PRIORITIES} />
      <button type="submit" className="primary">
        Search
      </button>
    </form>
  );
}
