import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ResponseFigure } from '@vigil/contracts';
import { DateRangeFields } from './DateRangeFields';
import { formatDateTime, supervisorApi, type Filters } from './supervisor-api';
import { useFilterForm } from './useFilterForm';
import { LoadError } from '../../shared/components/LoadError';
import { TableHead } from '../../shared/components/TableHead';

const secs = (s: number | null) =>
  s === null ? '–' : s < 120 ? `${s} s` : `${(s / 60).toFixed(1)} min`;

function FigureCells({ f }: { f: ResponseFigure }) {
  return (
    <>
      <td>{f.alerts}</td>
      <td>{f.acknowledged}</td>
      <td>{secs(f.ackP50Seconds)}</td>
      <td>{secs(f.ackP90Seconds)}</td>
      <td>{f.escalatedAlerts}</td>
      <td>{f.escalations}</td>
    </>
  );
}

const HEAD = [
  'Alerts',
  'Acknowledged',
  'Ack p50',
  'Ack p90',
  'Escalated alerts',
  'Escalation steps',
];

/** One table of response figures: a row a clinician or a priority, the same six columns. */
function FiguresTable({
  label,
  rows,
}: {
  label: string;
  rows: Array<{ key: string; head: ReactNode; className?: string; figures: ResponseFigure }>;
}) {
  return (
    <table className="sv-table">
      <TableHead columns={[label, ...HEAD]} />
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" className={r.className}>
              {r.head}
            </th>
            <FigureCells f={r.figures} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How fast alerts were acknowledged, by whom and at what priority, and how often each condition fired. */
export function AlertFiguresPage() {
  const [filters, setFilters] = useState<Filters>({});
  const range = useFilterForm({ from: '', to: '' }, setFilters);
  const figures = useQuery({
    queryKey: ['supervisor', 'figures', filters],
    queryFn: () => supervisorApi.figures(filters),
  });
  const f = figures.data;
  return (
    <section aria-labelledby="figures-title">
      <h1 id="figures-title">Alert response</h1>
      <form className="sv-filters no-print" onSubmit={range.onSubmit} aria-label="Date range">
        <DateRangeFields from={range.form.from} to={range.form.to} onChange={range.set} />
        <button type="submit" className="primary">
          Show
        </button>
      </form>
      <LoadError query={figures} what="the figures" />
      {f && (
        <>
          <p className="muted">
            Sessions dosed {formatDateTime(f.from)} to {formatDateTime(f.to)}: {f.sessions}{' '}
            sessions, {f.sessionHours} monitored hours, {f.totals.alerts} alerts, median time to
            acknowledge {secs(f.totals.ackP50Seconds)}.
          </p>
          <h2>Time to acknowledge by clinician</h2>
          <div className="sv-chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart
                accessibilityLayer={false}
                data={f.byClinician}
                margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="clinicianName" />
                <YAxis unit=" s" />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="ackP50Seconds"
                  name="p50 (s)"
                  fill="#1456a0"
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="ackP90Seconds"
                  name="p90 (s)"
                  fill="#7a5200"
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <FiguresTable
            label="Clinician"
            rows={f.byClinician.map((c) => ({
              key: c.clinicianId,
              head: c.clinicianName,
              figures: c,
            }))}
          />
          <h2>By priority</h2>
          <FiguresTable
            label="Priority"
            rows={f.byPriority.map((p) => ({
              key: p.priority,
              head: p.priority,
              className: `sv-priority-${p.priority}`,
              figures: p,
            }))}
          />
          <h2>Alerts per session-hour by condition</h2>
          <table className="sv-table">
            <TableHead columns={['Condition', 'Alerts', 'Per session-hour']} />
            <tbody>
              {f.byCondition.map((c) => (
                <tr key={c.condition}>
                  <th scope="row">{c.condition}</th>
                  <td>{c.alerts}</td>
                  <td>{c.perSessionHour ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {figures.isPending && <p>Loading figures…</p>}
    </section>
  );
}
