import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { HistoryFilters } from './HistoryFilters';
import { Pagination } from './Pagination';
import { formatDateTime, supervisorApi, type Filters } from './supervisor-api';
import { LoadError } from '../../shared/components/LoadError';
import { TableHead } from '../../shared/components/TableHead';

const PAGE_SIZE = 20;
const OUTCOME: Record<string, string> = {
  signed_off: 'Signed off',
  aborted: 'Aborted',
  in_progress: 'In progress',
};

/** Every session, filtered and paged on the server, newest first. */
export function HistoryPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const query = { ...filters, page: String(page), pageSize: String(PAGE_SIZE) };
  const history = useQuery({
    queryKey: ['supervisor', 'history', query],
    queryFn: () => supervisorApi.history(query),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">Session history</h1>
      <HistoryFilters
        onApply={(f) => {
          setFilters(f);
          setPage(1);
        }}
      />
      <LoadError query={history} what="sessions" />
      {history.data && (
        <>
          <div className="table-scroll">
            <table className="sv-table">
              <TableHead
                columns={[
                  'Dosed / scheduled',
                  'Patient',
                  'Clinician',
                  'State',
                  'Outcome',
                  'Monitored',
                  'Alerts (high / medium)',
                  'Escalations',
                  <span className="visually-hidden">Open</span>,
                ]}
              />
              <tbody>
                {history.data.items.map((s) => (
                  <tr key={s.id} data-testid="history-row">
                    <td>{formatDateTime(s.dosedAt ?? s.scheduledFor ?? s.createdAt)}</td>
                    <td>{s.patient.name}</td>
                    <td>{s.clinician.name}</td>
                    <td>{s.state}</td>
                    <td>{OUTCOME[s.outcome]}</td>
                    <td>
                      {s.monitoringMinutes === null
                        ? '–'
                        : `${Math.round(s.monitoringMinutes)} min`}
                    </td>
                    <td>
                      <span className={s.alerts.high ? 'sv-count-high' : undefined}>
                        {s.alerts.high}
                      </span>
                      {' / '}
                      {s.alerts.medium}
                    </td>
                    <td>{s.escalations}</td>
                    <td className="sv-actions">
                      <Link to={`/supervisor/sessions/${s.id}`}>Replay</Link>
                      <Link to={`/supervisor/sessions/${s.id}/report`}>Report</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {history.data.items.length === 0 && (
            <p className="muted">No session matches these filters.</p>
          )}
          <Pagination of={history.data} onPage={setPage} />
        </>
      )}
      {history.isPending && <p>Loading sessions…</p>}
    </section>
  );
}
