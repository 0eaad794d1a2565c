import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditView } from '@vigil/contracts';
import { DateRangeFields } from './DateRangeFields';
import { Pagination } from './Pagination';
import { PersonSelect } from './PersonSelect';
import { formatDateTime, supervisorApi, type Filters } from './supervisor-api';
import { useAccounts } from './useAccounts';
import { useFilterForm } from './useFilterForm';
import { ErrorText } from '../../shared/components/ErrorText';
import { TableHead } from '../../shared/components/TableHead';
import { FilterSelect } from './FilterSelect';
import { FilterText } from './FilterText';

const PAGE_SIZE = 50;
const EMPTY = { actorId: '', patientId: '', action: '', outcome: '', from: '', to: '' };

/** The log's views: clinical actions and access apart from the flood of vitals submissions. */
const VIEWS: Array<{ value: AuditView | ''; label: string }> = [
  { value: 'clinical', label: 'Clinical actions' },
  { value: 'access', label: 'Access' },
  { value: 'submissions', label: 'Vitals submissions' },
  { value: '', label: 'Everything' },
];

/**
 * The audit trail, newest first, one view at a time, filtered by people and patients chosen by
 * name, with the chain check one click away. Viewing it is audited.
 */
export function AuditLogPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [view, setView] = useState<AuditView | ''>('clinical');
  const [page, setPage] = useState(1);
  const { accounts, people, patients, names } = useAccounts();
  const query = { ...filters, view, page: String(page), pageSize: String(PAGE_SIZE) };
  const log = useQuery({
    queryKey: ['supervisor', 'audit', query],
    queryFn: () => supervisorApi.auditLog(query),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({ mutationFn: () => supervisorApi.verify() });
  const { form, set, field, onSubmit } = useFilterForm(EMPTY, (f) => {
    setFilters(f);
    setPage(1);
  });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <div className="sv-verify">
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          Verify the audit chain
        </button>
        {verify.data && (
          <p role="status" className={verify.data.ok ? 'sv-ok' : 'banner banner-error'}>
            {verify.data.ok
              ? `Intact: ${verify.data.checkedRows} rows, head ${verify.data.headHash?.slice(0, 16)}…`
              : `Broken at seq ${verify.data.firstBroken?.seq ?? '–'}: ${verify.data.firstBroken?.message}`}
          </p>
        )}
        <ErrorText error={verify.isError ? verify.error.message : null} />
      </div>
      <fieldset className="sv-views">
        <legend>Show</legend>
        {VIEWS.map((v) => (
          <label key={v.value || 'all'} className={view === v.value ? 'sv-view-active' : undefined}>
            <input
              type="radio"
              name="audit-view"
              value={v.value}
              checked={view === v.value}
              onChange={() => {
                setView(v.value);
                setPage(1);
              }}
            />
            {v.label}
          </label>
        ))}
      </fieldset>
      <form className="sv-filters" onSubmit={onSubmit} aria-label="Filter the audit log">
        <PersonSelect
          label="Person"
          {...field('actorId')}
          options={people}
          loading={accounts.isPending}
        />
        <PersonSelect
          label="Patient"
          {...field('patientId')}
          options={patients}
          loading={accounts.isPending}
        />
        <FilterText label="Action" {...field('action')} placeholder="session.* or auth.login" />
        <FilterSelect
          label="Outcome"
          {...field('outcome')}
          options={['success', 'denied', 'error']}
        />
        <DateRangeFields from={form.from} to={form.to} onChange={set} />
        <button type="submit" className="primary">
          Filter
        </button>
      </form>
      <ErrorText error={log.isError ? log.error.message : null} className="banner banner-error" />
      {log.data && (
        <>
          <div className="table-scroll">
            <table className="sv-table sv-audit">
              <TableHead
                columns={['Seq', 'Time', 'User', 'Action', 'Outcome', 'Entity', 'Patient', 'From']}
              />
              <tbody>
                {log.data.items.map((e) => (
                  <tr
                    key={e.seq}
                    data-testid="audit-row"
                    className={e.outcome !== 'success' ? 'sv-denied' : undefined}
                  >
                    <td>{e.seq}</td>
                    <td>{formatDateTime(e.at)}</td>
                    <td>
                      {e.actor
                        ? `${e.actor.name ?? e.actor.id} (${e.actor.role ?? '?'})`
                        : 'system'}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.outcome}</td>
                    <td>
                      {e.entityType}
                      {e.entityId ? ` ${e.entityId.slice(0, 8)}` : ''}
                    </td>
                    <td>
                      {e.patientId ? (names.get(e.patientId) ?? e.patientId.slice(0, 8)) : '–'}
                    </td>
                    <td>{e.sourceIp ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination of={log.data} onPage={setPage} />
        </>
      )}
      {log.isPending && <p>Loading the audit log…</p>}
    </section>
  );
}
